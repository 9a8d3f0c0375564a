package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.QuantumJob;

/** Reads a job's primitive request from its resource, when the fleet was not told it at submission (after a restart). */
final class RequestLoader {
    private RequestLoader() {}

    static io.kubeqpu.dispatch.QpuFleet.JobRef load(KubernetesClient client, String jobId) {
        QuantumJob job = client.resources(QuantumJob.class).inNamespace(Ids.namespace(jobId)).withName(Ids.name(jobId)).get();
        return job == null ? null : new io.kubeqpu.dispatch.QpuFleet.JobRef(job.getMetadata().getUid(), SpecMapper.request(job.getSpec()));
    }
}
