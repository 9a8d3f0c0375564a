package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 through the API (the embedded API server with schema and CEL validation): a job the QPU would refuse fails
 * when it is submitted, not after its wait in the queue; parameters bind in the order the circuit declares its
 * inputs (Qiskit's circuit.parameters order for circuits it exports) or by name.
 */
class SubmissionChecksTest {
    static final Duration T = Duration.ofSeconds(40);

    @Test
    void aTypoATooWideCircuitAndUnboundParametersFailAtOnceWhileTheQueueAheadIsBusy() {
        // A session of another instance holds the backend (~30 s per 20,000-shot job): jobs of "research" queue behind it.
        try (ResultsAndLimitsTest.Env e = new ResultsAndLimitsTest.Env(ResultsAndLimitsTest.backend("slow", 5, 5.0, ""))) {
            e.h.apply(Yaml.instance("lab", "premium", false));
            e.h.apply(Yaml.session("vqe", "slow", "lab", "1h", "60s"));
            e.h.apply(Yaml.job("blocker", "sessionRef:\n  name: vqe", 20000));
            e.h.awaitJob("blocker", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.RUNNING, T);
            e.h.apply(Yaml.job("behind", "backend: slow\ninstance: research", 10));
            e.h.awaitJob("behind", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.QUEUED, T);
            Instant submitted = Instant.now();
            e.h.apply(ResultsAndLimitsTest.sampler("typo", "backend: slow\ninstance: research",
                    Yaml.BELL.replace("h q[0];", "frobnicate q[0];"), "shots: 10"));
            e.h.apply(ResultsAndLimitsTest.sampler("wide", "backend: slow\ninstance: research", ResultsAndLimitsTest.qubits(6), "shots: 10"));
            e.h.apply(ResultsAndLimitsTest.sampler("unbound", "backend: slow\ninstance: research",
                    "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] theta;\nqubit[1] q;\nbit[1] c;\nrx(theta) q[0];\nc[0] = measure q[0];",
                    "shots: 10"));

            Map<String, String> reasons = Map.of("typo", "QasmSyntaxError", "wide", "CircuitTooWide", "unbound", "MissingParameters");
            for (var r : reasons.entrySet()) {
                QuantumJob job = e.awaitEnd(r.getKey());
                assertThat(job.getStatus().getPhase()).as(r.getKey()).isEqualTo(JobPhase.FAILED);
                assertThat(job.getStatus().getReason()).as(r.getKey()).isEqualTo(r.getValue());
                assertThat(job.getStatus().getStartedAt()).as(r.getKey() + " never ran").isNull();
            }
            assertThat(e.h.job("typo").getStatus().getMessage()).startsWith("spec.pubs[0].circuit: line").contains("frobnicate");
            assertThat(e.h.job("wide").getStatus().getMessage()).contains("6 qubits").contains("backend slow has 5");
            assertThat(e.h.job("unbound").getStatus().getMessage()).startsWith("spec.pubs[0]: ").contains("theta");
            // Failed while the session still holds the backend, not when the queue reached them.
            assertThat(e.h.job("blocker").getStatus().getPhase()).isEqualTo(JobPhase.RUNNING);
            assertThat(e.h.job("behind").getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);
            assertThat(Duration.between(submitted, Instant.now())).isLessThan(Duration.ofSeconds(20));
        }
    }

    /** q[0] is rotated by the first declared input, q[1] by the second: the counts show which value each got. */
    static final String TWO_INPUTS = """
            OPENQASM 3.0;
            include "stdgates.inc";
            input float[64] beta;
            input float[64] alpha;
            qubit[2] q;
            bit[2] c;
            rx(beta) q[0];
            rx(alpha) q[1];
            c = measure q;""";

    @Test
    void positionalValuesBindInDeclarationOrderAndNamedValuesByName() {
        try (ResultsAndLimitsTest.Env e = new ResultsAndLimitsTest.Env()) {
            // beta = π flips q[0]: c = "01" (c[1] c[0]).
            e.h.apply(ResultsAndLimitsTest.sampler("positional", "backend: qpu\ninstance: research", TWO_INPUTS,
                    "shots: 50\nparameterValues: [[3.141592653589793, 0.0]]"));
            // alpha = π flips q[1]: c = "10"; two bindings by name, the second flips both.
            e.h.apply(ResultsAndLimitsTest.sampler("named", "backend: qpu\ninstance: research", TWO_INPUTS,
                    "shots: 50\nnamedParameterValues:\n  alpha: [3.141592653589793, 3.141592653589793]\n  beta: [0.0, 3.141592653589793]"));
            e.h.apply(ResultsAndLimitsTest.sampler("misnamed", "backend: qpu\ninstance: research", TWO_INPUTS,
                    "shots: 50\nnamedParameterValues:\n  alpha: [1.0]\n  gamma: [1.0]"));

            assertThat(result(e, "positional")).contains("\"01\":50");
            assertThat(result(e, "named")).contains("\"10\":50").contains("\"11\":50");
            QuantumJob misnamed = e.awaitEnd("misnamed");
            assertThat(misnamed.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
            assertThat(misnamed.getStatus().getReason()).isEqualTo("InvalidParameters");
            assertThat(misnamed.getStatus().getMessage()).contains("gamma");

            String both = ResultsAndLimitsTest.sampler("both", "backend: qpu\ninstance: research", TWO_INPUTS,
                    "shots: 50\nparameterValues: [[1.0, 2.0]]\nnamedParameterValues:\n  alpha: [1.0]\n  beta: [2.0]");
            assertThat(ResultsAndLimitsTest.refusal(e.client, both)).contains("not both");
        }
    }

    private static String result(ResultsAndLimitsTest.Env e, String job) {
        QuantumJob done = e.awaitEnd(job);
        assertThat(done.getStatus().getPhase()).as(job + ": " + done.getStatus().getMessage()).isEqualTo(JobPhase.COMPLETED);
        return e.client.configMaps().inNamespace("default").withName(done.getStatus().getResultRef().getName()).get()
                .getData().get("result.json").replace(" ", "");
    }
}
