package io.kubeqpu.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.SimulatorSpec;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.device.DeviceOptions;
import java.net.URI;
import java.util.Map;

/**
 * The simulator pods of a backend on a real cluster: a Deployment running the image's {@code simulator} role and
 * a Service in front of it, owned by the QuantumBackend (so deleting it removes them). Pure {@code desired*}
 * functions; the backend reconciler keeps both in the cluster as JOSDK dependent resources (SimulatorDependents).
 */
public final class SimulatorPods {
    public static final String COMPONENT = "simulator";
    public static final int PORT = 8080;
    static final String HASH = "quantum.kubeqpu.io/desired-hash";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String defaultImage;
    private final Map<String, URI> urls;
    private final PodDefaults defaults;

    /**
     * What every simulator pod gets unless its backend's spec.simulator says otherwise: the chart's simulator.port,
     * simulator.resources, simulator.podSecurityContext and simulator.securityContext (operator env
     * KUBEQPU_SIMULATOR_POD_*).
     */
    public record PodDefaults(int port, io.fabric8.kubernetes.api.model.ResourceRequirements resources,
                              io.fabric8.kubernetes.api.model.PodSecurityContext podSecurityContext,
                              io.fabric8.kubernetes.api.model.SecurityContext securityContext) {
        /** The hardened settings: non-root, read-only root, no capabilities, no escalation, seccomp RuntimeDefault. */
        public static final PodDefaults HARDENED = new PodDefaults(PORT, null,
                new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder().withRunAsNonRoot(true).withNewSeccompProfile()
                        .withType("RuntimeDefault").endSeccompProfile().build(),
                new io.fabric8.kubernetes.api.model.SecurityContextBuilder().withRunAsNonRoot(true).withReadOnlyRootFilesystem(true)
                        .withAllowPrivilegeEscalation(false).withNewCapabilities().addToDrop("ALL").endCapabilities()
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build());

        /** These defaults with the given settings where they are set (null or blank = keep the hardened one). */
        public PodDefaults with(Integer port, String resourcesJson, String podSecurityContextJson, String securityContextJson) {
            var k = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
            return new PodDefaults(port == null ? this.port : port,
                    blank(resourcesJson) ? resources : k.unmarshal(resourcesJson, io.fabric8.kubernetes.api.model.ResourceRequirements.class),
                    blank(podSecurityContextJson) ? podSecurityContext
                            : k.unmarshal(podSecurityContextJson, io.fabric8.kubernetes.api.model.PodSecurityContext.class),
                    blank(securityContextJson) ? securityContext
                            : k.unmarshal(securityContextJson, io.fabric8.kubernetes.api.model.SecurityContext.class));
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank() || s.equals("null") || s.equals("{}");
        }
    }

    public SimulatorPods(KubernetesClient client, String namespace, String defaultImage) {
        this(client, namespace, defaultImage, PodDefaults.HARDENED, Map.of());
    }

    /** @param urls where some backends' QPUs answer instead of their Service (an operator outside the cluster) */
    public SimulatorPods(KubernetesClient client, String namespace, String defaultImage, Map<String, URI> urls) {
        this(client, namespace, defaultImage, PodDefaults.HARDENED, urls);
    }

    public SimulatorPods(KubernetesClient client, String namespace, String defaultImage, PodDefaults defaults) {
        this(client, namespace, defaultImage, defaults, Map.of());
    }

    public SimulatorPods(KubernetesClient client, String namespace, String defaultImage, PodDefaults defaults,
                         Map<String, URI> urls) {
        this.client = client;
        this.namespace = namespace;
        this.defaultImage = defaultImage;
        this.defaults = defaults;
        this.urls = Map.copyOf(urls);
    }

