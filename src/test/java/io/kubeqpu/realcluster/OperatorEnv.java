package io.kubeqpu.realcluster;

import static org.awaitility.Awaitility.await;

import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One test class's kubeqpu on the real API server: the chart installed with the real helm into {@code namespace},
 * a {@link SimulatorKubelet} for the class's backends, operator processes started from the chart's Deployment, and
 * a second namespace {@code work} for the users' objects. {@link #close()} deletes the class's objects while an
 * operator still runs (their finalizers), stops everything and uninstalls the release.
 */
public final class OperatorEnv implements AutoCloseable {
    public static final Duration T = Duration.ofSeconds(60);
    public final ControlPlane cp;
    public final String release;
    public final String namespace;
    public final String work;
    public final Install install;
    public final SimulatorKubelet kubelet;
    public final List<String> backends;
    public final List<OperatorProcess> operators = new ArrayList<>();

    public OperatorEnv(String release, List<String> backends, String... helmArgs) throws Exception {
        this.cp = ControlPlane.get();
        this.release = release;
        this.namespace = release + "-system";
        this.work = release + "-work";
        this.backends = backends;
        this.install = Install.helm(cp, release, namespace, helmArgs);
        cp.kubectl("create", "namespace", work).ok();
        this.kubelet = new SimulatorKubelet(cp, namespace, OperatorProcess.JAR, backends);
    }

    public OperatorProcess startOperator(String podName) throws Exception {
        return startOperator(podName, Map.of());
    }

    public OperatorProcess startOperator(String podName, Map<String, String> extraEnv) throws Exception {
        OperatorProcess op = OperatorProcess.start(cp, install, podName, kubelet, extraEnv);
        operators.add(op);
        return op;
    }

    /** kubectl apply -n work -f - (as the admin: users' objects). */
    public Cli.Result apply(String yaml) {
        return cp.kubectlIn(yaml, "apply", "-n", work, "-f", "-").ok();
    }

    /** Applies a job and waits until the operator has seen it: jobs run in the order it first sees them (DESIGN §3.11). */
    public QuantumJob applyInTurn(String name, String yaml) {
        apply(yaml);
        return awaitJob(name, j -> j.getStatus().getPhase() != null);
    }

    public Cli.Result kubectl(String... args) {
        List<String> a = new ArrayList<>(List.of("-n", work));
        a.addAll(List.of(args));
        return cp.cli("kubectl", a, Map.of());
    }

    public QuantumJob job(String name) {
        return cp.admin.resources(QuantumJob.class).inNamespace(work).withName(name).get();
    }

    public QuantumSession session(String name) {
        return cp.admin.resources(QuantumSession.class).inNamespace(work).withName(name).get();
    }

    public QuantumBatch batch(String name) {
        return cp.admin.resources(QuantumBatch.class).inNamespace(work).withName(name).get();
    }

    public QuantumBackend backend(String name) {
        return cp.admin.resources(QuantumBackend.class).withName(name).get();
    }

    public QuantumJob awaitJob(String name, Predicate<QuantumJob> p) {
        return awaitJob(name, p, T);
    }

    public QuantumJob awaitJob(String name, Predicate<QuantumJob> p, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            QuantumJob j = job(name);
            return j != null && j.getStatus() != null && p.test(j);
        });
        return job(name);
    }

    /** Uninstalls, then fails when the operators' logs show an API call the chart's RBAC refused. */
    public static void closeCheckingRbac(OperatorEnv env) {
        if (env == null) return;
        List<String> forbidden = env.forbidden();
        env.close();
        org.assertj.core.api.Assertions.assertThat(forbidden).as("API calls the chart's RBAC refused (operator logs)").isEmpty();
    }

    /** Every line of the operators' logs that says the API server refused a call (RBAC). */
    public List<String> forbidden() {
        List<String> all = new ArrayList<>();
        for (OperatorProcess op : operators) all.addAll(op.forbidden());
        // One line per distinct refusal is enough to say what the RBAC lacks.
        return all.stream().map(l -> l.replaceAll("^.*?(Failure executing|Message:)", "$1")).distinct().limit(5).toList();
    }

    @Override
    public void close() {
        boolean anyAlive = operators.stream().anyMatch(OperatorProcess::alive);
        try {
            if (anyAlive) {
                // Users' objects first (the operator removes its finalizers), then the backends.
                kubectl("delete", "qjob,qbatch,qsess,qinst", "--all", "--wait=true", "--timeout=60s");
                for (String b : backends) cp.kubectl("delete", "qpu", b, "--ignore-not-found", "--wait=true", "--timeout=60s");
            }
        } finally {
            operators.forEach(OperatorProcess::close);
            kubelet.close();
            cp.helm("uninstall", release, "-n", namespace, "--wait");
        }
    }
}
