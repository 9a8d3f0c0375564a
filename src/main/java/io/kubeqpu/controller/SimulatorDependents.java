package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.dispatch.SimulatorPods;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A backend's simulator Deployment and Service (pods mode) as JOSDK standalone dependent resources: created and kept
 * as {@link SimulatorPods} describes them, read from informers on the operator's namespace, and each change of them
 * (the Deployment's ready replicas above all) reconciles the backend that owns them, found by owner reference (the
 * backend label is hash-shortened for long names). Nothing polls, nothing GETs on a reconcile.
 */
final class SimulatorDependents {
    private final Dependent<Deployment> deployment;
    private final Dependent<Service> service;

    SimulatorDependents(SimulatorPods pods) {
        deployment = new Dependent<>(Deployment.class, pods.namespace(),
                b -> pods.desiredDeployment(b, SpecMapper.profile(b), SpecMapper.deviceOptions(b)));
        service = new Dependent<>(Service.class, pods.namespace(), pods::desiredService);
    }

    List<EventSource<?, QuantumBackend>> eventSources(EventSourceContext<QuantumBackend> context) {
        return List.of(deployment.eventSource(context).orElseThrow(), service.eventSource(context).orElseThrow());
    }

    /** Creates or updates both as needed; true when the Deployment reports a ready replica. */
    boolean reconcile(QuantumBackend backend, Context<QuantumBackend> context) {
        var d = deployment.reconcile(backend, context);
        service.reconcile(backend, context);
        return SimulatorPods.ready(d.getSingleResource().orElse(null));
    }

    /**
     * One object per backend in the operator's namespace; garbage-collected with its backend (owner reference).
     * Merge updates, no server-side apply, as everywhere in this operator (the Fabric8 mock API server refuses it),
     * and a match by the hash of the desired object ({@link SimulatorPods#upToDate}).
     */
    private static final class Dependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, QuantumBackend> {
        private final Function<QuantumBackend, R> desired;

        Dependent(Class<R> type, String namespace, Function<QuantumBackend, R> desired) {
            super(type, "simulator-" + type.getSimpleName().toLowerCase());
            this.desired = desired;
            configureWith(new KubernetesDependentResourceConfigBuilder<R>().withUseSSA(false)
                    .withKubernetesDependentInformerConfig(InformerConfiguration.builder(type)
                            .withNamespaces(Set.of(namespace), false).withLabelSelector(SimulatorPods.selector()).build())
                    .build());
        }

        @Override
        protected R desired(QuantumBackend backend, Context<QuantumBackend> context) {
            return SimulatorPods.stamped(desired.apply(backend));
        }

        @Override
        public Matcher.Result<R> match(R actual, QuantumBackend backend, Context<QuantumBackend> context) {
            R want = getOrComputeDesired(context);
            return Matcher.Result.computed(SimulatorPods.upToDate(actual, want), want);
        }
    }
}
