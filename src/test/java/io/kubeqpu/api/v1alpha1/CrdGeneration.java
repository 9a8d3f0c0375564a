package io.kubeqpu.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
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
                            return orderPrinterColumns(crd);
                        }
                    })
                    .customResourceClasses(QuantumApi.KINDS.stream()
                            .<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>>map(c -> c)
                            .toList())
                    .generate();
            Map<String, String> files = read(out);
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
