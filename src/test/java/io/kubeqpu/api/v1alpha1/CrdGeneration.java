package io.kubeqpu.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Generates the CRD YAML of {@link QuantumApi#KINDS} with Fabric8 crd-generator v2, deterministically. */
final class CrdGeneration {
    /** Where the checked-in CRDs live, relative to the project directory (Maven runs tests there). */
    static final Path CRDS_DIR = Path.of("crds");

    /** The one command that refreshes {@code crds/}. */
    static final String REFRESH_COMMAND = "KUBEQPU_UPDATE_CRDS=true ./mvnw -B -q test -Dtest=CrdsUpToDateTest";

    private CrdGeneration() {
    }

    /** File name (e.g. quantumjobs.quantum.kubeqpu.io-v1.yml) to YAML text, freshly generated from the model. */
    static Map<String, String> generate() {
        try {
            Path out = Files.createTempDirectory("kubeqpu-crds");
            new CRDGenerator()
                    .inOutputDir(out.toFile())
                    .forCRDVersions("v1")
                    .withParallelGenerationEnabled(false)
                    .withPostProcessor(new CRDPostProcessor() {
                        @Override
                        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                            return boundNumbers(describeConditions(describeRoots(orderPrinterColumns(crd))));
                        }
                    })
                    .customResourceClasses(QuantumApi.KINDS.stream()
                            .<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>>map(c -> c)
                            .toList())
                    .generate();
            Map<String, String> files = new TreeMap<>();
            read(out).forEach((name, text) -> files.put(name, integralBounds(text)));
            try (Stream<Path> s = Files.list(out)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(out);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The generator sorts printer columns by JSON path; kubectl shows them in array order. Restore the
     * order of the {@link AdditionalPrinterColumn} annotations on the class (Age last, as kubectl does).
     */
    static HasMetadata orderPrinterColumns(HasMetadata crd) {
        if (crd instanceof CustomResourceDefinition definition) {
            String kind = definition.getSpec().getNames().getKind();
            Class<?> type = QuantumApi.KINDS.stream()
                    .filter(k -> k.getSimpleName().equals(kind))
                    .findFirst()
                    .orElseThrow();
            List<String> order = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name)
                    .toList();
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                List<CustomResourceColumnDefinition> columns = new ArrayList<>(version.getAdditionalPrinterColumns());
                columns.sort(Comparator.comparingInt(c -> order.indexOf(c.getName())));
                version.setAdditionalPrinterColumns(columns);
            }
        }
        return crd;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MODEL = new com.fasterxml.jackson.databind.ObjectMapper();
    /**
     * The largest int64 bound a float64 holds below 2^63: the API server compares numbers as float64, so a maximum
     * of 9223372036854775807 would be 2^63 and let 2^63 (one past Long.MAX_VALUE) in. The minimum is kept symmetric:
     * -2^63 itself is a double, but a value just below it (-9223372036854775900) rounds to it and would pass.
     */
    static final double INT64_MAX = Math.nextDown(0x1p63);
    static final double INT64_MIN = -INT64_MAX;
    /**
     * A number's bound: the largest integer a double holds exactly (2^53 - 1). Finite, and within int64: kube-apiserver
     * compares an integral JSON value (weight: 2) against a number's bound converted to int64, so ±Double.MAX_VALUE
     * overflowed and refused every integral value (even the CRD's own default, weight: 1).
     */
    static final double NUMBER_MAX = 9007199254740991.0;

    /**
     * Issue 15: every integer and number of the schema gets the range of the Java field it is read into (int32,
     * int64, or for a double ±(2^53 - 1)) and a {@code format}, keeping a tighter bound the model already declares. Walks the
     * schema alongside the model's Jackson properties, so a new field is bounded without anyone remembering to; a
     * numeric field of a Java type with no known range fails generation.
     */
    static HasMetadata boundNumbers(HasMetadata crd) {
        if (crd instanceof CustomResourceDefinition definition) {
            com.fasterxml.jackson.databind.JavaType type = MODEL.constructType(kind(definition));
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions())
                bound(version.getSchema().getOpenAPIV3Schema(), type, "");
        }
        return crd;
    }

    private static void bound(JSONSchemaProps s, com.fasterxml.jackson.databind.JavaType t, String path) {
        if (s == null || t == null) return;
        Class<?> raw = t.getRawClass();
        if ("integer".equals(s.getType())) {
            if (raw == Integer.class || raw == int.class) range(s, "int32", Integer.MIN_VALUE, Integer.MAX_VALUE);
            else if (raw == Long.class || raw == long.class) range(s, "int64", INT64_MIN, INT64_MAX);
            else throw new IllegalStateException(path + ": integer held in " + raw.getName() + ", whose range the generator does not know");
            return;
        }
        if ("number".equals(s.getType())) {
            if (raw == Double.class || raw == double.class) range(s, "double", -NUMBER_MAX, NUMBER_MAX);
            else throw new IllegalStateException(path + ": number held in " + raw.getName() + ", whose range the generator does not know");
            return;
        }
        if (t.isCollectionLikeType() || t.isArrayType()) {
            if (s.getItems() != null) bound(s.getItems().getSchema(), t.getContentType(), path + "[]");
            return;
        }
        if (t.isMapLikeType()) {
            if (s.getAdditionalProperties() != null) bound(s.getAdditionalProperties().getSchema(), t.getContentType(), path + "{}");
            return;
        }
        if (s.getProperties() == null || s.getProperties().isEmpty()) return;
        var description = MODEL.getSerializationConfig().introspect(t);
        for (var p : description.findProperties()) {
            JSONSchemaProps child = s.getProperties().get(p.getName());
            if (child != null) bound(child, p.getPrimaryType(), path + "." + p.getName());
        }
        for (var e : s.getProperties().entrySet()) {
            if ((("integer".equals(e.getValue().getType()) || "number".equals(e.getValue().getType())) && e.getValue().getFormat() == null))
                throw new IllegalStateException(path + "." + e.getKey() + " is numeric but has no Java property to bound it by");
        }
    }

    private static void range(JSONSchemaProps s, String format, double min, double max) {
        if (s.getFormat() == null) s.setFormat(format);
        if (s.getMinimum() == null || s.getMinimum() < min) s.setMinimum(min);
        if (s.getMaximum() == null || s.getMaximum() > max) s.setMaximum(max);
    }

    private static final java.util.regex.Pattern DOUBLE_BOUND =
            java.util.regex.Pattern.compile("(?m)^(\\s+(?:minimum|maximum): )(-?[0-9]+\\.[0-9]+(?:E-?[0-9]+)?)$");

    /**
     * The generator writes bounds as Java doubles ({@code maximum: 1.0E7}), which YAML 1.1 parsers (PyYAML, old
     * go-yaml) read as a string. Integral bounds are written as integers; fractional ones keep their decimals.
     */
    static String integralBounds(String yaml) {
        return DOUBLE_BOUND.matcher(yaml).replaceAll(m -> {
            java.math.BigDecimal v = new java.math.BigDecimal(m.group(2));
            // A finite-double bound stays in exponent form (309 digits help no reader), written 1.7976931348623157e+308:
            // YAML 1.1 (PyYAML) reads a float's exponent only with its sign.
            if (v.abs().compareTo(java.math.BigDecimal.TEN.pow(19)) > 0)
                return java.util.regex.Matcher.quoteReplacement(m.group(1) + m.group(2).replace("E", "e+").replace("e+-", "e-"));
            // An integral bound is written as the exact value of the double (Java 17 prints 9223372036854774784 as
            // 9.2233720368547748E18): what the API server compares against, digit for digit.
            double d = v.doubleValue();
            if (d == Math.rint(d)) return java.util.regex.Matcher.quoteReplacement(m.group(1) + new java.math.BigDecimal(d).toBigIntegerExact());
            String text = v.stripTrailingZeros().scale() <= 0 ? v.toBigIntegerExact().toString() : v.stripTrailingZeros().toPlainString();
            return java.util.regex.Matcher.quoteReplacement(m.group(1) + text);
        });
    }

    /**
     * {@code kubectl explain quantumjob} shows the root, {@code spec} and {@code status} descriptions: taken from the
     * {@link com.fasterxml.jackson.annotation.JsonClassDescription} of the kind, its spec class and its status class.
     */
    static HasMetadata describeRoots(HasMetadata crd) {
        if (crd instanceof CustomResourceDefinition definition) {
            Class<?> type = kind(definition);
            java.lang.reflect.ParameterizedType cr = (java.lang.reflect.ParameterizedType) type.getGenericSuperclass();
            Class<?> spec = (Class<?>) cr.getActualTypeArguments()[0];
            Class<?> status = (Class<?>) cr.getActualTypeArguments()[1];
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
                root.setDescription(description(type));
                root.getProperties().get("spec").setDescription(description(spec));
                root.getProperties().get("status").setDescription(description(status));
            }
        }
        return crd;
    }

    private static String description(Class<?> c) {
        com.fasterxml.jackson.annotation.JsonClassDescription d = c.getAnnotation(com.fasterxml.jackson.annotation.JsonClassDescription.class);
        if (d == null) throw new IllegalStateException(c.getName() + " needs a @JsonClassDescription (kubectl explain shows it)");
        return d.value();
    }

    /**
     * {@code status.conditions} gets metav1.Condition's schema (the API conventions): required fields, status one of
     * True/False/Unknown, reason and type patterns, and {@code x-kubernetes-list-type: map} keyed by type.
     */
    static HasMetadata describeConditions(HasMetadata crd) {
        if (crd instanceof CustomResourceDefinition definition) {
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
                JSONSchemaProps old = status.getProperties().get("conditions");
                JSONSchemaProps conditions = new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder()
                        .withType("array").withDescription(old.getDescription())
                        .withXKubernetesListType("map").withXKubernetesListMapKeys("type")
                        .withNewItems().withNewSchema().withType("object")
                        .withRequired("lastTransitionTime", "message", "reason", "status", "type")
                        .addToProperties("type", str("Type of condition in CamelCase (Ready, Finished, Stalled, Active, "
                                + "Available, Calibrating, UsageLimitExceeded).").withMaxLength(316L)
                                .withPattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$").build())
                        .addToProperties("status", str("Status of the condition: True, False or Unknown.")
                                .withEnum(new com.fasterxml.jackson.databind.node.TextNode("True"),
                                        new com.fasterxml.jackson.databind.node.TextNode("False"),
                                        new com.fasterxml.jackson.databind.node.TextNode("Unknown")).build())
                        .addToProperties("observedGeneration", new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder()
                                .withType("integer").withFormat("int64").withMinimum(0.0)
                                .withDescription("The metadata.generation the condition was set for.").build())
                        .addToProperties("lastTransitionTime", str("When the condition last changed status (RFC 3339).")
                                .withFormat("date-time").build())
                        .addToProperties("reason", str("Machine-readable reason in CamelCase for the condition's last transition.")
                                .withMinLength(1L).withMaxLength(1024L).withPattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$").build())
                        .addToProperties("message", str("Human-readable details about the transition; may be empty.")
                                .withMaxLength(32768L).build())
                        .endSchema().endItems().build();
                status.getProperties().put("conditions", conditions);
            }
        }
        return crd;
    }

    private static io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder str(String description) {
        return new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder().withType("string").withDescription(description);
    }

    private static Class<?> kind(CustomResourceDefinition definition) {
        String kind = definition.getSpec().getNames().getKind();
        return QuantumApi.KINDS.stream().filter(k -> k.getSimpleName().equals(kind)).findFirst().orElseThrow();
    }

    /** The .yml files of a directory, by name. */
    static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".yml")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
