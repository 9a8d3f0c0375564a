package io.kubeqpu.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeqpu.scheduler.BackendSpec;
import io.kubeqpu.scheduler.BackendView;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.QueueSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The dashboard's {@code /dashboard/api/timeline} document: per backend its bars, idle gaps and current queue.
 * Times are epoch milliseconds so the page does no date parsing.
 */
public final class TimelineJson {
    /** Queue rows shown per backend: the page is a picture, not a listing. */
    static final int QUEUE_ROWS = 50;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Jobs that ended without running and rejected workloads listed, newest first. */
    static final int UNRUN_ROWS = 50;
    private final TimelineRecorder recorder;
    private final Supplier<Scheduler> scheduler;
    private final java.util.function.Predicate<String> backendExists;

    public TimelineJson(TimelineRecorder recorder, Supplier<Scheduler> scheduler) {
        this(recorder, scheduler, b -> true);
    }

    /** @param backendExists false for a backend whose QuantumBackend was deleted: its lane is no longer shown */
    public TimelineJson(TimelineRecorder recorder, Supplier<Scheduler> scheduler, java.util.function.Predicate<String> backendExists) {
        this.recorder = recorder;
        this.scheduler = scheduler;
        this.backendExists = backendExists;
    }

    public String render(Instant now) {
        Scheduler s = scheduler.get();
        Set<String> names = new TreeSet<>(recorder.backends());
        // Backends with queued work but nothing run yet get a lane too. No walk of every job: a refresh at 100,000
        // finished jobs held the scheduler's lock for a view of each.
        for (BackendView b : s.backends()) if (b.queueLength() > 0 || b.runningJobs() > 0) names.add(b.name());
        names.removeIf(b -> !backendExists.test(b) || s.backendSpec(b) == null);
        ObjectNode root = MAPPER.createObjectNode();
        root.put("now", now.toEpochMilli());
        ArrayNode backends = root.putArray("backends");
        long from = now.toEpochMilli();
        for (String name : names) {
            List<Bar> bars = recorder.bars(name);
            for (Bar b : bars) from = Math.min(from, b.start().toEpochMilli());
            backends.add(backend(s, name, bars, now));
        }
        root.put("from", from);
        root.set("unrun", unrun(s));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode backend(Scheduler s, String name, List<Bar> bars, Instant now) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", name);
        BackendSpec spec = s.backendSpec(name);
        n.put("parallelism", spec == null ? 1 : spec.parallelism());
        BackendView v = s.backend(name).orElse(null);
        if (v != null) {
            n.put("up", v.up());
            n.put("leaseHolder", v.leaseHolder() == null ? null : Labels.name(v.leaseHolder()));
            n.put("leaseMode", v.leaseMode() == null ? null : v.leaseMode().name().toLowerCase());
            n.put("queueLength", v.queueLength());
            n.put("runningJobs", v.runningJobs());
            n.put("calibrating", v.calibrating());
        }
        ArrayNode out = n.putArray("bars");
        for (Bar b : bars) out.add(bar(b));
        Instant laneStart = bars.stream().map(Bar::start).min(Instant::compareTo).orElse(now);
        ArrayNode idle = n.putArray("idle");
        for (Bar g : TimelineRecorder.idleGaps(bars, laneStart, now))
            idle.addObject().put("start", g.start().toEpochMilli()).put("end", g.end().toEpochMilli());
        n.set("queue", queue(s, name, now));
        return n;
    }

    /**
     * What never reached a QPU, so has no bar: jobs that failed before running (usage limit, closed workload, a bad
     * circuit) and rejected sessions or batches.
     */
    private static ArrayNode unrun(Scheduler s) {
        record Row(String kind, String id, String instance, String backend, String reason, String message, Instant at) {}
        List<Row> rows = new java.util.ArrayList<>();
        for (JobView j : s.failedBeforeStart(UNRUN_ROWS))
            rows.add(new Row("job", j.id(), j.instance(), j.backend(), j.reason(), j.message(),
                    j.completedAt() != null ? j.completedAt() : j.queuedAt()));
        for (var w : s.rejectedWorkloads())
            rows.add(new Row(w.kind().name().toLowerCase(), w.id(), w.instance(), w.backend(), w.reason(), w.message(), null));
        rows.sort(java.util.Comparator.comparing((Row r) -> r.at() == null ? Instant.MAX : r.at()).reversed());
        ArrayNode out = MAPPER.createArrayNode();
        for (Row r : rows.subList(0, Math.min(UNRUN_ROWS, rows.size()))) {
            ObjectNode o = out.addObject();
            o.put("kind", r.kind());
            o.put("name", Labels.name(r.id()));
            o.put("namespace", Labels.namespace(r.id()));
            o.put("instance", r.instance());
            o.put("backend", r.backend());
            o.put("reason", r.reason());
            o.put("message", r.message());
            if (r.at() != null) o.put("at", r.at().toEpochMilli());
        }
        return out;
    }

    private static ObjectNode bar(Bar b) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("namespace", Labels.namespace(b.id()));
        o.put("kind", b.kind().cssClass());
        o.put("id", b.id());
        o.put("label", b.label());
        o.put("workload", b.workload() == null ? null : Labels.name(b.workload()));
        o.put("instance", b.instance());
        o.put("start", b.start().toEpochMilli());
        if (b.end() != null) o.put("end", b.end().toEpochMilli());
        o.put("ongoing", b.ongoing());
        o.put("outcome", b.outcome());
        return o;
    }

    private static ArrayNode queue(Scheduler s, String backend, Instant now) {
        QueueSnapshot queue = s.queueSnapshot(backend);
        ArrayNode rows = MAPPER.createArrayNode();
        int position = 0;
        for (String id : queue.head(QUEUE_ROWS)) {
            position++;
            JobView j = s.job(id).orElse(null);
            if (j == null) continue;
            ObjectNode r = rows.addObject();
            r.put("position", position);
            r.put("job", Labels.name(j.id()));
            r.put("namespace", Labels.namespace(j.id()));
            r.put("instance", j.instance());
            r.put("mode", WorkMode.of(j, s).label());
            r.put("workload", j.workload() == null ? null : Labels.name(j.workload()));
            r.put("waitingSeconds", j.queuedAt() == null ? 0 : (now.toEpochMilli() - j.queuedAt().toEpochMilli()) / 1000.0);
            Instant est = queue.estimatedStartAt(position);
            if (est != null) r.put("estimatedStartAt", est.toEpochMilli());
        }
        return rows;
    }
}
