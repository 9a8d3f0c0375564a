package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart's crds/ and kustomize's config/crd/ hold byte-identical copies of the generated crds/ (refresh with
 * {@code cp crds/*.yml helm/kubeqpu/crds/ && cp crds/*.yml config/crd/}).
 */
class CrdCopiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"helm/kubeqpu/crds", "config/crd"})
    void theCopiesEqualTheGeneratedCrds(String copyDir) throws IOException {
        List<String> generated = names(Path.of("crds"));
        assertThat(generated).hasSize(5);
        assertThat(names(Path.of(copyDir))).as(copyDir).containsExactlyElementsOf(generated);
        for (String name : generated)
            assertThat(Files.readAllBytes(Path.of(copyDir, name))).as(copyDir + "/" + name)
                    .isEqualTo(Files.readAllBytes(Path.of("crds", name)));
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
    }
}
