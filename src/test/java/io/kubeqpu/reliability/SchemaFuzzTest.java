package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.Unreadable;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.local.apiserver.EmbeddedApiServer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 15: random objects of every kind, valid by the CRD's OpenAPI schema (every number within its bounds, with its
 * minimum and maximum often, strings from the field's pattern, lists within maxItems), generated from {@code crds/}
 * by jqwik and applied to the embedded API server with the operator running. The API server may still refuse one
 * by a CEL rule (a 422 with a message, never "rule evaluation error"); anything else (a 5xx, a hang) fails. Every
 * object is deleted after its create, and every {@value #CANARY_EVERY} objects another tenant's canary job must
 * complete. At the end no object was unreadable (the schema's bounds are the model's) and a last canary completes.
 */
class SchemaFuzzTest {
    static final int TRIES = 2000;
    static final int CANARY_EVERY = 20;
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    static KubernetesMockServer server;
    static KubernetesClient client;
    static OperatorHarness h;
    static final AtomicInteger applied = new AtomicInteger();
    static final Map<String, Integer> outcomes = new TreeMap<>();
    static long started;
    static long unreadableBefore;

    @BeforeContainer
    static void start() {
        server = EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        h = new OperatorHarness(client);
        h.apply(Yaml.backend("qpu", 2, 0.001));
        h.apply(Yaml.instance("research", "premium", true));
        ManifestApplier.apply(client, Yaml.instance("canary", "premium", true), "canary");
        ManifestApplier.apply(client, Yaml.instance("research", "premium", true), "fuzz");
        unreadableBefore = Unreadable.count();
        started = System.nanoTime();
    }

    @AfterContainer
    static void stop() {
        try {
            canary("canary-last");
            assertThat(Unreadable.count() - unreadableBefore).as("objects valid by the schema the model could not read").isZero();
            System.out.println("SchemaFuzzTest: " + applied.get() + " random valid-by-schema objects in "
                    + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s, " + (applied.get() / CANARY_EVERY + 1)
                    + " canaries; " + outcomes);
        } finally {
            h.close();
            client.close();
            server.destroy();
        }
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
    void aValidObjectIsAcceptedOrRefusedWithAReasonAndNobodyElseNotices(@ForAll("objects") ObjectNode object) {
        int n = applied.incrementAndGet();
        String kind = object.get("kind").asText();
        String name = "fz-" + n;
        ((ObjectNode) object.get("metadata")).put("name", name);
        GenericKubernetesResource r = client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
        var ops = client.genericKubernetesResources(r.getApiVersion(), kind);
        var scoped = kind.equals("QuantumBackend") ? ops : ops.inNamespace("fuzz");
        try {
            scoped.resource(r).create();
            count(kind + " accepted");
        } catch (KubernetesClientException e) {
            String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            assertThat(e.getCode()).as("%s %s: %s", kind, object, message).isEqualTo(422);
            assertThat(message).as("%s %s", kind, object).doesNotContain("rule evaluation error");
            count(kind + " refused by a rule (422)");
        } finally {
            try {
                scoped.withName(name).withGracePeriod(0).delete();
            } catch (KubernetesClientException ignored) {
                // never created
            }
        }
        if (n % CANARY_EVERY == 0) canary("canary-" + n);
    }

    private static synchronized void count(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    static void canary(String name) {
        ManifestApplier.apply(client, Yaml.job(name, "backend: qpu", 10), "canary");
        var job = client.resources(QuantumJob.class).inNamespace("canary").withName(name);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            QuantumJob j = job.get();
            return j != null && j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED;
        });
        job.delete();
    }

    // ------------------------------------------------------------------ generation from crds/

    @Provide
    Arbitrary<ObjectNode> objects() {
        List<Arbitrary<ObjectNode>> kinds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path p : files.sorted().toList()) {
                CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(Files.readString(p), CustomResourceDefinition.class);
                String kind = crd.getSpec().getNames().getKind();
                String apiVersion = crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0).getName();
                JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
                kinds.add(Combinators.combine(value(spec, "spec"), Arbitraries.integers().between(0, 9)).as((s, dice) -> {
                    ObjectNode o = F.objectNode().put("apiVersion", apiVersion).put("kind", kind);
                    o.putObject("metadata");
                    o.set("spec", s);
                    // Most jobs also obey the CEL rules the OpenAPI part cannot say, so that they reach the operator.
                    if (kind.equals("QuantumJob") && dice < 7) obeyJobRules((ObjectNode) s);
                    return o;
                }));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Arbitraries.oneOf(kinds);
    }

    /** One reference at most (backend when none), observables exactly on estimator PUBs. */
    static void obeyJobRules(ObjectNode spec) {
        if (spec.has("sessionRef")) spec.remove("batchRef");
        if (!spec.has("backend") && !spec.has("sessionRef") && !spec.has("batchRef")) spec.put("backend", "qpu");
        boolean estimator = "estimator".equals(spec.path("primitive").asText());
        for (JsonNode pub : spec.path("pubs")) {
            ObjectNode p = (ObjectNode) pub;
            if (!estimator) p.remove("observables");
            else if (!p.has("observables") || p.get("observables").isEmpty()) p.putArray("observables").addObject().put("ZZ", 1.0);
        }
    }

    static Arbitrary<JsonNode> value(JSONSchemaProps s, String field) {
        if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) return Arbitraries.integers().between(1, 4).map(F::numberNode);
        if (s.getEnum() != null && !s.getEnum().isEmpty()) return Arbitraries.of(s.getEnum());
        String type = s.getType() == null ? "object" : s.getType();
        return switch (type) {
            case "integer" -> integer(s);
            case "number" -> number(s);
            case "boolean" -> Arbitraries.of(true, false).map(F::booleanNode);
            case "string" -> string(s, field);
            case "array" -> array(s, field);
            default -> object(s);
        };
    }

    private static Arbitrary<JsonNode> integer(JSONSchemaProps s) {
        BigInteger min = BigInteger.valueOf((long) Math.ceil(s.getMinimum() + (Boolean.TRUE.equals(s.getExclusiveMinimum()) ? 1 : 0)));
        BigInteger max = new BigDecimal(s.getMaximum()).toBigInteger().subtract(Boolean.TRUE.equals(s.getExclusiveMaximum()) ? BigInteger.ONE : BigInteger.ZERO);
        BigInteger lo = min.max(BigInteger.ZERO).min(max), hi = max.min(lo.add(BigInteger.valueOf(100)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(min)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(max)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bigIntegers().between(min, max)),
                net.jqwik.api.Tuple.of(4, Arbitraries.bigIntegers().between(lo, hi))).map(F::numberNode);
    }

    private static Arbitrary<JsonNode> number(JSONSchemaProps s) {
        double min = Boolean.TRUE.equals(s.getExclusiveMinimum()) ? Math.nextUp(s.getMinimum()) : s.getMinimum();
        double max = Boolean.TRUE.equals(s.getExclusiveMaximum()) ? Math.nextDown(s.getMaximum()) : s.getMaximum();
        // Typical values with four decimals in [-10, 10] ∩ [min, max]; the bounds themselves exactly.
        double lo = Math.ceil(Math.max(min, -10) * 1e4) / 1e4, hi = Math.floor(Math.min(max, 10) * 1e4) / 1e4;
        Arbitrary<Double> typical = lo <= hi ? Arbitraries.doubles().between(lo, hi).ofScale(4) : Arbitraries.just(min);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(min)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(max)),
                net.jqwik.api.Tuple.of(4, typical)).map(F::numberNode);
    }

    private static Arbitrary<JsonNode> string(JSONSchemaProps s, String field) {
        int maxLength = s.getMaxLength() == null ? 24 : (int) Math.min(s.getMaxLength(), 24);
        Arbitrary<String> a;
        String pattern = s.getPattern();
        if (pattern != null && pattern.contains("ns|us|ms")) {
            a = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just("0")),
                    net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 99999), Arbitraries.of("ms", "s", "m", "h")).as((v, u) -> v + u)),
                    net.jqwik.api.Tuple.of(6, Combinators.combine(Arbitraries.integers().between(1, 120), Arbitraries.of("s", "m")).as((v, u) -> v + u)));
        } else if (pattern != null && pattern.startsWith("^(Always")) {
            a = Arbitraries.of("Always", "IfNotPresent", "Never");
        } else if (pattern != null && pattern.startsWith("^[a-z0-9]")) {
            a = Arbitraries.oneOf(Arbitraries.of("qpu", "research", "canary", "nosuch"),
                    Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(Math.max(1, Math.min(maxLength, 12))));
        } else if (field.equals("circuit")) {
            a = Arbitraries.of(Yaml.BELL, "OPENQASM 3.0;", "OPENQASM 3.0;\nqubit[1] q;\nbit[1] c;\nx q[0];\nc = measure q;", "h q[0];");
        } else {
            a = Arbitraries.strings().alpha().numeric().ofMinLength(s.getMinLength() == null ? 0 : s.getMinLength().intValue()).ofMaxLength(maxLength);
        }
        if (pattern != null) {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(pattern);
            a = a.filter(v -> p.matcher(v).find() && v.length() <= (s.getMaxLength() == null ? Integer.MAX_VALUE : s.getMaxLength()));
        }
        return a.map(F::textNode);
    }

    private static Arbitrary<JsonNode> array(JSONSchemaProps s, String field) {
        int min = s.getMinItems() == null ? 0 : s.getMinItems().intValue();
        int max = (int) Math.max(min, Math.min(s.getMaxItems() == null ? 3 : s.getMaxItems(), 3));
        return value(s.getItems().getSchema(), field).list().ofMinSize(min).ofMaxSize(max).map(items -> {
            ArrayNode a = F.arrayNode();
            items.forEach(a::add);
            return a;
        });
    }

    private static Arbitrary<JsonNode> object(JSONSchemaProps s) {
        Map<String, Arbitrary<Optional<JsonNode>>> parts = new LinkedHashMap<>();
        if (s.getProperties() != null) {
            List<String> required = s.getRequired() == null ? List.of() : s.getRequired();
            s.getProperties().forEach((k, v) -> {
                Arbitrary<JsonNode> a = value(v, k);
                parts.put(k, required.contains(k) ? a.map(Optional::of) : a.optional(0.5));
            });
        }
        if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
            // A map: up to two keys (Pauli labels for observables, plain words elsewhere).
            Arbitrary<JsonNode> v = value(s.getAdditionalProperties().getSchema(), "value");
            parts.put("\u0000map", Combinators.combine(Arbitraries.of("ZZ", "XI", "IZ", "a"), v).as((k, x) -> (JsonNode) F.objectNode().set(k, x)).optional(0.5));
        }
        if (parts.isEmpty()) return Arbitraries.just(F.objectNode());
        List<String> keys = new ArrayList<>(parts.keySet());
        return Combinators.combine(new ArrayList<>(parts.values())).as(values -> {
            ObjectNode o = F.objectNode();
            for (int i = 0; i < keys.size(); i++) {
                Optional<JsonNode> v = values.get(i);
                if (v.isEmpty()) continue;
                if (keys.get(i).equals("\u0000map")) o.setAll((ObjectNode) v.get());
                else o.set(keys.get(i), v.get());
            }
            return (JsonNode) o;
        });
    }
}
