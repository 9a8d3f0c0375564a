package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.controller.OperatorHarness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 through the API (the embedded API server with schema and CEL validation, plus the limits kube-apiserver puts
 * on built-in objects: {@link RealLimitsDispatcher}): results are never lost and always fit what an API server stores;
 * derived names are valid however long the user's; backend limits are enforced at submission; usage limits and
 * instance deletion hold for jobs already running; ambiguities are reported.
 */
class ResultsAndLimitsTest {
    static final Duration T = Duration.ofSeconds(40);
    static final ObjectMapper JSON = new ObjectMapper();

    /** An API server and the operator on it, with a fast backend "qpu" and an instance "research". */
    static final class Env implements AutoCloseable {
        final RealLimitsDispatcher api = new RealLimitsDispatcher();
        final KubernetesMockServer server = RealLimitsDispatcher.server(api);
        final KubernetesClient client;
        final OperatorHarness h;

        Env(String backendYaml) {
            server.init(InetAddress.getLoopbackAddress(), 0);
            client = server.createClient();
            h = new OperatorHarness(client);
            h.apply(backendYaml);
            h.apply(Yaml.instance("research", "premium", false));
        }

        Env() {
            this(Yaml.backend("qpu", 1, 0.001));
        }

        QuantumJob awaitEnd(String name) {
            return h.awaitJob(name, j -> j.getStatus() != null && j.getStatus().getPhase() != null
                    && List.of(JobPhase.COMPLETED, JobPhase.FAILED, JobPhase.CANCELLED).contains(j.getStatus().getPhase()), T);
        }

        double instanceUsage(String name) {
            QuantumInstance i = client.resources(QuantumInstance.class).inNamespace("default").withName(name).get();
            return i.getStatus() == null || i.getStatus().getUsage() == null ? 0 : i.getStatus().getUsage().getQuantumSeconds();
        }

        @Override
        public void close() {
            h.close();
            client.close();
            server.destroy();
        }
    }

