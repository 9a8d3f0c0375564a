package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crd.generator.annotation.AdditionalSelectableField;
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

/** One primitive request (sampler or estimator) with its PUBs, run in job mode or inside a batch or session. */
@Group(QuantumApi.GROUP)
@Version(QuantumApi.VERSION)
@Kind("QuantumJob")
@Plural("quantumjobs")
@Singular("quantumjob")
@ShortNames("qjob")
@Categories(QuantumApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
// kubectl get qjob --field-selector spec.sessionRef.name=vqe (Kubernetes 1.31+); jobs also carry the labels
// quantum.kubeqpu.io/session or quantum.kubeqpu.io/batch, for older clusters and label selectors.
@AdditionalSelectableField(jsonPath = ".spec.sessionRef.name")
@AdditionalSelectableField(jsonPath = ".spec.batchRef.name")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Backend", jsonPath = ".status.backend", type = Type.STRING)
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".status.mode", type = Type.STRING)
@AdditionalPrinterColumn(name = "Queue", jsonPath = ".status.queuePosition", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Usage", jsonPath = ".status.usage.quantumSeconds", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@JsonClassDescription("One primitive request (sampler or estimator) with its PUBs, run alone (job mode) or inside a QuantumBatch or QuantumSession. Wait for it with kubectl wait --for=condition=Finished; its result is in the ConfigMap status.resultRef names.")
// A field the model cannot hold must not stop the informer for everyone (issue 15): see Unreadable.
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = Unreadable.JobDeserializer.class)
public class QuantumJob extends CustomResource<QuantumJobSpec, QuantumJobStatus> implements Namespaced {
}
