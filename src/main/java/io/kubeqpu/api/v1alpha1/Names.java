package io.kubeqpu.api.v1alpha1;

/** Name patterns used in the schema. */
public final class Names {
    /** A DNS-1123 label: what Kubernetes accepts as a name segment (at most 63 characters). */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /** A DNS-1123 subdomain: what Kubernetes accepts as an object name (at most 253 characters). */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private Names() {
    }
}
