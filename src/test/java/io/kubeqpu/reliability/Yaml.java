package io.kubeqpu.reliability;

import io.kubeqpu.controller.Manifests;

/** Manifests for the reliability tests: the shared ones of {@link Manifests}, plus jobs with free spec lines and batches. */
final class Yaml {
    private Yaml() {}

    static final String BELL = Manifests.BELL;

    static String backend(String name, int parallelism, double timeScale) {
        return Manifests.backend(name, parallelism, timeScale);
    }

    static String instance(String name, String plan, boolean isDefault) {
        return Manifests.instance(name, plan, isDefault);
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
        return Manifests.session(name, backend, instance, maxTTL, interactiveTTL);
    }

    /** A closed batch of {@code n} inline Bell jobs named {@code <name>-j<k>}. */
    static String batch(String name, String backend, String instance, int n, int shots) {
        StringBuilder t = new StringBuilder();
        for (int k = 0; k < n; k++) t.append(Manifests.template("j" + k, shots, BELL));
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
        return Manifests.indent(text, n);
    }

    private static String specBlock(String lines) {
        return lines.isBlank() ? "" : indent(lines, 2) + "\n";
    }
}
