package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.dsl.Listable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** LISTs read {@value #SIZE} objects a page, as a large cluster must be read: no one response holds them all. */
final class Pages {
    static final long SIZE = 500;

    private Pages() {
    }

    /** Every object. */
    static <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> all(Listable<L> ops) {
        List<T> all = new ArrayList<>();
        any(ops, (T o) -> {
            all.add(o);
            return false;
        });
        return all;
    }

    /** Whether an object matches: pages are read until one does. */
    static <T extends HasMetadata, L extends KubernetesResourceList<T>> boolean any(Listable<L> ops, Predicate<T> match) {
        String next = null;
        do {
            L page = ops.list(new ListOptionsBuilder().withLimit(SIZE).withContinue(next).build());
            for (T o : page.getItems()) if (match.test(o)) return true;
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return false;
    }
}
