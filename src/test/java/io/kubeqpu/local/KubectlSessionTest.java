package io.kubeqpu.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.controller.OperatorHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kubectl session against the embedded API server (LocalCluster) with the operator running, driven by the real
 * kubectl binary; skipped, saying so, where kubectl is not installed. The steps share one cluster and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlSessionTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static KubernetesClient client;
    static OperatorHarness operator;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> binary = Kubectl.find();
        Assumptions.assumeTrue(binary.isPresent(), "kubectl is not installed (PATH, /usr/bin or $KUBECTL): skipping the kubectl session");
        cluster = LocalCluster.start(0);
        client = cluster.client();
        operator = new OperatorHarness(client);
        kubectl = new Kubectl(binary.get(), cluster.writeKubeconfig(dir.resolve("kubeconfig")));
    }

    @AfterAll
    static void stop() {
        if (operator != null) operator.close();
        if (client != null) client.close();
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void applyCreatesTheSamples() {
        Kubectl.Result r = kubectl.run("apply", "-f", "config/samples/");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("quantumbackend.quantum.kubeqpu.io/sim-eagle created",
                "quantumjob.quantum.kubeqpu.io/bell created", "quantumsession.quantum.kubeqpu.io/vqe created",
                "quantumbatch.quantum.kubeqpu.io/rx-sweep created");
    }

    @Test
    @Order(2)
    void reapplyIsUnchangedAndAnEditIsAMergePatch() throws Exception {
        Kubectl.Result again = kubectl.run("apply", "-f", "config/samples/");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).contains("quantumjob.quantum.kubeqpu.io/bell unchanged").doesNotContain("configured");

        String students = Files.readString(Path.of("config/samples/quantum_v1alpha1_quantuminstance_students.yaml"))
                .replace("weight: 1.0", "weight: 3.0");
        Path edited = Files.writeString(dir.resolve("students.yaml"), students);
        Kubectl.Result edit = kubectl.run("apply", "-f", edited.toString());
        assertThat(edit.stdout()).as(edit.toString()).contains("quantuminstance.quantum.kubeqpu.io/students configured");
        assertThat(client.resources(QuantumInstance.class).inNamespace("default").withName("students").get()
                .getSpec().getWeight()).isEqualTo(3.0);
    }

    @Test
    @Order(3)
    void getShowsThePrinterColumns() {
        operator.awaitJob("bell", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED,
                Duration.ofSeconds(30));
        Kubectl.Result r = kubectl.run("get", "qjob,qbatch,qsess", "-A");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).containsPattern("NAMESPACE +NAME +PHASE +BACKEND +MODE +QUEUE +USAGE +AGE")
                .containsPattern("NAMESPACE +NAME +PHASE +BACKEND +JOBS +COMPLETED +FAILED +LEASE +AGE")
                .containsPattern("NAMESPACE +NAME +PHASE +BACKEND +LEASE MODE +JOBS +MAX TTL DEADLINE +AGE")
                .containsPattern("default +quantumjob.quantum.kubeqpu.io/bell +Completed +sim-eagle +job ")
                .containsPattern("quantumsession.quantum.kubeqpu.io/students-session +Rejected +sim-eagle");
    }

    @Test
    @Order(4)
    void getTheQuantumCategory() {
        Kubectl.Result r = kubectl.run("get", "quantum");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).containsPattern("quantumbackend.quantum.kubeqpu.io/sim-eagle +7 +2 ")
                .containsPattern("quantuminstance.quantum.kubeqpu.io/research +premium +2 ")
                .contains("quantumjob.quantum.kubeqpu.io/bell", "quantumbatch.quantum.kubeqpu.io/rx-sweep",
                        "quantumsession.quantum.kubeqpu.io/vqe");
    }

    @Test
    @Order(5)
    void describeShowsSpecDefaultsAndStatus() {
        Kubectl.Result r = kubectl.run("describe", "qsess", "students-session");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // maxTTL and interactiveTTL are not in the manifest: the server applied the schema's defaults.
        assertThat(r.stdout()).containsPattern("Max TTL: +8h").containsPattern("Interactive TTL: +60s")
                .containsPattern("Phase: +Rejected").containsPattern("Reason: +PlanNotAllowed");
    }

    @Test
    @Order(6)
    void explainReadsTheCrdSchema() {
        Kubectl.Result r = kubectl.run("explain", "quantumjob.spec");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("KIND:       QuantumJob").containsPattern("primitive\\s+<string> -required-")
                .contains("The PUBs (primitive unified blocs) to run.");
    }

    @Test
    @Order(7)
    void aManifestBreakingACelRuleIsRefusedWithTheServersMessage() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata:
                  name: bad
                spec:
                  sessionRef: {name: vqe}
                  batchRef: {name: rx-sweep}
                  primitive: sampler
                  pubs: [{circuit: "OPENQASM 3.0;"}]
                """);
        Kubectl.Result r = kubectl.run("apply", "-f", bad.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains(
                "The QuantumJob \"bad\" is invalid: spec: Invalid value: \"object\": set at most one of sessionRef and batchRef");
        assertThat(operator.job("bad")).isNull();
    }

    @Test
    @Order(8)
    void schemaViolationsAndUnknownFieldsAreRefused() throws Exception {
        Path shots = Files.writeString(dir.resolve("shots.yaml"), """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata: {name: zero-shots}
                spec: {backend: sim-eagle, primitive: sampler, shots: 0, pubs: [{circuit: "OPENQASM 3.0;"}]}
                """);
        assertThat(kubectl.run("apply", "-f", shots.toString()).stderr()).contains(
                "The QuantumJob \"zero-shots\" is invalid: spec.shots: Invalid value: 0: spec.shots in body should be greater than or equal to 1");
        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata: {name: colourful}
                spec: {backend: sim-eagle, primitive: sampler, colour: blue, pubs: [{circuit: "OPENQASM 3.0;"}]}
                """);
        assertThat(kubectl.run("apply", "-f", unknown.toString()).stderr())
                .contains("Error from server (BadRequest)", "strict decoding error: unknown field \"spec.colour\"");
    }

    @Test
    @Order(9)
    void anImmutableFieldCannotBePatched() {
        Kubectl.Result r = kubectl.run("patch", "qjob", "bell", "--type=merge", "-p", "{\"spec\":{\"backend\":\"other\"}}");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("The QuantumJob \"bell\" is invalid: spec: Invalid value: \"object\": backend is immutable");
    }

    @Test
    @Order(10)
    void getWatchStreamsChanges() throws Exception {
        Thread editor = new Thread(() -> {
            try {
                Thread.sleep(1500);
                client.resources(QuantumInstance.class).inNamespace("default").withName("research")
                        .edit(i -> {
                            i.getSpec().setWeight(5.0);
                            return i;
                        });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        editor.start();
        Kubectl.Result r = kubectl.run("get", "qinst", "research", "-w", "--output-watch-events", "--request-timeout=5s");
        editor.join();
        assertThat(r.stdout()).as(r.toString()).containsPattern("ADDED +research +premium +2 ")
                .containsPattern("MODIFIED +research +premium +5 ");
    }

    @Test
    @Order(11)
    void deleteWaitsForTheOperatorsFinalizer() {
        Kubectl.Result r = kubectl.run("delete", "qsess", "vqe");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("quantumsession.quantum.kubeqpu.io \"vqe\" deleted");
        assertThat(r.stderr()).as("no failed watch while waiting").isEmpty();
        assertThat(client.resources(QuantumSession.class).inNamespace("default").withName("vqe").get()).isNull();
        assertThat(kubectl.run("get", "qsess", "vqe").stderr())
                .contains("Error from server (NotFound): quantumsessions.quantum.kubeqpu.io \"vqe\" not found");
    }

    @Test
    @Order(12)
    void waitForFinishedEitherWay() {
        Kubectl.Result r = kubectl.run("wait", "--for=condition=Finished", "qjob/bell", "--timeout=30s");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("quantumjob.quantum.kubeqpu.io/bell condition met");
        // A job that failed is Finished too (reason Failed): a script waits for either and then reads the reason.
        Kubectl.Result reason = kubectl.run("get", "qjob", "bell", "-o", "jsonpath={.status.conditions[?(@.type==\"Finished\")].reason}");
        assertThat(reason.stdout()).isEqualTo("Succeeded");
    }

    @Test
    @Order(13)
    void describeShowsTheObjectsEvents() {
        Kubectl.Result job = kubectl.run("describe", "qjob", "bell");
        assertThat(job.exitCode()).as(job.toString()).isZero();
        assertThat(job.stdout()).contains("Events:").containsPattern("Normal +Completed +.* kubeqpu-operator +QuantumJob bell is Completed");
        // Backends are cluster scoped; their Events live in the default namespace and describe finds them by UID.
        Kubectl.Result qpu = kubectl.run("describe", "qpu", "sim-eagle");
        assertThat(qpu.exitCode()).as(qpu.toString()).isZero();
        assertThat(qpu.stdout()).contains("Events:").containsPattern("Normal +LeaseAcquired +.* kubeqpu-operator ");
    }

    @Test
    @Order(14)
    void aWorkloadsJobsAreSelectedByLabel() {
        Kubectl.Result r = kubectl.run("get", "qjob", "-l", "quantum.kubeqpu.io/batch=rx-sweep", "-o", "name");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().lines().toList()).isNotEmpty().allMatch(l -> l.startsWith("quantumjob.quantum.kubeqpu.io/rx-sweep-"));
        Kubectl.Result none = kubectl.run("get", "qjob", "-l", "quantum.kubeqpu.io/batch=rx-sweep", "-o", "name");
        assertThat(none.stdout()).doesNotContain("/bell");
    }

    @Test
    @Order(15)
    void explainDescribesTheKindSpecAndStatus() {
        Kubectl.Result kind = kubectl.run("explain", "quantumjob");
        assertThat(kind.exitCode()).as(kind.toString()).isZero();
        assertThat(kind.stdout()).contains("One primitive request (sampler or estimator)");
        assertThat(kubectl.run("explain", "quantumjob.status").stdout()).contains("conditions Ready, Finished");
        assertThat(kubectl.run("explain", "quantumsession.spec").stdout()).contains("set acceptingJobs false to close");
    }

    @Test
    @Order(20)
    void theUninstallStepsOfTheInstallGuideLeaveNothingBehind() {
        // docs/install.md §6, while the operator runs: its finalizers let every object go.
        for (String[] step : new String[][] {{"delete", "qsess,qbatch,qjob", "--all", "-A", "--wait", "--timeout=60s"},
                {"delete", "qinst", "--all", "-A", "--timeout=60s"}, {"delete", "qpu", "--all", "--wait", "--timeout=60s"}}) {
            Kubectl.Result r = kubectl.run(step);
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        Kubectl.Result left = kubectl.run("get", "quantum", "-A", "-o", "name");
        assertThat(left.stdout()).as(left.toString()).isBlank();
    }

    @Test
    @Order(17)
    void diffAndServerDryRunChangeNothing() throws Exception {
        var before = client.resources(QuantumInstance.class).inNamespace("default").withName("research").get();
        String edited = Files.readString(Path.of("config/samples/quantum_v1alpha1_quantuminstance_research.yaml"))
                .replaceAll("weight: [0-9.]+", "weight: 7.0");
        Path file = Files.writeString(dir.resolve("research-7.yaml"), edited);
        Kubectl.Result dry = kubectl.run("apply", "--dry-run=server", "-f", file.toString());
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.stdout()).contains("quantuminstance.quantum.kubeqpu.io/research configured (server dry run)");
        Kubectl.Result diff = kubectl.run("diff", "-f", file.toString());
        assertThat(diff.exitCode()).as("kubectl diff exits 1 when there are differences: " + diff).isEqualTo(1);
        assertThat(diff.stdout()).containsPattern("\\+  weight: 7");
        var after = client.resources(QuantumInstance.class).inNamespace("default").withName("research").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(after.getSpec().getWeight()).isEqualTo(before.getSpec().getWeight());

        Kubectl.Result delete = kubectl.run("delete", "qinst", "research", "--dry-run=server");
        // kubectl 1.32 prints `… deleted (server dry run)`, 1.37 `… deleted from default namespace (server dry run)`.
        assertThat(delete.stdout()).as(delete.toString()).contains("deleted").contains("(server dry run)");
        assertThat(client.resources(QuantumInstance.class).inNamespace("default").withName("research").get()).isNotNull();
    }
}
