package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One QPU (cluster scoped): qubits, native gates, coupling map, limits, timing, noise, calibration, parallelism and its simulator pod(s). */
@Group(QuantumApi.GROUP)
@Version(QuantumApi.VERSION)
@Kind("QuantumBackend")
@Plural("quantumbackends")
@Singular("quantumbackend")
@ShortNames("qpu")
@Categories(QuantumApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@AdditionalPrinterColumn(name = "Qubits", jsonPath = ".spec.numQubits", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Parallelism", jsonPath = ".spec.parallelism", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Available", jsonPath = ".status.available", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Lease Holder", jsonPath = ".status.lease.holder.name", type = Type.STRING)
@AdditionalPrinterColumn(name = "Lease Mode", jsonPath = ".status.lease.mode", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Queue", jsonPath = ".status.queueLength", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Running", jsonPath = ".status.runningJobs", type = Type.INTEGER, priority = 1)
// A date column prints <invalid> for a future time: future instants are shown as their RFC 3339 text.
@AdditionalPrinterColumn(name = "Next Calibration", jsonPath = ".status.nextCalibrationAt", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@JsonClassDescription("A QPU (cluster scoped) that jobs run on: its qubits, native gates, coupling map, limits, timing, noise, calibration schedule and parallelism, simulated by a QPU simulator. Created by the cluster admin.")
// A field the model cannot hold must not stop the informer for everyone (issue 15): see Unreadable.
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = Unreadable.BackendDeserializer.class)
public class QuantumBackend extends CustomResource<QuantumBackendSpec, QuantumBackendStatus> {
}
