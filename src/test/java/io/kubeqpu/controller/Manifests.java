package io.kubeqpu.controller;

/** Small manifests for operator tests: a fast backend (time scale 0.001), instances, jobs, sessions, batches. */
public final class Manifests {
    private Manifests() {}

    public static final String BELL = """
            OPENQASM 3.0;
            include "stdgates.inc";
            qubit[2] q;
            bit[2] c;
            h q[0];
            cx q[0], q[1];
            c = measure q;
            """;

    public static String backend(String name, int parallelism, double timeScale) {
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

    public static String instance(String name, String plan, boolean isDefault) {
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

    public static String job(String name, String backend, String extra) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata:
                  name: %s
                spec:
                  %s
                  primitive: sampler
                  shots: 100
                  seed: 7
                  pubs:
                    - circuit: |
                %s
                """.formatted(name, backend == null ? extra : "backend: " + backend + "\n  " + extra, indent(BELL, 10));
    }

    public static String session(String name, String backend, String instance, String maxTTL, String interactiveTTL) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumSession
                metadata:
                  name: %s
                spec:
                  backend: %s
                  %s
                  maxTTL: "%s"
                  interactiveTTL: "%s"
                """.formatted(name, backend, instance == null ? "" : "instance: " + instance, maxTTL, interactiveTTL);
    }

    /** A batch closed from the start ({@code acceptingJobs: false}) whose jobs are its inline {@link #template}s. */
    public static String closedBatch(String name, String backend, String templates) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumBatch
                metadata:
                  name: %s
                spec:
                  backend: %s
                  acceptingJobs: false
                  jobs:
                %s""".formatted(name, backend, templates);
    }

    /** One inline job of a batch: a sampler of the circuit. */
    public static String template(String name, int shots, String circuit) {
        return """
                  - name: %s
                    spec:
                      primitive: sampler
                      shots: %d
                      pubs:
                        - circuit: |
                %s
                """.formatted(name, shots, indent(circuit, 16));
    }

    public static String indent(String text, int n) {
        String pad = " ".repeat(n);
        return pad + text.strip().replace("\n", "\n" + pad);
    }
}
