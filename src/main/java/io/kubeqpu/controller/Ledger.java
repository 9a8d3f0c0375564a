package io.kubeqpu.controller;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeqpu.scheduler.InstanceView;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.LeaseMode;
import io.kubeqpu.scheduler.SchedulerSnapshot.InstanceRecord;
import io.kubeqpu.scheduler.SchedulerSnapshot.JobRecord;
import io.kubeqpu.scheduler.SchedulerSnapshot.WorkloadRecord;
import io.kubeqpu.scheduler.WorkloadPhase;
import io.kubeqpu.scheduler.WorkloadView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The operator's own record of what a restart must not take from the statuses: instances' usage, workloads' phase,
 * lease and timer anchors, running jobs' start and stop-at-limit instants. Whoever may write {@code …/status} (a
 * tenant given too much, a careless script) could otherwise reset usage or move deadlines to 2036, effective at the
 * next restart. It lives in {@value #SHARDS} ConfigMaps {@code kubeqpu-ledger-N} in the operator's own namespace, where
 * tenants have no rights; restore reads it and uses the statuses only where they can grant nothing (see the merges).
 *
 * <p>Entries are keyed by a hash of the scheduler id and carry the object's UID: an object deleted and re-created under
 * its name while the operator was down does not inherit the old one's entry. Written by the status writer's thread,
 * before the statuses of the same pass, at most every {@value #FLUSH_EVERY_MILLIS} ms. An entry is 250–330 bytes per
 * workload (~120 per running job), so {@value #SHARDS} shards of ≤ 1 MiB hold about 13,000 workloads.
 */
final class Ledger {
    private static final Logger LOG = Logger.getLogger(Ledger.class);
    static final int SHARDS = 4;
    static final String PREFIX = "kubeqpu-ledger-";
    static final long FLUSH_EVERY_MILLIS = 100;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** An instance's period usage (closed: sessions' open lease intervals are charged from the lease) and fair share. */
    record InstanceEntry(String uid, String periodStart, double usage, double recent, String recentAsOf) {}

    /** A workload's phase, lease and anchors; {@code usage} is its closed usage. */
    record WorkloadEntry(String uid, String phase, String startedAt, String lastJobCompletedAt, String leaseMode,
                         String leaseAcquiredAt, String usageFrom, String leaseReleasedAt, double usage) {}

    /** A running job's start (its max-execution anchor) and its stop-at-usage-limit instant. */
    record JobEntry(String uid, String startedAt, String stopAt) {}

    enum Kind {
        INSTANCE("i-"), WORKLOAD("w-"), JOB("j-");
        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    /** Shard → data key → entry JSON: what the ConfigMaps hold (or will, once flushed). */
    private final Map<Integer, Map<String, String>> shards = new ConcurrentHashMap<>();
    private final Set<Integer> dirty = ConcurrentHashMap.newKeySet();
    private final Set<Integer> existing = ConcurrentHashMap.newKeySet();
    /** Data key → UID of the object it is about, as the reconcilers and the restore saw it. */
    private final Map<String, String> uids = new ConcurrentHashMap<>();
    private volatile boolean initialized;
    private long nextFlush;
    private volatile boolean failing;

    Ledger(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The operator's own namespace: its client's (the chart sets it from the pod, KUBERNETES_NAMESPACE), else default. */
    static String operatorNamespace(KubernetesClient client) {
        String ns = client.getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }

    String namespace() {
        return namespace;
    }

    // ------------------------------------------------------------------ reading (restore)

    /**
     * Reads the ConfigMaps (a GET per shard). True when a ledger was found: then an object it has no entry for was not
     * known to the operator when it last wrote (or is new), and its status is trusted for nothing that grants.
     */
    boolean read() {
        boolean any = false;
        for (int s = 0; s < SHARDS; s++) {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(PREFIX + s).get();
            Map<String, String> data = new ConcurrentHashMap<>();
            if (cm != null) {
                any = true;
                existing.add(s);
                if (cm.getData() != null) data.putAll(cm.getData());
            }
            shards.put(s, data);
        }
        initialized = any;
        return any;
    }

    boolean initialized() {
        return initialized;
    }

    InstanceEntry instance(String id, String uid) {
        return entry(Kind.INSTANCE, id, uid, InstanceEntry.class);
    }

    WorkloadEntry workload(String id, String uid) {
        return entry(Kind.WORKLOAD, id, uid, WorkloadEntry.class);
    }

    JobEntry job(String id, String uid) {
        return entry(Kind.JOB, id, uid, JobEntry.class);
    }

    private <T> T entry(Kind kind, String id, String uid, Class<T> type) {
        String key = key(kind, id);
        known(kind, id, uid);
        String json = shard(key).get(key);
        if (json == null) return null;
        try {
            T e = JSON.readValue(json, type);
            String entryUid = (String) type.getMethod("uid").invoke(e);
            return uid != null && uid.equals(entryUid) ? e : null;
        } catch (Exception ex) {
            LOG.warnf("ledger entry %s of %s unreadable: %s", key, id, ex.getMessage());
            return null;
        }
    }

    /** Drops every entry no listed object claims (objects deleted while the operator was down). */
    void keepOnly(Set<String> ids) {
        Set<String> keep = new java.util.HashSet<>();
        for (String id : ids) for (Kind k : Kind.values()) keep.add(key(k, id));
        for (var e : shards.entrySet())
            if (e.getValue().keySet().removeIf(k -> !keep.contains(k))) dirty.add(e.getKey());
        uids.keySet().retainAll(keep);
    }

    // ------------------------------------------------------------------ writing (the status writer's thread)

    /** The UID of an object as its reconciler (or the restore) saw it: entries are written for it. */
    void known(Kind kind, String id, String uid) {
        if (uid != null) uids.put(key(kind, id), uid);
    }

    void forget(Kind kind, String id) {
        String key = key(kind, id);
        uids.remove(key);
        put(key, null);
    }

    void instance(String id, InstanceView v) {
        String key = key(Kind.INSTANCE, id);
        String uid = uids.get(key);
        if (uid == null) return;
        put(key, json(new InstanceEntry(uid, str(v.periodStart()), v.closedUsageSeconds(), v.recentUsageSeconds(), str(v.asOf()))));
    }

    void workload(String id, WorkloadView v) {
        String key = key(Kind.WORKLOAD, id);
        String uid = uids.get(key);
        if (uid == null) return;
        put(key, json(new WorkloadEntry(uid, v.phase().name(), str(v.startedAt()), str(v.lastJobCompletedAt()),
                v.leaseMode() == null ? null : v.leaseMode().name(), str(v.leaseAcquiredAt()), str(v.usageFrom()),
                str(v.leaseReleasedAt()), v.closedUsageSeconds())));
    }

    /** A running job gets an entry; any other phase has nothing a forged status could stretch, so none. */
    void job(String id, JobView v) {
        String key = key(Kind.JOB, id);
        if (v == null || v.phase() != io.kubeqpu.scheduler.JobPhase.RUNNING) {
            put(key, null);
            return;
        }
        String uid = uids.get(key);
        if (uid == null) return;
        put(key, json(new JobEntry(uid, str(v.startedAt()), str(v.usageLimitDeadline()))));
    }

    private void put(String key, String json) {
        Map<String, String> shard = shard(key);
        String before = json == null ? shard.remove(key) : shard.put(key, json);
        if (!java.util.Objects.equals(before, json)) dirty.add(shardOf(key));
    }

    /** Marks every shard to be written (after a restore: a ledger exists from then on, even an empty one). */
    void touchAll() {
        for (int s = 0; s < SHARDS; s++) {
            shards.computeIfAbsent(s, k -> new ConcurrentHashMap<>());
            dirty.add(s);
        }
    }

    /** Nothing left to write, or writing fails (then flushes wait for nothing: restore falls back, and says so). */
    boolean settled() {
        return dirty.isEmpty() || failing;
    }

    /**
     * Writes the changed shards, at most every {@value #FLUSH_EVERY_MILLIS} ms (1 s after a refused write). Create
     * first, then unconditional update (only the leader writes): the operator's configmaps get/create/update.
     */
    synchronized void flush(boolean force) {
        if (dirty.isEmpty()) return;
        long now = System.nanoTime();
        if (!force && now - nextFlush < 0) return;
        nextFlush = now + FLUSH_EVERY_MILLIS * 1_000_000;
        for (Integer s : dirty.toArray(Integer[]::new)) {
            dirty.remove(s);
            ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(PREFIX + s).withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/part-of", "kubeqpu").addToLabels("app.kubernetes.io/component", "ledger")
                    .endMetadata().withData(new TreeMap<>(shards.getOrDefault(s, Map.of()))).build();
            try {
                if (existing.contains(s)) {
                    update(cm, s);
                } else {
                    try {
                        client.configMaps().inNamespace(namespace).resource(cm).create();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) throw e;
                        update(cm, s);
                    }
                    existing.add(s);
                }
                initialized = true;
                if (failing) LOG.infof("ledger %s/%s%d written again", namespace, PREFIX, s);
                failing = false;
            } catch (KubernetesClientException e) {
                dirty.add(s);
                nextFlush = now + 1_000_000_000L;
                // Restore then falls back to the statuses for what the ledger lacks: say so once, not every second.
                if (!failing) LOG.warnf("ledger %s/%s%d not written (%s): a restart meanwhile would trust statuses for "
                        + "what it lacks", namespace, PREFIX, s, e.getMessage());
                failing = true;
            }
        }
    }

    private void update(ConfigMap cm, int s) {
        try {
            client.configMaps().inNamespace(namespace).resource(cm).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
            existing.remove(s);
            client.configMaps().inNamespace(namespace).resource(cm).create();
            existing.add(s);
        }
    }

    /** How many objects it keeps something about (the churn benchmark: deleted ones must be forgotten). */
    int size() {
        int n = 0;
        for (Map<String, String> m : shards.values()) n += m.size();
        return Math.max(n, uids.size());
    }

    // ------------------------------------------------------------------ merges: status record + ledger entry

    /**
     * The instance's usage: the ledger's period and usage; a status of the same period counts only where it says more
     * (the ledger may lag it by a flush). Fair-share usage is the ledger's. No entry: the status, as before.
     */
    static InstanceRecord merge(InstanceRecord st, InstanceEntry e, Instant now) {
        if (e == null) return st;
        Instant period = instant(e.periodStart());
        double usage = e.usage();
        Instant statusPeriod = st.periodStart();
        if (statusPeriod != null && statusPeriod.equals(period)) {
            usage = Math.max(usage, st.periodUsageSeconds());
        } else if (statusPeriod != null && (period == null || statusPeriod.isAfter(period)) && !statusPeriod.isAfter(now)
                && aligned(statusPeriod, st.spec().usagePeriod())) {
            // A later period than the ledger knew (it rolled just before the stop): the ledger's usage belongs to an
            // older one and counts for nothing now. A made-up period start (not on the period's grid) is ignored.
            period = statusPeriod;
            usage = st.periodUsageSeconds();
        }
        return new InstanceRecord(st.spec(), Math.max(0, usage), period, Math.max(0, e.recent()), instant(e.recentAsOf()));
    }

    /** Periods are aligned on the epoch (InstanceState): a true period start is a multiple of the period. */
    private static boolean aligned(Instant t, java.time.Duration period) {
        return period != null && period.toMillis() > 0 && Math.floorMod(t.toEpochMilli(), period.toMillis()) == 0;
    }

    /**
     * A workload: the ledger's phase, lease and closed usage (more usage in the status counts); the earlier of the two
     * for each anchor, so a moved anchor moves no deadline out. A status that has ended it wins (it can only end it).
     * No entry while a ledger exists (new since the last flush, or forged whole): no lease and nothing in the future.
     */
    static WorkloadRecord merge(WorkloadRecord st, WorkloadEntry e, boolean ledgerExists, Instant now) {
        if (e == null && !ledgerExists) return st;
        if (e == null) {
            return new WorkloadRecord(st.spec(), st.phase(), st.reason(), st.message(), null, null,
                    notAfter(st.leaseReleasedAt(), now), notAfter(st.startedAt(), now), notAfter(st.lastJobCompletedAt(), now),
                    Math.max(0, st.usageSeconds()), null);
        }
        WorkloadPhase ledgerPhase = WorkloadPhase.valueOf(e.phase());
        WorkloadPhase phase = st.phase().isTerminal() ? st.phase() : ledgerPhase;
        boolean sameWords = phase == st.phase();
        boolean lease = !phase.isTerminal() && e.leaseMode() != null;
        return new WorkloadRecord(st.spec(), phase, sameWords ? st.reason() : null, sameWords ? st.message() : null,
                lease ? LeaseMode.valueOf(e.leaseMode()) : null, lease ? instant(e.leaseAcquiredAt()) : null,
                instant(e.leaseReleasedAt()), earlier(instant(e.startedAt()), notAfter(st.startedAt(), now)),
                earlier(instant(e.lastJobCompletedAt()), notAfter(st.lastJobCompletedAt(), now)),
                Math.max(e.usage(), st.usageSeconds()), lease ? instant(e.usageFrom()) : null);
    }

    /** A running job: the earlier start and the earlier stop-at-limit of the two (a missing stop is no stop). */
    static JobRecord merge(JobRecord st, JobEntry e, boolean ledgerExists, Instant now) {
        if (st.phase() != io.kubeqpu.scheduler.JobPhase.RUNNING || (e == null && !ledgerExists)) return st;
        Instant started = notAfter(st.startedAt(), now);
        Instant stopAt = st.stopAt();
        if (e != null) {
            started = earlier(instant(e.startedAt()), started);
            stopAt = earlier(instant(e.stopAt()), stopAt);
        }
        return new JobRecord(st.spec(), st.phase(), st.reason(), st.message(), started, st.completedAt(), st.quantumSeconds(),
                st.attempts(), stopAt, st.arrival());
    }

    /** The earlier of two instants; null only when both are. */
    static Instant earlier(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isBefore(b) ? a : b;
    }

    /** An anchor read from a status cannot lie in the future: a future one is taken as now. */
    static Instant notAfter(Instant t, Instant now) {
        return t == null || !t.isAfter(now) ? t : now;
    }

    // ------------------------------------------------------------------ keys

    static String key(Kind kind, String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return kind.prefix + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> shard(String key) {
        return shards.computeIfAbsent(shardOf(key), k -> new ConcurrentHashMap<>());
    }

    static int shardOf(String key) {
        return Math.floorMod(key.hashCode(), SHARDS);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(String s) {
        return s == null || s.isBlank() ? null : Instant.parse(s);
    }
}