    /**
     * Parses {@code kubeqpu.simulator-urls}: {@code backend=url} pairs separated by commas, e.g.
     * {@code sim-eagle=http://127.0.0.1:18080}; blank means none.
     */
    public static Map<String, URI> parseUrls(String spec) {
        Map<String, URI> urls = new java.util.LinkedHashMap<>();
        if (spec == null || spec.isBlank()) return urls;
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            URI url;
            try {
                url = eq <= 0 ? null : new URI(pair.substring(eq + 1).trim());
            } catch (java.net.URISyntaxException e) {
                url = null;
            }
            if (url == null || !"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("kubeqpu.simulator-urls: expected backend=http://host:port, got \""
                        + pair.trim() + "\"");
            }
            urls.put(pair.substring(0, eq).trim(), url);
        }
        return urls;
    }

    /**
     * {@code kubeqpu-sim-<backend>}: a Service name, so a DNS-1035 label of at most 63 characters; a backend name
     * with dots or too long for it (backends may have 253) is hash-shortened.
     */
    public static String name(String backend) {
        String plain = "kubeqpu-sim-" + backend;
        if (plain.length() <= 63 && !backend.contains(".")) return plain;
        return io.kubeqpu.controller.DerivedNames.name("kubeqpu-sim-" + backend.replace('.', '-'), "", 63, backend);
    }

    /** Where the backend's QPU answers: its Service inside the cluster, unless {@code kubeqpu.simulator-urls} names it. */
    public URI url(String backend) {
        URI url = urls.get(backend);
        if (url != null) return url;
        return URI.create("http://" + name(backend) + "." + namespace + ".svc:" + defaults.port());
    }

    static Map<String, String> labels(String backend) {
        // The chart's NetworkPolicy lets only the operator reach pods with these labels.
        return Map.of("app.kubernetes.io/name", "kubeqpu", "app.kubernetes.io/component", COMPONENT,
                "app.kubernetes.io/part-of", "kubeqpu", "quantum.kubeqpu.io/backend", io.kubeqpu.controller.DerivedNames.labelValue(backend));
    }

    public Deployment desiredDeployment(QuantumBackend b, BackendProfile profile, DeviceOptions options) {
        String backend = b.getMetadata().getName();
        SimulatorSpec sim = b.getSpec().getSimulator() == null ? new SimulatorSpec() : b.getSpec().getSimulator();
        String image = sim.getImage() != null ? sim.getImage() : defaultImage;
        int port = defaults.port();
        Container c = new ContainerBuilder().withName(COMPONENT).withImage(image)
                .withImagePullPolicy(sim.getImagePullPolicy()).withArgs(COMPONENT)
                .addNewEnv().withName("KUBEQPU_BACKEND_PROFILE").withValue(json(profile)).endEnv()
                .addNewEnv().withName("KUBEQPU_DEVICE_OPTIONS").withValue(json(options)).endEnv()
                .addNewEnv().withName("KUBEQPU_SIMULATOR_PORT").withValue(String.valueOf(port)).endEnv()
                .addNewPort().withName("http").withContainerPort(port).endPort()
                .withResources(sim.getResources() != null ? sim.getResources() : defaults.resources())
                .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withNewPort(port).endHttpGet().endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withNewPort(port).endHttpGet()
                .withFailureThreshold(3).endLivenessProbe()
                .withSecurityContext(defaults.securityContext())
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
        return new DeploymentBuilder().withNewMetadata().withName(name(backend)).withNamespace(namespace)
                .withLabels(labels(backend)).withOwnerReferences(owner(b)).endMetadata()
                .withNewSpec().withReplicas(sim.getReplicas() == null ? 1 : Math.min(1, sim.getReplicas()))
                // Never two pods at once, not even during an update: the old one's jobs would be lost to the new one.
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewSelector().withMatchLabels(labels(backend)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels(backend)).endMetadata()
                .withNewSpec().withContainers(c).withNodeSelector(sim.getNodeSelector()).withTolerations(sim.getTolerations())
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(defaults.podSecurityContext())
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }

    public Service desiredService(QuantumBackend b) {
        String backend = b.getMetadata().getName();
        return new ServiceBuilder().withNewMetadata().withName(name(backend)).withNamespace(namespace)
                .withLabels(labels(backend)).withOwnerReferences(owner(b)).endMetadata()
                .withNewSpec().withSelector(labels(backend))
                .addNewPort().withName("http").withPort(defaults.port()).withNewTargetPort(defaults.port()).endPort().endSpec().build();
    }

    /** Where the simulator Deployments and Services live: the operator's own namespace. */
    public String namespace() {
        return namespace;
    }

    /** The label selector every simulator Deployment and Service carries (what the operator's informers watch). */
    public static String selector() {
        return "app.kubernetes.io/component=" + COMPONENT + ",app.kubernetes.io/part-of=kubeqpu";
    }

    /**
     * {@code desired} with a hash of itself in an annotation, so that {@link #upToDate} can tell whether the object
     * in the cluster is what we want: the API server defaults fields, so comparing specs would see a change on every
     * reconcile.
     */
    public static <T extends HasMetadata> T stamped(T desired) {
        String hash = Integer.toHexString(json(desired).hashCode());
        desired.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(HASH, hash)));
        return desired;
    }

    /** The object in the cluster was written from {@code desired} (both {@link #stamped}). */
    public static boolean upToDate(HasMetadata actual, HasMetadata desired) {
        var annotations = actual.getMetadata().getAnnotations();
        return annotations != null && desired.getMetadata().getAnnotations().get(HASH).equals(annotations.get(HASH));
    }

    /** A simulator Deployment reports a ready replica. */
    public static boolean ready(Deployment d) {
        Integer ready = d == null || d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        return ready != null && ready > 0;
    }

    private static OwnerReference owner(QuantumBackend b) {
        return new OwnerReferenceBuilder().withApiVersion("quantum.kubeqpu.io/v1alpha1").withKind("QuantumBackend")
                .withName(b.getMetadata().getName()).withUid(b.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).build();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
