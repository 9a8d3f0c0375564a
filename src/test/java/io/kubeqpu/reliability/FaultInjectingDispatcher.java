package io.kubeqpu.reliability;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Fabric8 CRUD mock with faults: while {@link #enabled}, every {@code conflictEvery}-th write, if an update or patch, answers 409 Conflict,
 * every {@code errorEvery}-th write and every {@code readErrorEvery}-th plain GET answers 500, and every open watch is
 * closed by the server every {@code dropWatchesMillis}. Counts what it injected.
 */
final class FaultInjectingDispatcher extends KubernetesCrudDispatcher {
    /** Requests with this User-Agent (the test's own client, which checks the outcome) get no faults. */
    static final String EXEMPT_AGENT = "kubeqpu-reliability-observer";
    volatile boolean enabled;
    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger serverErrors = new AtomicInteger();
    final AtomicInteger droppedWatches = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final int conflictEvery;
    private final int errorEvery;
    private final int readErrorEvery;
    private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService dropper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "watch-dropper");
        t.setDaemon(true);
        return t;
    });

    FaultInjectingDispatcher(int conflictEvery, int errorEvery, int readErrorEvery, long dropWatchesMillis) {
        this.conflictEvery = conflictEvery;
        this.errorEvery = errorEvery;
        this.readErrorEvery = readErrorEvery;
        dropper.scheduleAtFixedRate(this::dropWatches, dropWatchesMillis, dropWatchesMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        boolean watch = request.getPath().contains("watch=true");
        boolean exempt = EXEMPT_AGENT.equals(request.getHeader("User-Agent"));
        if (enabled && !watch && !exempt) {
            if (request.method() == HttpMethod.GET) {
                if (reads.incrementAndGet() % readErrorEvery == 0) return fail(500, "InternalError", serverErrors);
            } else {
                int n = writes.incrementAndGet();
                // A real API server answers 409 to an update or patch that lost a race, not to a create of a new name.
                boolean update = request.method() == HttpMethod.PUT || request.method() == HttpMethod.PATCH;
                if (update && n % conflictEvery == 0) return fail(409, "Conflict", conflicts);
                if (n % errorEvery == 0) return fail(500, "InternalError", serverErrors);
            }
        }
        MockResponse r = super.dispatch(request);
        if (watch && r.getWebSocketListener() != null) r.withWebSocketUpgrade(new Tracked(r.getWebSocketListener()));
        return r;
    }

    private void dropWatches() {
        if (!enabled) return;
        for (WebSocket ws : watches) {
            watches.remove(ws);
            try {
                ws.close(1000, "dropped by the fault injector");
                droppedWatches.incrementAndGet();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    private static MockResponse fail(int code, String reason, AtomicInteger counter) {
        counter.incrementAndGet();
        return new MockResponse().setResponseCode(code).setBody("""
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"%s",\
                "message":"injected %s","code":%d}""".formatted(reason, reason, code));
    }

    @Override
    public void shutdown() {
        dropper.shutdownNow();
        super.shutdown();
    }

    /** Remembers an open watch so it can be dropped; everything else goes to the CRUD store's listener. */
    private final class Tracked extends WebSocketListener {
        private final WebSocketListener d;

        Tracked(WebSocketListener d) {
            this.d = d;
        }

        @Override public void onBeforeAccept(WebSocket ws, Response r) { d.onBeforeAccept(ws, r); }
        @Override public void onOpen(WebSocket ws, Response r) { watches.add(ws); d.onOpen(ws, r); }
        @Override public void onMessage(WebSocket ws, String text) { d.onMessage(ws, text); }
        @Override public void onMessage(WebSocket ws, io.fabric8.mockwebserver.http.ByteString b) { d.onMessage(ws, b); }
        @Override public void onMessage(WebSocket ws, byte[] b) { d.onMessage(ws, b); }
        @Override public void onClosing(WebSocket ws, int code, String reason) { watches.remove(ws); d.onClosing(ws, code, reason); }
        @Override public void onClosed(WebSocket ws, int code, String reason) { watches.remove(ws); d.onClosed(ws, code, reason); }
        @Override public void onFailure(WebSocket ws, Throwable t, Response r) { watches.remove(ws); d.onFailure(ws, t, r); }
    }
}
