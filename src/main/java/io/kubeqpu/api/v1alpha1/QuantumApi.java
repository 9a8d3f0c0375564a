package io.kubeqpu.api.v1alpha1;

/** Coordinates of the kubeqpu API. */
public final class QuantumApi {
    public static final String GROUP = "quantum.kubeqpu.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    /** {@code kubectl get quantum} lists every kind. */
    public static final String CATEGORY = "quantum";

    /** Every custom resource class of this version, in a stable order. */
    public static final java.util.List<Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>>> KINDS =
            java.util.List.of(QuantumBackend.class, QuantumInstance.class, QuantumJob.class, QuantumBatch.class,
                    QuantumSession.class);

    private QuantumApi() {
    }
}
