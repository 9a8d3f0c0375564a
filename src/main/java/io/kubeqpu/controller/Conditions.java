package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds conditions that keep their {@code lastTransitionTime} until their status actually changes. */
final class Conditions {
    private Conditions() {}

    static List<Condition> set(List<Condition> existing, String type, boolean status, String reason, String message,
                               Long generation, Instant now) {
        List<Condition> out = new ArrayList<>();
        if (existing != null) for (Condition c : existing) if (!type.equals(c.getType())) out.add(c);
        String s = status ? "True" : "False";
        String transition = now.toString();
        if (existing != null)
            for (Condition c : existing)
                if (type.equals(c.getType()) && s.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                    transition = c.getLastTransitionTime();
        out.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason == null ? (status ? type : "Pending") : reason)
                .withMessage(message == null ? "" : message).withObservedGeneration(generation)
                .withLastTransitionTime(transition).build());
        return out;
    }
}
