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

/** A tenant's account: plan, usage limit per period, fair-share weight and allowed backends. */
@Group(QuantumApi.GROUP)
@Version(QuantumApi.VERSION)
@Kind("QuantumInstance")
@Plural("quantuminstances")
@Singular("quantuminstance")
@ShortNames("qinst")
@Categories(QuantumApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@AdditionalPrinterColumn(name = "Plan", jsonPath = ".spec.plan", type = Type.STRING)
@AdditionalPrinterColumn(name = "Default", jsonPath = ".spec.default", type = Type.BOOLEAN, priority = 1)
@AdditionalPrinterColumn(name = "Weight", jsonPath = ".spec.weight", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Usage", jsonPath = ".status.usage.quantumSeconds", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Limit", jsonPath = ".spec.usageLimitSeconds", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@JsonClassDescription("A tenant's account (Qiskit Runtime instance): its plan, fair-share weight, usage limit per period and the backends it may use. Jobs, batches and sessions are billed to one.")
// A field the model cannot hold must not stop the informer for everyone (issue 15): see Unreadable.
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = Unreadable.InstanceDeserializer.class)
public class QuantumInstance extends CustomResource<QuantumInstanceSpec, QuantumInstanceStatus> implements Namespaced {
}
