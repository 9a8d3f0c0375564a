package io.kubeqpu.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.LocalObjectRef;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumJobSpec;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.OperatorCore;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The README's first command: applies config/samples/ to the in-process API server, drives the session's
 * iterative loop (each new iteration submitted when the last one completed, as a VQE optimiser would), prints
 * the timeline, then a summary; then keeps serving for kubectl unless told to exit.
 */
public final class LocalDemo implements QuarkusApplication {
    static volatile Options options;
    static volatile LocalCluster cluster;

    public record Options(int port, boolean exitWhenDone, Path samples, int iterations, Duration timeout) {
        public static Options parse(String[] args) {
            int port = 0;
            boolean exit = false;
            Path samples = Path.of("config/samples");
            int iterations = 5;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--exit-when-done" -> exit = true;
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--samples" -> samples = Path.of(args[++i]);
                    case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(port, exit, samples, iterations, Duration.ofMinutes(3));
        }
    }

    /** Starts the in-process API server, points the operator at it, and runs the demo in Quarkus. */
    public static void launch(String[] args) {
        options = Options.parse(args);
        try (LocalCluster c = LocalCluster.start(options.port())) {
            c.configureQuarkus();
            cluster = c;
            Quarkus.run(LocalDemo.class, args);
        }
    }

    private static final Set<String> SETTLED = Set.of("CLOSED", "EXPIRED", "CANCELLED", "REJECTED", "INACTIVE");

    /** Set when the JVM shuts down (Ctrl+C): the client closes under the demo, which then just stops. */
    private static volatile boolean stopping;

