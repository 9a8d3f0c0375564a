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

/** A dedicated window on a backend (Qiskit Runtime session mode): jobs join it with sessionRef and run exclusively. */
@Group(QuantumApi.GROUP)
@Version(QuantumApi.VERSION)
@Kind("QuantumSession")
@Plural("quantumsessions")
@Singular("quantumsession")
@ShortNames("qsess")
@Categories(QuantumApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Backend", jsonPath = ".spec.backend", type = Type.STRING)
@AdditionalPrinterColumn(name = "Lease Mode", jsonPath = ".status.lease.mode", type = Type.STRING)
@AdditionalPrinterColumn(name = "Jobs", jsonPath = ".status.jobs.total", type = Type.INTEGER)
// A date column prints <invalid> for a future time: the deadline is shown as its RFC 3339 text.
@AdditionalPrinterColumn(name = "Max TTL Deadline", jsonPath = ".status.maxTTLDeadline", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@JsonClassDescription("A dedicated window on a backend (Qiskit Runtime session mode): jobs join it with sessionRef and run exclusively until it is closed, idle past interactiveTTL or past maxTTL.")
// A field the model cannot hold must not stop the informer for everyone (issue 15): see Unreadable.
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = Unreadable.SessionDeserializer.class)
public class QuantumSession extends CustomResource<QuantumSessionSpec, WorkloadStatus> implements Namespaced {
}
