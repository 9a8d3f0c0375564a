package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a job's result into ConfigMaps owned by the job (garbage-collected with it); docs/api.md describes the layout
 * for clients. One ConfigMap ({@link #configMapName}) when it fits: {@code result.json} in {@code data}, or gzipped as
 * {@code result.json.gz} in {@code binaryData} when large. A result whose gzip is above {@link #PART_BYTES} is cut into
 * parts of that size: part 0 in the head ConfigMap, part i in {@code <head>-part-<i>}, each under the 1 MiB a real API
 * server accepts per object; the head's annotation {@value #PARTS_ANNOTATION} says how many.
 */
public final class ResultStore {
    /** Above this, the JSON is gzipped. */
    static final int GZIP_ABOVE_BYTES = 256 * 1024;
    /** Gzip bytes per ConfigMap: base64 makes 933,336 characters of them, under the API server's 1 MiB per object. */
    public static final int PART_BYTES = 700_000;
    /** Parts at most: 700 MB of gzip, far above any result the operator lets a job produce. */
    static final int MAX_PARTS = 1000;
    public static final String PARTS_ANNOTATION = "quantum.kubeqpu.io/result-parts";
    public static final String SHA256_ANNOTATION = "quantum.kubeqpu.io/result-sha256";
    public static final String JOB_LABEL = "quantum.kubeqpu.io/job";
    public static final String RESULT_LABEL = "quantum.kubeqpu.io/result";

    private final KubernetesClient client;

    public ResultStore(KubernetesClient client) {
        this.client = client;
    }

    /** The head ConfigMap of a job's result: {@code <job>-result}, hash-shortened so that its parts' names fit too. */
    public static String configMapName(String jobName) {
        return DerivedNames.name(jobName, "-result", DerivedNames.MAX_NAME - "-part-999".length());
    }

    public static String partName(String head, int part) {
        return part == 0 ? head : head + "-part-" + part;
    }

    /**
     * Idempotent: a repeated save replaces the ConfigMaps with the same content.
     *
     * @return false when the job is gone (nothing to own the result)
     * @throws RuntimeException when the API server refuses a write
     */
    public boolean save(String jobId, String uid, String json, double quantumSeconds) {
        String ns = Ids.namespace(jobId), name = Ids.name(jobId);
        if (uid == null) {
            QuantumJob job = client.resources(QuantumJob.class).inNamespace(ns).withName(name).get();
            if (job == null) return false;
            uid = job.getMetadata().getUid();
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String head = configMapName(name);
        if (bytes.length <= GZIP_ABOVE_BYTES) {
            write(ns, builder(ns, head, name, uid, quantumSeconds).addToData("result.json", json).build());
            return true;
        }
        byte[] gz = gzip(bytes);
        if (gz.length <= PART_BYTES) {
            write(ns, builder(ns, head, name, uid, quantumSeconds).addToBinaryData("result.json.gz", base64(gz, 0, gz.length)).build());
            return true;
        }
        int parts = (gz.length + PART_BYTES - 1) / PART_BYTES;
        if (parts > MAX_PARTS) throw new IllegalStateException("result of " + gz.length + " gzip bytes needs more than " + MAX_PARTS + " ConfigMaps");
        // Parts first, the head last: a head names how many parts there are only once they all exist.
        for (int p = 1; p < parts; p++) {
            int from = p * PART_BYTES, to = Math.min(gz.length, from + PART_BYTES);
            write(ns, builder(ns, partName(head, p), name, uid, quantumSeconds).editMetadata()
                    .addToLabels(RESULT_LABEL, DerivedNames.labelValue(head)).endMetadata()
                    .addToBinaryData("result.json.gz.part-" + p, base64(gz, from, to)).build());
        }
        write(ns, builder(ns, head, name, uid, quantumSeconds).editMetadata()
                .addToLabels(RESULT_LABEL, DerivedNames.labelValue(head))
                .addToAnnotations(PARTS_ANNOTATION, String.valueOf(parts))
                .addToAnnotations(SHA256_ANNOTATION, sha256(gz)).endMetadata()
                .addToBinaryData("result.json.gz.part-0", base64(gz, 0, PART_BYTES)).build());
        return true;
    }

    private ConfigMapBuilder builder(String ns, String cmName, String job, String uid, double quantumSeconds) {
        return new ConfigMapBuilder().withNewMetadata().withName(cmName).withNamespace(ns)
                .addToLabels(JOB_LABEL, DerivedNames.labelValue(job))
                .addToAnnotations("quantum.kubeqpu.io/quantum-seconds", String.valueOf(quantumSeconds))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("quantum.kubeqpu.io/v1alpha1").withKind("QuantumJob")
                        .withName(job).withUid(uid).withController(true).withBlockOwnerDeletion(true)
                        .build())
                .endMetadata();
    }

    private void write(String ns, ConfigMap built) {
        try {
            client.configMaps().inNamespace(ns).resource(built).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            client.configMaps().inNamespace(ns).resource(built).update(); // saved before a restart: same content
        }
    }

    private static String base64(byte[] b, int from, int to) {
        return Base64.getEncoder().encodeToString(from == 0 && to == b.length ? b : Arrays.copyOfRange(b, from, to));
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        try (var out = new ByteArrayOutputStream(); var gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
            gz.finish();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
