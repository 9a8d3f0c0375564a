package io.kubeqpu.reliability;

import io.kubeqpu.controller.OperatorCore;
import io.kubeqpu.scheduler.Decision;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every decision of every operator incarnation it is attached to: how often each job was started and how often it
 * reached a terminal phase, and which incarnation emitted decisions. Attach with
 * {@code harness.onEachStart(log::attach)} so a restarted core is watched from its first decision.
 */
final class DecisionLog {
    final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    final Map<String, List<String>> terminals = new ConcurrentHashMap<>();
    /** Incarnation number → decisions it emitted. */
    final Map<Integer, AtomicInteger> decisionsByIncarnation = new ConcurrentHashMap<>();
    final List<String> startLog = new CopyOnWriteArrayList<>();
    private final AtomicInteger incarnations = new AtomicInteger();

    void attach(OperatorCore core) {
        int me = incarnations.incrementAndGet();
        AtomicInteger mine = decisionsByIncarnation.computeIfAbsent(me, k -> new AtomicInteger());
        core.observe((List<Decision> ds) -> {
            mine.addAndGet(ds.size());
            for (Decision d : ds) {
                if (d instanceof Decision.StartJob s) {
                    starts.computeIfAbsent(s.job(), k -> new AtomicInteger()).incrementAndGet();
                    startLog.add(me + ":" + s.job());
                } else if (d instanceof Decision.JobPhaseChanged c && c.phase().isTerminal()) {
                    terminals.computeIfAbsent(c.job(), k -> new CopyOnWriteArrayList<>()).add(me + ":" + c.phase() + ":" + c.reason());
                }
            }
        });
    }

    int startsOf(String job) {
        AtomicInteger n = starts.get(job);
        return n == null ? 0 : n.get();
    }

    int incarnations() {
        return incarnations.get();
    }
}
