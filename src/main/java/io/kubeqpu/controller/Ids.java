package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The scheduler's ids for Kubernetes objects. Namespaced objects are {@code namespace/name}; workloads carry
 * their kind ({@code session:ns/name}, {@code batch:ns/name}) so a batch and a session may share a name.
 */
public final class Ids {
    public static final String SESSION = "session:";
    public static final String BATCH = "batch:";

    private Ids() {}

    public static String of(HasMetadata o) {
        return of(o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    public static String of(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }

    public static String session(String namespace, String name) {
        return SESSION + of(namespace, name);
    }

    public static String batch(String namespace, String name) {
        return BATCH + of(namespace, name);
    }

    /** A namespaced id's namespace, or null for a cluster-scoped one; the kind prefix is ignored. */
    public static String namespace(String id) {
        String plain = stripKind(id);
        int slash = plain.indexOf('/');
        return slash < 0 ? null : plain.substring(0, slash);
    }

    public static String name(String id) {
        String plain = stripKind(id);
        return plain.substring(plain.indexOf('/') + 1);
    }

    public static boolean isSession(String id) {
        return id.startsWith(SESSION);
    }

    static String stripKind(String id) {
        if (id.startsWith(SESSION)) return id.substring(SESSION.length());
        if (id.startsWith(BATCH)) return id.substring(BATCH.length());
        return id;
    }
}
