package io.kubeqpu.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/** The end-of-demo tables: what `kubectl get qjob,qbatch,qsess` would show, plus wait times. */
final class Summary {
    private Summary() {}

    static void print(PrintStream out, KubernetesClient client, Instant t0) {
        out.println();
        out.printf("%-22s %-8s %-10s %9s %9s  %s%n", "JOB", "MODE", "PHASE", "WAIT s", "QPU s", "REASON");
        client.resources(QuantumJob.class).inAnyNamespace().list().getItems().stream()
                .sorted(Comparator.comparing(j -> j.getMetadata().getName())).forEach(j -> {
                    var st = j.getStatus();
                    String wait = st.getQueuedAt() != null && st.getStartedAt() != null
                            ? String.format("%.3f", Duration.between(Instant.parse(st.getQueuedAt()), Instant.parse(st.getStartedAt())).toNanos() / 1e9) : "-";
                    out.printf("%-22s %-8s %-10s %9s %9s  %s%n", j.getMetadata().getName(),
                            st.getMode() == null ? "-" : st.getMode().name().toLowerCase(), st.getPhase(), wait,
                            st.getUsage() == null ? "-" : String.format("%.3f", st.getUsage().getQuantumSeconds()),
                            st.getReason() == null ? "" : st.getReason());
                });
        out.println();
        out.printf("%-22s %-8s %-10s %5s %9s  %s%n", "WORKLOAD", "KIND", "PHASE", "JOBS", "USAGE s", "REASON");
        client.resources(QuantumBatch.class).inAnyNamespace().list().getItems()
                .forEach(b -> row(out, b.getMetadata().getName(), "batch", b.getStatus()));
        client.resources(QuantumSession.class).inAnyNamespace().list().getItems()
                .forEach(s -> row(out, s.getMetadata().getName(), "session", s.getStatus()));
    }

    private static void row(PrintStream out, String name, String kind, WorkloadStatus st) {
        if (st == null) return;
        out.printf("%-22s %-8s %-10s %5s %9s  %s%n", name, kind, st.getPhase(),
                st.getJobs() == null ? "-" : st.getJobs().getCompleted() + "/" + st.getJobs().getTotal(),
                st.getUsage() == null ? "-" : String.format("%.3f", st.getUsage().getQuantumSeconds()),
                st.getReason() == null ? "" : st.getReason());
    }
}
