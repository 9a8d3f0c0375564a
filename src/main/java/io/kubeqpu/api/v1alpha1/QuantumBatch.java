package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A multi-job workload submitted at once (Qiskit Runtime batch mode): inline job templates and/or jobs naming it in batchRef. */
@Group(QuantumApi.GROUP)
@Version(QuantumApi.VERSION)
@Kind("QuantumBatch")
@Plural("quantumbatches")
@Singular("quantumbatch")
@ShortNames("qbatch")
@Categories(QuantumApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Backend", jsonPath = ".spec.backend", type = Type.STRING)
@AdditionalPrinterColumn(name = "Jobs", jsonPath = ".status.jobs.total", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Completed", jsonPath = ".status.jobs.completed", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Failed", jsonPath = ".status.jobs.failed", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Lease", jsonPath = ".status.lease.mode", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@JsonClassDescription("A group of jobs the scheduler runs together on one backend (Qiskit Runtime batch mode), from inline templates or jobs that name it in batchRef.")
// A field the model cannot hold must not stop the informer for everyone (issue 15): see Unreadable.
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = Unreadable.BatchDeserializer.class)
public class QuantumBatch extends CustomResource<QuantumBatchSpec, WorkloadStatus> implements Namespaced {
}
