package io.kubeqpu.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fails when {@code crds/} differs from what the model generates. With {@code KUBEQPU_UPDATE_CRDS=true}
 * (or {@code -Dkubeqpu.updateCrds=true}) it rewrites {@code crds/} instead.
 */
class CrdsUpToDateTest {

    @Test
    void crdsDirectoryMatchesTheModel() throws IOException {
        Map<String, String> generated = CrdGeneration.generate();
        assertThat(generated).hasSize(QuantumApi.KINDS.size());

        if (updateRequested()) {
            Files.createDirectories(CrdGeneration.CRDS_DIR);
            for (String stale : CrdGeneration.read(CrdGeneration.CRDS_DIR).keySet()) {
                if (!generated.containsKey(stale)) {
                    Files.delete(CrdGeneration.CRDS_DIR.resolve(stale));
                }
            }
            for (Map.Entry<String, String> e : generated.entrySet()) {
                Files.writeString(CrdGeneration.CRDS_DIR.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        }

        Map<String, String> checkedIn = CrdGeneration.read(CrdGeneration.CRDS_DIR);
        assertThat(checkedIn)
                .as("crds/ is stale: the Java model in io.kubeqpu.api changed. Refresh it with:%n  %s%n"
                        + "and commit crds/.", CrdGeneration.REFRESH_COMMAND)
                .isEqualTo(generated);
    }

    @Test
    void generationIsDeterministic() {
        assertThat(CrdGeneration.generate()).isEqualTo(CrdGeneration.generate());
    }

    private static boolean updateRequested() {
        return Boolean.parseBoolean(System.getenv("KUBEQPU_UPDATE_CRDS"))
                || Boolean.getBoolean("kubeqpu.updateCrds");
    }
}
