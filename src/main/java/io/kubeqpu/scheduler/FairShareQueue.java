package io.kubeqpu.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One backend's normal queue: weighted fair share across instances, FIFO within an instance.
 *
 * <p>Each instance with queued jobs has a lane; lanes sit in a tree ordered by (recent usage ÷ weight,
 * oldest head job, name), so picking the next job costs O(log instances) and adding or removing one
 * O(log n). A lane keeps single jobs apart from jobs of workloads waiting for the backend's lease:
 * while another workload holds it, those cannot start and are skipped without a scan.
 */
final class FairShareQueue {

    /** One instance's queued jobs on this backend. The key fields are frozen while the lane is in the tree. */
    private static final class Lane {
        final InstanceState instance;
        final TreeSet<JobState> single = new TreeSet<>(JobState.FIFO);
        final TreeSet<JobState> ofWorkloads = new TreeSet<>(JobState.FIFO);
        double keyShare;
        JobState keyHead;
        /** Both sets merged in FIFO order for snapshots; null once either changed. Never modified. */
        JobState[] fifo;

        Lane(InstanceState instance) {
            this.instance = instance;
        }

        boolean isEmpty() {
            return single.isEmpty() && ofWorkloads.isEmpty();
        }

        JobState head(boolean workloadsAllowed) {
            JobState s = single.isEmpty() ? null : single.first();
            if (!workloadsAllowed || ofWorkloads.isEmpty()) return s;
            JobState w = ofWorkloads.first();
            return s == null || JobState.FIFO.compare(w, s) < 0 ? w : s;
        }

        int size() {
            return single.size() + ofWorkloads.size();
        }
    }

    private static final Comparator<Lane> ORDER = Comparator.<Lane>comparingDouble(l -> l.keyShare)
            .thenComparing(l -> l.keyHead, JobState.FIFO)
            .thenComparing(l -> l.instance.spec.name());

    private final Map<String, Lane> lanes = new HashMap<>();
    private final TreeSet<Lane> order = new TreeSet<>(ORDER);
    private int size;
    /** Queued single jobs (job mode): those a batch's spare slots serve first (DESIGN §3.3). */
    private int singles;

    int size() {
        return size;
    }

    /** Whether a job-mode job waits here: while one does, a batch holding the lease takes no second slot. */
    boolean hasSingleJobs() {
        return singles > 0;
    }

    boolean contains(InstanceState instance) {
        return lanes.containsKey(instance.spec.name());
    }

    void add(JobState job, InstanceState instance) {
        Lane lane = lanes.computeIfAbsent(instance.spec.name(), n -> new Lane(instance));
        detach(lane);
        lane.fifo = null;
        if ((job.workload == null ? lane.single : lane.ofWorkloads).add(job)) {
            size++;
            if (job.workload == null) singles++;
        }
        attach(lane);
    }

    void remove(JobState job) {
        Lane lane = lanes.get(job.instance);
        if (lane == null) return;
        detach(lane);
        lane.fifo = null;
        boolean removed = (job.workload == null ? lane.single : lane.ofWorkloads).remove(job);
        if (removed) {
            size--;
            if (job.workload == null) singles--;
        }
        if (lane.isEmpty()) lanes.remove(job.instance);
        else attach(lane);
    }

    /** Call after the instance's recent usage or weight changed, so its lane moves to its new place. */
    void reorder(InstanceState instance) {
        Lane lane = lanes.get(instance.spec.name());
        if (lane == null) return;
        detach(lane);
        attach(lane);
    }

    /**
     * The job fair share picks next, or null.
     *
     * @param workloadsAllowed false while another workload holds the lease: jobs of waiting workloads are skipped
     */
    JobState peek(boolean workloadsAllowed) {
        for (Lane lane : order) {
            JobState head = lane.head(workloadsAllowed);
            if (head != null) return head;
        }
        return null;
    }

    /** Every queued job of the instance, oldest first. */
    List<JobState> jobsOf(String instance) {
        Lane lane = lanes.get(instance);
        if (lane == null) return List.of();
        List<JobState> all = new ArrayList<>(lane.single);
        all.addAll(lane.ofWorkloads);
        all.sort(JobState.FIFO);
        return all;
    }

    void forEachLaneInstance(Consumer<InstanceState> action) {
        List<Lane> copy = new ArrayList<>(lanes.values());
        copy.forEach(l -> action.accept(l.instance));
    }

    /**
     * The lanes for a {@link QueueSnapshot}: each instance's jobs in FIFO order (an array kept until the lane changes,
     * so only lanes changed since the last snapshot are copied), its virtual clock's start (recent usage ÷ weight) and
     * the step one job of {@code secondsPerJob} adds to it.
     */
    QueueSnapshot.Lane[] snapshot(double secondsPerJob, FairShare fairShare, java.time.Instant now) {
        double step = fairShare.scaled(secondsPerJob, now);
        QueueSnapshot.Lane[] out = new QueueSnapshot.Lane[lanes.size()];
        int i = 0;
        for (Lane lane : lanes.values()) {
            double weight = lane.instance.spec.weight();
            if (lane.fifo == null) lane.fifo = QueueSnapshot.fifo(lane.single, lane.ofWorkloads);
            out[i++] = new QueueSnapshot.Lane(lane.instance.spec.name(), lane.instance.scaledRecentUsage / weight,
                    step / weight, lane.fifo);
        }
        return out;
    }

    private void detach(Lane lane) {
        if (lane.keyHead != null) order.remove(lane);
        lane.keyHead = null;
    }

    private void attach(Lane lane) {
        if (lane.isEmpty()) return;
        lane.keyShare = lane.instance.scaledRecentUsage / lane.instance.spec.weight();
        lane.keyHead = lane.head(true);
        order.add(lane);
    }
}