    static String backend(String name, int qubits, double timeScale, String limits) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumBackend
                metadata:
                  name: %s
                spec:
                  numQubits: %d
                  timing:
                    timeScale: %s
                  calibration:
                    interval: "0s"
                    duration: "0s"
                  limits:
                %s
                """.formatted(name, qubits, timeScale, Yaml.indent(limits.isBlank() ? "maxShots: 100000" : limits, 4));
    }

    static String sampler(String name, String specLines, String circuit, String pubExtra) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata:
                  name: %s
                spec:
                %s
                  primitive: sampler
                  seed: 7
                  pubs:
                    - circuit: |
                %s
                %s
                """.formatted(name, Yaml.indent(specLines, 2), Yaml.indent(circuit, 10), pubExtra.isBlank() ? "" : Yaml.indent(pubExtra, 6));
    }

    static String qubits(int n) {
        StringBuilder c = new StringBuilder("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[" + n + "] q;\nbit[" + n + "] c;\n");
        for (int i = 0; i < n; i++) c.append("h q[").append(i).append("];\n");
        return c.append("c = measure q;\n").toString();
    }

    // ------------------------------------------------------------------ results

    @Test
    void aResultAboveOneConfigMapIsStoredInPartsUnderOneMebibyteEachAndReadsBackWhole() throws Exception {
        try (Env e = new Env(backend("qpu", 20, 0.001, "maxShots: 100000"))) {
            // 3 parameter sets × 100,000 shots of 20 random bits: ~11 MB of JSON, ~2 MB gzipped.
            String circuit = qubits(20).replace("qubit[20] q;", "input float theta;\nqubit[20] q;").replace("c = measure", "rz(theta) q[0];\nc = measure");
            e.h.apply(sampler("wide", "backend: qpu\ninstance: research", circuit, "shots: 100000\nparameterValues: [[0.1], [0.2], [0.3]]"));
            QuantumJob job = e.awaitEnd("wide");
            assertThat(job.getStatus().getPhase()).as(job.getStatus().getMessage()).isEqualTo(JobPhase.COMPLETED);
            String head = job.getStatus().getResultRef().getName();
            ConfigMap first = e.client.configMaps().inNamespace("default").withName(head).get();
            int parts = Integer.parseInt(first.getMetadata().getAnnotations().get("quantum.kubeqpu.io/result-parts"));
            assertThat(parts).isGreaterThan(1);
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            for (int p = 0; p < parts; p++) {
                ConfigMap cm = e.client.configMaps().inNamespace("default").withName(p == 0 ? head : head + "-part-" + p).get();
                String data = cm.getBinaryData().get("result.json.gz.part-" + p);
                assertThat(Base64.getDecoder().decode(data).length).isLessThanOrEqualTo(RealLimitsDispatcher.MAX_CONFIGMAP_BYTES);
                assertThat(cm.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(job.getMetadata().getUid());
                gz.write(Base64.getDecoder().decode(data));
            }
            JsonNode result = JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(gz.toByteArray())));
            JsonNode c = result.path("results").get(0).path("data").path("c");
            assertThat(c.path("num_bits").asInt()).isEqualTo(20);
            assertThat(c.path("samples").size()).isEqualTo(3);
            assertThat(c.path("samples").get(2).size()).isEqualTo(100_000);
            assertThat(e.api.refusals).as("writes the API server refused").isEmpty();
        }
    }

    @Test
    void aResultAboveTheLimitIsRefusedAtSubmissionWithTheBoundAndNothingIsBilled() {
        try (Env e = new Env()) {
            StringBuilder rows = new StringBuilder("parameterValues:\n");
            for (int k = 0; k < 2000; k++) rows.append("  - [").append(k * 0.001).append("]\n");
            String circuit = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float theta;\nqubit[3] q;\nbit[3] c;\nrx(theta) q[0];\nc = measure q;";
            e.h.apply(sampler("sweep", "backend: qpu\ninstance: research", circuit, "shots: 10000\n" + rows));
            QuantumJob job = e.awaitEnd("sweep");
            assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
            assertThat(job.getStatus().getReason()).isEqualTo("ResultTooLarge");
            assertThat(job.getStatus().getMessage()).contains("2000 parameter set(s) × 10000 shots × 3 bits")
                    .contains("limits.maxResultBytes");
            assertThat(job.getStatus().getStartedAt()).isNull();
            assertThat(e.instanceUsage("research")).isZero();
        }
    }

    @Test
    void aResultThatCannotBeStoredFailsTheJobAndItsTimeIsNotCharged() {
        try (Env e = new Env()) {
            e.api.refuseConfigMaps = true;
            e.h.apply(Yaml.job("lost", "backend: qpu\ninstance: research", 100));
            QuantumJob job = e.awaitEnd("lost");
            await().atMost(T).until(() -> e.h.job("lost").getStatus().getPhase() == JobPhase.FAILED);
            job = e.h.job("lost");
            assertThat(job.getStatus().getReason()).isEqualTo("ResultNotStored");
            assertThat(job.getStatus().getMessage()).contains("injected storage failure").contains("not charged");
            assertThat(job.getStatus().getResultRef()).isNull();
            assertThat(job.getStatus().getUsage() == null ? 0 : job.getStatus().getUsage().getQuantumSeconds()).isZero();
            e.h.core.flush(5_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> e.instanceUsage("research") == 0);
            assertThat(e.instanceUsage("research")).isZero();
        }
    }

    // ------------------------------------------------------------------ names

    @Test
    void jobsAndBatchesWithNamesOf247To253CharactersCompleteWithValidDerivedNames() {
        try (Env e = new Env()) {
            for (int len : new int[] {247, 250, 253}) {
                String name = ("j" + len + "-" + "x".repeat(300)).substring(0, len - 1) + "z";
                e.h.apply(Yaml.job(name, "backend: qpu\ninstance: research", 100));
                QuantumJob job = e.awaitEnd(name);
                assertThat(job.getStatus().getPhase()).as(job.getStatus().getMessage()).isEqualTo(JobPhase.COMPLETED);
                String cm = job.getStatus().getResultRef().getName();
                assertThat(cm.length()).isLessThanOrEqualTo(253);
                assertThat(e.client.configMaps().inNamespace("default").withName(cm).get().getData()).containsKey("result.json");
            }
            // A 200-character batch with a 63-character template: <batch>-<template> is 264 characters.
            String batch = "b" + "y".repeat(198) + "z";
            String template = "t" + "u".repeat(61) + "v";
            e.h.apply("""
                    apiVersion: quantum.kubeqpu.io/v1alpha1
                    kind: QuantumBatch
                    metadata:
                      name: %s
                    spec:
                      backend: qpu
                      instance: research
                      acceptingJobs: false
                      jobs:
                        - name: %s
                          spec:
                            primitive: sampler
                            shots: 100
                            pubs:
                              - circuit: |
                    %s
                    """.formatted(batch, template, Yaml.indent(Yaml.BELL, 18)));
            await().atMost(T).until(() -> e.h.batch(batch).getStatus() != null && e.h.batch(batch).getStatus().getJobs() != null
                    && e.h.batch(batch).getStatus().getJobs().getCompleted() == 1);
            QuantumJob owned = e.client.resources(QuantumJob.class).inNamespace("default").list().getItems().stream()
                    .filter(j -> j.getMetadata().getName().startsWith(batch.substring(0, 100))).findFirst().orElseThrow();
            assertThat(owned.getMetadata().getName().length()).isLessThanOrEqualTo(253);
            assertThat(owned.getMetadata().getName()).endsWith("-" + template);
            assertThat(owned.getMetadata().getLabels().get("quantum.kubeqpu.io/batch").length()).isLessThanOrEqualTo(63);
            assertThat(e.api.refusals).as("writes the API server refused").isEmpty();
        }
    }

    // ------------------------------------------------------------------ backend limits at submission

    @Test
    void shotsAndCircuitBytesAboveTheBackendsLimitsAreRefusedInItsUnits() {
        try (Env e = new Env(backend("small", 5, 0.001, "maxShots: 10\nmaxCircuitBytes: 200"))) {
            e.h.apply(Yaml.job("eleven", "backend: small\ninstance: research", 11));
            e.h.apply(Yaml.job("ten", "backend: small\ninstance: research", 10));
            String longCircuit = Yaml.BELL + "// " + "padding ".repeat(30) + "\n";
            e.h.apply(sampler("long", "backend: small\ninstance: research", longCircuit, "shots: 5"));
            QuantumJob eleven = e.awaitEnd("eleven");
            assertThat(eleven.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
            assertThat(eleven.getStatus().getReason()).isEqualTo("ShotsLimitExceeded");
            assertThat(eleven.getStatus().getMessage()).contains("11 shots").contains("at most 10").contains("limits.maxShots");
            QuantumJob longJob = e.awaitEnd("long");
            assertThat(longJob.getStatus().getReason()).isEqualTo("CircuitBytesLimitExceeded");
            assertThat(longJob.getStatus().getMessage()).contains("spec.pubs[0].circuit is").contains("at most 200 bytes");
            assertThat(e.awaitEnd("ten").getStatus().getPhase()).isEqualTo(JobPhase.COMPLETED);
        }
    }

    @Test
    void requireIsaRefusesATwoQubitGateOnQubitsTheCouplingMapDoesNotJoin() {
        String isa = backend("isa", 3, 0.001, "maxShots: 100000")
                .replace("  limits:", "  requireIsa: true\n  basisGates: [h, cx]\n  couplingMap: [[0, 1], [1, 2]]\n  limits:");
        try (Env e = new Env(isa)) {
            String circuit = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[3] q;\nbit[3] c;\nh q[0];\ncx q[0], q[1];\n%s\nc = measure q;";
            e.h.apply(sampler("coupled", "backend: isa\ninstance: research", circuit.formatted("cx q[1], q[2];"), "shots: 10"));
            e.h.apply(sampler("uncoupled", "backend: isa\ninstance: research", circuit.formatted("cx q[0], q[2];"), "shots: 10"));
            assertThat(e.awaitEnd("coupled").getStatus().getPhase()).isEqualTo(JobPhase.COMPLETED);
            QuantumJob job = e.awaitEnd("uncoupled");
            assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
            assertThat(job.getStatus().getReason()).isEqualTo("NonNativeGate");
            assertThat(job.getStatus().getMessage()).contains("spec.pubs[0].circuit applies cx to qubits [0, 2]").contains("not coupled");
        }
    }

    @Test
    void workWhoseModelledTimeExceedsMaxExecutionTimeIsRefusedBeforeItStartsWithTheEstimate() {
        try (Env e = new Env(backend("slow", 5, 1.0, "maxShots: 100000"))) {
            e.h.apply("""
                    apiVersion: quantum.kubeqpu.io/v1alpha1
                    kind: QuantumJob
                    metadata:
                      name: precise
                    spec:
                      backend: slow
                      instance: research
                      primitive: estimator
                      precision: 1.0e-9
                      pubs:
                        - circuit: |
                            OPENQASM 3.0;
                            include "stdgates.inc";
                            qubit[1] q;
                            h q[0];
                          observables:
                            - {"Z": 1.0}
                    """);
            e.h.apply(sampler("delayed", "backend: slow\ninstance: research",
                    "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[1] q;\nbit[1] c;\ndelay[1e15s] q[0];\nc[0] = measure q[0];", "shots: 1"));
            for (String name : List.of("precise", "delayed")) {
                QuantumJob job = e.awaitEnd(name);
                assertThat(job.getStatus().getPhase()).as(name).isEqualTo(JobPhase.FAILED);
                assertThat(job.getStatus().getReason()).as(name).isEqualTo("MaxExecutionTimeExceeded");
                assertThat(job.getStatus().getMessage()).as(name).contains("quantum seconds").contains("maxExecutionTime of 3h");
                assertThat(job.getStatus().getStartedAt()).as(name).isNull();
            }
            assertThat(e.instanceUsage("research")).isZero();
        }
    }

    @Test
    void aBackendWithZeroReplicasIsOfflineInProcessTooAndComesBack() {
        try (Env e = new Env(backend("qpu", 5, 0.001, "maxShots: 100000").replace("  limits:", "  simulator:\n    replicas: 0\n  limits:"))) {
            e.h.apply(Yaml.job("waits", "backend: qpu\ninstance: research", 100));
            await().atMost(T).until(() -> e.h.job("waits").getStatus() != null && e.h.job("waits").getStatus().getPhase() == JobPhase.QUEUED);
            await().atMost(T).until(() -> {
                QuantumBackend b = e.client.resources(QuantumBackend.class).withName("qpu").get();
                return b.getStatus() != null && Boolean.FALSE.equals(b.getStatus().getAvailable());
            });
            sleep(1000);
            assertThat(e.h.job("waits").getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);
            e.client.resources(QuantumBackend.class).withName("qpu").edit(b -> {
                b.getSpec().getSimulator().setReplicas(1);
                return b;
            });
            assertThat(e.awaitEnd("waits").getStatus().getPhase()).isEqualTo(JobPhase.COMPLETED);
        }
    }

    // ------------------------------------------------------------------ usage and instances

    @Test
    void loweringTheUsageLimitBelowUsageStopsARunningJobAtTheLimit() {
        // Real time: 2 s overhead + 40,000 shots × 250 µs = 12 s on the QPU.
        try (Env e = new Env(backend("qpu", 5, 1.0, "maxShots: 100000"))) {
            e.h.apply(Yaml.job("long", "backend: qpu\ninstance: research", 40_000));
            await().atMost(T).until(() -> e.h.job("long").getStatus() != null && e.h.job("long").getStatus().getPhase() == JobPhase.RUNNING);
            sleep(1500);
            e.client.resources(QuantumInstance.class).inNamespace("default").withName("research").edit(i -> {
                i.getSpec().setUsageLimitSeconds(1L);
                return i;
            });
            QuantumJob job = e.awaitEnd("long");
            assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.CANCELLED);
            assertThat(job.getStatus().getReason()).isEqualTo("UsageLimitExceeded");
            assertThat(job.getStatus().getUsage().getQuantumSeconds()).isLessThan(5.0);
        }
    }

    @Test
    void deletingAnInstanceFailsItsRunningJobUnbilled() {
        try (Env e = new Env(backend("qpu", 5, 1.0, "maxShots: 100000"))) {
            e.h.apply(Yaml.instance("temp", "payg", false));
            e.h.apply(Yaml.job("orphan", "backend: qpu\ninstance: temp", 40_000));
            await().atMost(T).until(() -> e.h.job("orphan").getStatus() != null && e.h.job("orphan").getStatus().getPhase() == JobPhase.RUNNING);
            e.client.resources(QuantumInstance.class).inNamespace("default").withName("temp").delete();
            QuantumJob job = e.awaitEnd("orphan");
            assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
            assertThat(job.getStatus().getReason()).isEqualTo("UnknownInstance");
            assertThat(job.getStatus().getMessage()).isEqualTo("QuantumInstance temp was deleted");
            assertThat(job.getStatus().getUsage() == null ? 0 : job.getStatus().getUsage().getQuantumSeconds()).isZero();
        }
    }

    @Test
    void twoDefaultInstancesAreBothReportedAndAJobWithoutInstanceFailsNamingBoth() {
        try (Env e = new Env()) {
            e.h.apply(Yaml.instance("alpha", "premium", true));
            e.h.apply(Yaml.instance("beta", "payg", true));
            await().atMost(T).until(() -> List.of("alpha", "beta").stream().allMatch(n -> {
                QuantumInstance i = e.client.resources(QuantumInstance.class).inNamespace("default").withName(n).get();
                return i.getStatus() != null && i.getStatus().getConditions() != null && i.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False") && c.getReason().equals("AmbiguousDefault")
                                && c.getMessage().contains("alpha, beta"));
            }));
            e.h.apply(Yaml.job("which", "backend: qpu", 100));
            QuantumJob job = e.awaitEnd("which");
            assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
            assertThat(job.getStatus().getReason()).isEqualTo("AmbiguousDefaultInstance");
            assertThat(job.getStatus().getMessage()).contains("alpha, beta");
            // One default again: both conditions clear and jobs run on it.
            e.client.resources(QuantumInstance.class).inNamespace("default").withName("beta").edit(i -> {
                i.getSpec().setDefaultInstance(false);
                return i;
            });
            await().atMost(T).until(() -> {
                QuantumInstance i = e.client.resources(QuantumInstance.class).inNamespace("default").withName("alpha").get();
                return i.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            });
            e.h.apply(Yaml.job("alpha-job", "backend: qpu", 100));
            assertThat(e.awaitEnd("alpha-job").getStatus().getInstance()).isEqualTo("alpha");
        }
    }

    @Test
    void aBatchTemplateWhoseJobNameIsTakenIsReportedNotDropped() {
        try (Env e = new Env()) {
            e.h.apply(Yaml.job("sweep-j0", "backend: qpu\ninstance: research", 100));
            e.awaitEnd("sweep-j0");
            e.h.apply(Yaml.batch("sweep", "qpu", "research", 2, 100));
            await().atMost(T).until(() -> events(e.client, "sweep").stream().anyMatch(ev -> ev.getReason().equals("JobNameConflict")));
            Event ev = events(e.client, "sweep").stream().filter(x -> x.getReason().equals("JobNameConflict")).findFirst().orElseThrow();
            assertThat(ev.getType()).isEqualTo("Warning");
            assertThat(ev.getMessage()).contains("j0").contains("sweep-j0 already exists");
            assertThat(e.awaitEnd("sweep-j1").getStatus().getPhase()).isEqualTo(JobPhase.COMPLETED);
        }
    }

    // ------------------------------------------------------------------ messages

    @Test
    void aNulInACircuitIsNamedWithItsFieldAndNonsensicalDurationsAreRefusedNamingTheirField() {
        try (Env e = new Env()) {
            e.h.apply("""
                    apiVersion: quantum.kubeqpu.io/v1alpha1
                    kind: QuantumJob
                    metadata:
                      name: nul
                    spec:
                      backend: qpu
                      instance: research
                      primitive: sampler
                      pubs:
                        - circuit: "OPENQASM 3.0;\\nqubit[1] q;\\0 h q[0];"
                    """);
            QuantumJob job = e.awaitEnd("nul");
            assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
            assertThat(job.getStatus().getMessage()).startsWith("spec.pubs[0].circuit: line 2").contains("U+0000")
                    .doesNotContain("\u0000");
            assertThat(refusal(e.client, Yaml.job("forever", "backend: qpu\ninstance: research\nmaxExecutionTime: 9999999999h", 10)))
                    .contains("spec.maxExecutionTime").contains("maxExecutionTime must be a duration").doesNotContain("rule evaluation error");
            assertThat(refusal(e.client, backend("zero", 5, 0.001, "maxExecutionTime: \"0\"")))
                    .contains("spec.limits.maxExecutionTime").contains("limits.maxExecutionTime must be positive");
            assertThat(refusal(e.client, backend("zero", 5, 0.001, "maxTTL: \"0\"")))
                    .contains("spec.limits.maxTTL").contains("limits.maxTTL must be positive");
            assertThat(refusal(e.client, backend("zero", 5, 0.001, "maxTTL: \"99999999h\"")))
                    .contains("limits.maxTTL must be a duration").doesNotContain("rule evaluation error");
        }
    }

    /** The API server's 422 message, or fails when it accepted the manifest. */
    static String refusal(KubernetesClient client, String yaml) {
        var r = client.getKubernetesSerialization().unmarshal(yaml, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
        try {
            var ops = client.genericKubernetesResources(r.getApiVersion(), r.getKind());
            (r.getKind().equals("QuantumBackend") ? ops.resource(r) : ops.inNamespace("default").resource(r)).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException ex) {
            assertThat(ex.getCode()).isEqualTo(422);
            return ex.getStatus().getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    private static List<Event> events(KubernetesClient client, String involved) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(ev -> involved.equals(ev.getInvolvedObject().getName())).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
