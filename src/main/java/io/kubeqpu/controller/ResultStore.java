package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a job's result into a ConfigMap owned by the job (garbage-collected with it): {@code result.json}
 * in {@code data}, or gzipped as {@code result.json.gz} in {@code binaryData} when large.
 */
public final class ResultStore {
    /** Above this, the JSON is gzipped: ConfigMaps are capped at 1 MiB in etcd. */
    static final int GZIP_ABOVE_BYTES = 256 * 1024;

    private final KubernetesClient client;

    public ResultStore(KubernetesClient client) {
        this.client = client;
    }

    public static String configMapName(String jobName) {
        return jobName + "-result";
    }

    /** Idempotent: a repeated save replaces the ConfigMap with the same content. */
    public void save(String jobId, String uid, String json, double quantumSeconds) {
        String ns = Ids.namespace(jobId), name = Ids.name(jobId);
        if (uid == null) {
            QuantumJob job = client.resources(QuantumJob.class).inNamespace(ns).withName(name).get();
            if (job == null) return; // deleted meanwhile: nothing to own the result
            uid = job.getMetadata().getUid();
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ConfigMapBuilder cm = new ConfigMapBuilder().withNewMetadata().withName(configMapName(name)).withNamespace(ns)
                .addToLabels("quantum.kubeqpu.io/job", name)
                .addToAnnotations("quantum.kubeqpu.io/quantum-seconds", String.valueOf(quantumSeconds))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("quantum.kubeqpu.io/v1alpha1").withKind("QuantumJob")
                        .withName(name).withUid(uid).withController(true).withBlockOwnerDeletion(true)
                        .build())
                .endMetadata();
        if (bytes.length > GZIP_ABOVE_BYTES) cm.addToBinaryData("result.json.gz", Base64.getEncoder().encodeToString(gzip(bytes)));
        else cm.addToData("result.json", json);
        ConfigMap built = cm.build();
        try {
            client.configMaps().inNamespace(ns).resource(built).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            client.configMaps().inNamespace(ns).resource(built).update(); // saved before a restart: same content
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
