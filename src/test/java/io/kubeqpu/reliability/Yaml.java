package io.kubeqpu.reliability;

/** Manifests for the reliability tests: backends with calibration off, instances, jobs, sessions, batches. */
final class Yaml {
    private Yaml() {}

    static final String BELL = """
            OPENQASM 3.0;
            include "stdgates.inc";
            qubit[2] q;
            bit[2] c;
            h q[0];
            cx q[0], q[1];
            c = measure q;
            """;

    static String backend(String name, int parallelism, double timeScale) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumBackend
                metadata:
                  name: %s
                spec:
                  numQubits: 5
                  parallelism: %d
                  timing:
                    timeScale: %s
                  calibration:
                    interval: "0s"
                    duration: "0s"
                """.formatted(name, parallelism, timeScale);
    }

    static String instance(String name, String plan, boolean isDefault) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumInstance
                metadata:
                  name: %s
                spec:
                  plan: %s
                  default: %s
                """.formatted(name, plan, isDefault);
    }

    /** A Bell sampler job; {@code specLines} are extra spec lines (backend, instance, refs), each ending in a newline. */
    static String job(String name, String specLines, int shots) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata:
                  name: %s
                spec:
                %s  primitive: sampler
                  shots: %d
                  seed: 7
                  pubs:
                    - circuit: |
                %s
                """.formatted(name, specBlock(specLines), shots, indent(BELL, 10));
    }

    static String session(String name, String backend, String instance, String maxTTL, String interactiveTTL) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumSession
                metadata:
                  name: %s
                spec:
                  backend: %s
                  instance: %s
                  maxTTL: "%s"
                  interactiveTTL: "%s"
                """.formatted(name, backend, instance, maxTTL, interactiveTTL);
    }

    /** A closed batch of {@code n} inline Bell jobs named {@code <name>-j<k>}. */
    static String batch(String name, String backend, String instance, int n, int shots) {
        StringBuilder t = new StringBuilder();
        for (int k = 0; k < n; k++)
            t.append("""
                      - name: j%d
                        spec:
                          primitive: sampler
                          shots: %d
                          pubs:
                            - circuit: |
                    %s
                    """.formatted(k, shots, indent(BELL, 16)));
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumBatch
                metadata:
                  name: %s
                spec:
                  backend: %s
                  instance: %s
                  maxTTL: "1h"
                  acceptingJobs: false
                  jobs:
                %s""".formatted(name, backend, instance, t);
    }

    static String indent(String text, int n) {
        String pad = " ".repeat(n);
        return pad + text.strip().replace("\n", "\n" + pad);
    }

    private static String specBlock(String lines) {
        return lines.isBlank() ? "" : indent(lines, 2) + "\n";
    }
}
