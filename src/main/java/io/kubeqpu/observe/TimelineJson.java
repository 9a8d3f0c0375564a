package io.kubeqpu.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeqpu.scheduler.BackendSpec;
import io.kubeqpu.scheduler.BackendView;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Scheduler;
import java.time.Instant;
import java.util.HashSet;
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

    private final TimelineRecorder recorder;
    private final Supplier<Scheduler> scheduler;

    public TimelineJson(TimelineRecorder recorder, Supplier<Scheduler> scheduler) {
        this.recorder = recorder;
        this.scheduler = scheduler;
    }

    public String render(Instant now) {
        Scheduler s = scheduler.get();
        List<JobView> jobs = s.jobs();
        Set<String> names = new TreeSet<>(recorder.backends());
        // Backends with queued work but nothing run yet get a lane too.
        for (JobView j : jobs) if (j.backend() != null && !j.phase().isTerminal()) names.add(j.backend());
        ObjectNode root = MAPPER.createObjectNode();
        root.put("now", now.toEpochMilli());
        ArrayNode backends = root.putArray("backends");
        long from = now.toEpochMilli();
        for (String name : names) {
            List<Bar> bars = recorder.bars(name);
            for (Bar b : bars) from = Math.min(from, b.start().toEpochMilli());
            backends.add(backend(s, name, bars, jobs, now));
        }
        root.put("from", from);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode backend(Scheduler s, String name, List<Bar> bars, List<JobView> jobs, Instant now) {
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
        n.set("queue", queue(s, name, jobs, now));
        return n;
    }

    private static ObjectNode bar(Bar b) {
        ObjectNode o = MAPPER.createObjectNode();
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

    private static ArrayNode queue(Scheduler s, String backend, List<JobView> jobs, Instant now) {
        Map<String, Integer> positions = s.queuePositions(backend);
        Map<String, Instant> estimates = EstimatedStart.forQueue(now, positions,
                EstimatedStart.meanRunSeconds(jobs, backend),
                s.backendSpec(backend) == null ? 1 : s.backendSpec(backend).parallelism(),
                s.backend(backend).filter(BackendView::calibrating).map(BackendView::calibratingUntil).orElse(null));
        ArrayNode rows = MAPPER.createArrayNode();
        Set<String> shown = new HashSet<>();
        for (Map.Entry<String, Integer> e : positions.entrySet()) {
            if (rows.size() >= QUEUE_ROWS) break;
            JobView j = s.job(e.getKey()).orElse(null);
            if (j == null) continue;
            shown.add(j.id());
            ObjectNode r = rows.addObject();
            r.put("position", e.getValue());
            r.put("job", Labels.name(j.id()));
            r.put("instance", j.instance());
            r.put("mode", WorkMode.of(j, s).label());
            r.put("workload", j.workload() == null ? null : Labels.name(j.workload()));
            r.put("waitingSeconds", j.queuedAt() == null ? 0 : (now.toEpochMilli() - j.queuedAt().toEpochMilli()) / 1000.0);
            Instant est = estimates.get(e.getKey());
            if (est != null) r.put("estimatedStartAt", est.toEpochMilli());
        }
        return rows;
    }
}