    @Override
    public int run(String... args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true));
        try {
            return demo();
        } catch (IllegalStateException | io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (stopping) return 0; // "Client is closed": Ctrl+C came while the demo was still talking to the cluster
            throw e;
        }
    }

    private int demo() throws Exception {
        OperatorCore core = Arc.container().instance(OperatorCore.class).get();
        io.kubeqpu.OperatorApp.startOperator();
        KubernetesClient client = core.client();
        Instant t0 = Instant.now();
        Timeline timeline = new Timeline(System.out, t0, core.scheduler());
        core.observe(timeline::print);
        // Observability: the QPU timeline dashboard (io.kubeqpu.observe), served while the embedded cluster runs.
        io.kubeqpu.observe.DashboardServer dashboard = io.kubeqpu.observe.EmbeddedDashboard.start(core);
        System.out.println("kubeqpu embedded cluster: API server " + cluster.url() + ", operator and in-process QPUs");
        System.out.println("applying " + options.samples() + "/ ...");
        for (Path f : sampleFiles(options.samples())) {
            for (HasMetadata o : ManifestApplier.apply(client, Files.readString(f), "default"))
                System.out.printf("%9s  + %s %s%n", "", o.getKind(), o.getMetadata().getName());
        }
        runIterativeLoops(client, options.iterations(), t0.plus(options.timeout()));
        awaitSettled(client, t0.plus(options.timeout()));
        Summary.print(System.out, client, t0);
        if (options.exitWhenDone()) return 0;
        Path kubeconfig = cluster.writeKubeconfig(Path.of("target", "kubeqpu-local.kubeconfig"));
        System.out.println();
        System.out.println("The embedded cluster keeps serving. In another shell:");
        System.out.println("  export KUBECONFIG=" + kubeconfig.toAbsolutePath());
        System.out.println("  kubectl get qjob,qbatch,qsess -A");
        System.out.println("QPU timeline dashboard: " + dashboard.url() + "  (Prometheus text: " + dashboard.url().replace("/dashboard", "/metrics") + ")");
        System.out.println("Ctrl+C stops it.");
        Quarkus.waitForExit();
        return 0;
    }

    static List<Path> sampleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            // Backends and instances first, then workloads, then jobs: like kubectl apply -f on sorted names.
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted(Comparator.comparing((Path p) -> rank(p.getFileName().toString())).thenComparing(Path::toString))
                    .toList();
        }
    }

    private static int rank(String file) {
        if (file.contains("quantumbackend")) return 0;
        if (file.contains("quantuminstance")) return 1;
        if (file.contains("quantumsession") || file.contains("quantumbatch")) return 2;
        return 3;
    }

    /** For each active session that accepts jobs: submit its next iteration whenever all its jobs are done. */
    private static void runIterativeLoops(KubernetesClient client, int iterations, Instant deadline) throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            boolean pending = false;
            for (QuantumSession s : client.resources(QuantumSession.class).inAnyNamespace().list().getItems()) {
                if (s.getStatus() == null || s.getStatus().getPhase() == null) {
                    pending = true;
                    continue;
                }
                if (!Boolean.TRUE.equals(s.getSpec().getAcceptingJobs()) || SETTLED.contains(s.getStatus().getPhase().name())) continue;
                List<QuantumJob> jobs = jobsOf(client, s);
                if (jobs.isEmpty()) continue;
                boolean allDone = jobs.stream().allMatch(j -> j.getStatus() != null && j.getStatus().getPhase() != null
                        && Set.of("COMPLETED", "FAILED", "CANCELLED").contains(j.getStatus().getPhase().name()));
                if (!allDone) {
                    pending = true;
                } else if (jobs.size() < iterations) {
                    submitNextIteration(client, s, jobs);
                    pending = true;
                }
            }
            if (!pending) return;
            Thread.sleep(50);
        }
    }

    private static List<QuantumJob> jobsOf(KubernetesClient client, QuantumSession s) {
        List<QuantumJob> out = new ArrayList<>();
        for (QuantumJob j : client.resources(QuantumJob.class).inNamespace(s.getMetadata().getNamespace()).list().getItems())
            if (j.getSpec().getSessionRef() != null && s.getMetadata().getName().equals(j.getSpec().getSessionRef().getName())) out.add(j);
        out.sort(Comparator.comparing(j -> j.getMetadata().getCreationTimestamp()));
        return out;
    }

    /** The next optimiser step: the last job's circuit and observables, submitted as a new job in the session. */
    private static void submitNextIteration(KubernetesClient client, QuantumSession s, List<QuantumJob> jobs) {
        QuantumJob last = jobs.get(jobs.size() - 1);
        QuantumJob next = new QuantumJob();
        next.getMetadata().setNamespace(s.getMetadata().getNamespace());
        next.getMetadata().setName(s.getMetadata().getName() + "-iter-" + (jobs.size() + 1));
        QuantumJobSpec spec = last.getSpec();
        QuantumJobSpec copy = new QuantumJobSpec();
        copy.setPrimitive(spec.getPrimitive());
        copy.setPubs(spec.getPubs());
        copy.setShots(spec.getShots());
        copy.setPrecision(spec.getPrecision());
        LocalObjectRef ref = new LocalObjectRef();
        ref.setName(s.getMetadata().getName());
        copy.setSessionRef(ref);
        next.setSpec(copy);
        client.resource(next).create();
    }

    private static void awaitSettled(KubernetesClient client, Instant deadline) throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            boolean jobsDone = client.resources(QuantumJob.class).inAnyNamespace().list().getItems().stream()
                    .allMatch(j -> j.getStatus() != null && j.getStatus().getPhase() != null
                            && Set.of("COMPLETED", "FAILED", "CANCELLED").contains(j.getStatus().getPhase().name()));
            boolean workloadsDone = Stream.concat(
                            client.resources(QuantumSession.class).inAnyNamespace().list().getItems().stream().map(QuantumSession::getStatus),
                            client.resources(QuantumBatch.class).inAnyNamespace().list().getItems().stream().map(QuantumBatch::getStatus))
                    .allMatch(st -> st != null && st.getPhase() != null && SETTLED.contains(st.getPhase().name()));
            if (jobsDone && workloadsDone) return;
            Thread.sleep(100);
        }
        System.out.println("(timed out waiting for the samples to settle)");
    }
}
