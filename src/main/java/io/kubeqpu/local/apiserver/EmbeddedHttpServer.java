package io.kubeqpu.local.apiserver;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fabric8's MockWebServer with one addition: a {@code watch=true} request that is not a WebSocket upgrade (kubectl's
 * {@code get -w}, {@code delete --wait}, {@code wait}) gets a streaming HTTP response fed by the
 * {@link ApiServerDispatcher}. The mock's own server can only answer with a complete body or a WebSocket, so this
 * class runs the HTTP server itself (on Vert.x, like the mock) and hands every other request to the mock's handler.
 * The parent's unused Vert.x instance stays idle: its event loops start only when used.
 */
public final class EmbeddedHttpServer extends MockWebServer {
    private static final List<String> WEBSOCKET_SUBPROTOCOLS = List.of("v1.channel.k8s.io", "v2.channel.k8s.io",
            "v3.channel.k8s.io", "v4.channel.k8s.io");

    private final Vertx vertx = Vertx.vertx();
    private volatile Dispatcher dispatcher;
    private HttpServer server;
    private String hostName;
    private int port;

    @Override
    public void setDispatcher(Dispatcher dispatcher) {
        super.setDispatcher(dispatcher);
        this.dispatcher = dispatcher;
    }

    @Override
    public synchronized void start(InetAddress address, int requestedPort) {
        if (server != null) {
            throw new IllegalStateException("start() already called");
        }
        HttpServerRequestHandler mockHandler = new HttpServerRequestHandler(vertx) {
            @Override
            protected MockResponse onHttpRequest(RecordedRequest request) {
                return dispatcher.dispatch(request);
            }
        };
        server = vertx.createHttpServer(new HttpServerOptions().setHost(address.getHostAddress()).setPort(requestedPort)
                .setWebSocketSubProtocols(WEBSOCKET_SUBPROTOCOLS).setHandle100ContinueAutomatically(true));
        server.requestHandler(request -> {
            if (isHttpWatch(request) && dispatcher instanceof ApiServerDispatcher api) {
                api.openHttpWatch(request.uri(), request.getHeader("Accept"), new ResponseSink(request.response()));
            } else {
                mockHandler.handle(request);
            }
        });
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + address + ":" + requestedPort, e);
        }
        port = server.actualPort();
        hostName = address.getHostName().equals("127.0.0.1") ? "localhost" : address.getHostName();
    }

    private static boolean isHttpWatch(HttpServerRequest request) {
        String uri = request.uri();
        boolean watch = uri.contains("watch=true") || uri.contains("watch=1");
        return watch && !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public String getHostName() {
        return hostName;
    }

    @Override
    public synchronized void shutdown() {
        if (dispatcher instanceof ApiServerDispatcher api) {
            api.closeHttpWatches();
        }
        if (dispatcher != null) {
            dispatcher.shutdown();
        }
        try {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded API server", e);
        } finally {
            server = null;
        }
    }

    /** A chunked HTTP response that stays open. */
    private static final class ResponseSink implements WatchSink {
        private final HttpServerResponse response;

        ResponseSink(HttpServerResponse response) {
            this.response = response;
            response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
            response.write("");
        }

        @Override
        public void send(String eventLine) {
            if (!response.ended() && !response.closed()) {
                response.write(eventLine);
            }
        }

        @Override
        public void close() {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        }

        @Override
        public void onClose(Runnable onClose) {
            response.closeHandler(v -> onClose.run());
            response.endHandler(v -> onClose.run());
        }
    }
}
