package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * GitOps applies objects in any order: a job may arrive before its session, instance or backend. A reference
 * that does not resolve yet is waited for during {@link #GRACE} after the object's creation; after that the
 * object fails with a clear reason instead of waiting forever.
 */
final class References {
    static final Duration GRACE = Duration.ofSeconds(30);
    static final Duration RETRY = Duration.ofMillis(250);
    /** How long a missing reference is waited for before the object shows it waits (Pending, this reason). */
    static final Duration QUIET = Duration.ofSeconds(2);
    static final String WAITING_FOR_REFERENCE = "WaitingForReference";

    private References() {}

    static boolean withinGrace(HasMetadata o, Clock clock) {
        String created = o.getMetadata().getCreationTimestamp();
        if (created == null) return false;
        return Instant.parse(created).plus(GRACE).isAfter(clock.instant());
    }

    /** The names of the instances marked {@code default: true} among one namespace's, as an informer's cache holds them, sorted. */
    static java.util.List<String> defaults(java.util.stream.Stream<QuantumInstance> instances) {
        return instances
                .filter(i -> Boolean.TRUE.equals(i.getSpec().getDefaultInstance()))
                .map(i -> i.getMetadata().getName()).sorted().toList();
    }

    /** Why a namespace with several default instances has none to give: never one picked silently. */
    static String ambiguousDefault(String namespace, java.util.List<String> defaults) {
        return "namespace " + namespace + " has " + defaults.size() + " default QuantumInstances (" + String.join(", ", defaults)
                + "): name one in spec.instance, or leave default: true on only one";
    }

    static Instant creation(HasMetadata o) {
        String created = o.getMetadata().getCreationTimestamp();
        return created == null ? null : Instant.parse(created);
    }
}
