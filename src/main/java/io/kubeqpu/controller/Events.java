package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubeqpu.api.v1alpha1.QuantumApi;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events about our objects, as client-go's recorder writes them: the involved object's UID (kubectl
 * describe selects Events by it), reportingComponent and reportingInstance, and a correlator: the same Event
 * again within {@link #AGGREGATION_WINDOW} bumps {@code count} and {@code lastTimestamp} of the first instead of
 * creating another, and each object gets at most {@link #BURST} Events then one per {@link #REFILL} (client-go's
 * spam filter defaults). Calibrations (half of all Events before) thus stay one Event per backend with a count.
 * Sent by a thread of their own, as client-go's broadcaster does: a status write never waits for its Event, and when
 * more than {@link #QUEUE} wait, the newest are dropped (counted, logged at debug). The maps are only touched there.
 */
final class Events implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Events.class);
    /** As the events.k8s.io reportingController: who wrote the Event. */
    static final String REPORTING_CONTROLLER = "quantum.kubeqpu.io/operator";
    static final String COMPONENT = "kubeqpu-operator";
    static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    private static final int CACHE = 4096;
    static final int QUEUE = 1000;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.ThreadPoolExecutor sender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "kubeqpu-events");
                t.setDaemon(true);
                return t;
            }, (task, pool) -> {
                if (dropped.incrementAndGet() % 100 == 1) LOG.debugf("%d Events dropped: %d were waiting", dropped.get(), QUEUE);
            });

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;
    /** kind/namespace/name → UID, from status writes (a recreated object gets its new UID at its first write). */
    private final Map<String, String> uids = lru();
    /** Correlation key → the Event written for it. */
    private final Map<String, Seen> seen = lru();
    /** Involved object → its spam-filter bucket. */
    private final Map<String, Bucket> buckets = lru();

    private record Seen(String namespace, String name, int count, Instant first) {}

    private static final class Bucket {
        double tokens = BURST;
        Instant last;
    }

    Events(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        String pod = System.getenv("POD_NAME");
        String host = System.getenv("HOSTNAME");
        this.instance = pod != null && !pod.isBlank() ? pod : host != null && !host.isBlank() ? host : "kubeqpu";
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > CACHE;
            }
        };
    }

    /** Remembers an object's UID (from a status write's answer): its next Events need no GET. */
    void uid(String kind, String ns, String name, String uid) {
        if (uid != null) send(() -> uids.put(kind + "/" + ns + "/" + name, uid));
    }

    /** Records an Event, later, on the sender's thread; a failure is logged, never thrown. */
    void record(String kind, String ns, String name, String reason, String message, boolean warning) {
        send(() -> recordNow(kind, ns, name, reason, message, warning));
    }

    private void send(Runnable task) {
        if (sender.isShutdown()) return;
        sender.execute(task);
    }

    /** Nothing waits to be sent (tests, shutdown). */
    boolean idle() {
        return sender.getQueue().isEmpty() && sender.getActiveCount() == 0;
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }

    private void recordNow(String kind, String ns, String name, String reason, String message, boolean warning) {
        try {
            String uid = uids.get(kind + "/" + ns + "/" + name);
            if (uid == null) {
                uid = lookUpUid(kind, ns, name);
                if (uid == null) return; // the object is gone: nobody can describe it any more
                uid(kind, ns, name, uid);
            }
            Instant now = clock.instant();
            if (!allowed(kind + "/" + ns + "/" + name + "/" + uid, now)) {
                LOG.debugf("event %s for %s %s/%s dropped by the spam filter", reason, kind, ns, name);
                return;
            }
            String type = warning ? "Warning" : "Normal";
            String key = String.join("\u0000", kind, String.valueOf(ns), name, uid, type, reason, message);
            Seen s = seen.get(key);
            if (s != null && Duration.between(s.first(), now).compareTo(AGGREGATION_WINDOW) < 0) {
                int count = s.count() + 1;
                try {
                    ByName.of(client, Event.class, s.namespace(), s.name()).patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
                    seen.put(key, new Seen(s.namespace(), s.name(), count, s.first()));
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) throw e; // expired or deleted: write a new one
                }
            }
            // Events of cluster-scoped objects (backends) live in the default namespace, as the API server's own do.
            String eventNs = ns == null ? "default" : ns;
            String eventName = DerivedNames.name(name, "." + java.util.UUID.randomUUID().toString().substring(0, 8));
            Event e = new EventBuilder()
                    .withNewMetadata().withName(eventName).withNamespace(eventNs).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(QuantumApi.GROUP + "/" + QuantumApi.VERSION)
                            .withKind(kind).withNamespace(ns).withName(name).withUid(uid).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(REPORTING_CONTROLLER).withReportingInstance(instance)
                    .build();
            client.v1().events().inNamespace(eventNs).resource(e).create();
            seen.put(key, new Seen(eventNs, eventName, 1, now));
        } catch (KubernetesClientException | IllegalStateException ex) {
            LOG.debugf("event %s for %s %s/%s not recorded: %s", reason, kind, ns, name, ex.getMessage());
        }
    }

    /** client-go's token bucket per involved object: {@link #BURST} at once, then one per {@link #REFILL}. */
    private boolean allowed(String object, Instant now) {
        Bucket b = buckets.computeIfAbsent(object, k -> new Bucket());
        if (b.last != null)
            b.tokens = Math.min(BURST, b.tokens + (double) Duration.between(b.last, now).toMillis() / REFILL.toMillis());
        b.last = now;
        if (b.tokens < 1) return false;
        b.tokens -= 1;
        return true;
    }

    private String lookUpUid(String kind, String ns, String name) {
        Class<? extends HasMetadata> type = switch (kind) {
            case "QuantumBackend" -> QuantumBackend.class;
            case "QuantumInstance" -> QuantumInstance.class;
            case "QuantumSession" -> QuantumSession.class;
            case "QuantumBatch" -> QuantumBatch.class;
            default -> QuantumJob.class;
        };
        HasMetadata o = ByName.of(client, type, ns, name).get();
        return o == null ? null : o.getMetadata().getUid();
    }
}
