package io.kubeqpu.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health scripts of config/health under Lua 5.1, one case per object state (health_test.yaml and
 * testdata/ next to each script, as Argo CD tests its built-in checks). Skipped, saying so, without lua5.1
 * (Debian package {@code lua5.1}; or set $LUA).
 */
class HealthScriptsTest {

    static Stream<HealthTestdata.Case> cases() throws Exception {
        return HealthTestdata.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachStateHasItsHealth(HealthTestdata.Case c) throws Exception {
        Path lua = ArgoHealth.lua().orElse(null);
        Assumptions.assumeTrue(lua != null, "lua5.1 is not installed (apt-get install lua5.1, or set $LUA): skipping the Argo CD health scripts");
        ArgoHealth.Health h = ArgoHealth.ofYaml(lua, c.kind(), ArgoHealth.DIR.resolve(c.kind()).resolve(c.inputPath()));
        assertThat(h.status()).as("%s %s: %s", c.kind(), c.inputPath(), h.message()).isEqualTo(c.status());
        assertThat(h.message()).isEqualTo(c.message());
    }

    @Test
    void everyKindHasAScriptAndItsStates() throws Exception {
        List<HealthTestdata.Case> all = HealthTestdata.all();
        for (String kind : List.of("QuantumJob", "QuantumBatch", "QuantumSession", "QuantumBackend", "QuantumInstance")) {
            assertThat(ArgoHealth.script(kind)).exists();
            // Healthy and Degraded (or Progressing for backends) at least: a script that answers one thing is untested.
            assertThat(all.stream().filter(c -> c.kind().equals(kind)).map(HealthTestdata.Case::status).distinct().count())
                    .as(kind + " states").isGreaterThanOrEqualTo(2);
            for (HealthTestdata.Case c : all) assertThat(ArgoHealth.DIR.resolve(c.kind()).resolve(c.inputPath())).exists();
        }
    }

    @Test
    void gitopsDocInstallsTheseScripts() throws Exception {
        // docs/gitops.md embeds the scripts for argocd-cm: the embedded copies must be the files (kept in sync by hand).
        String doc = Files.readString(Path.of("docs/gitops.md"));
        for (String kind : List.of("QuantumJob", "QuantumBatch", "QuantumSession", "QuantumBackend", "QuantumInstance")) {
            String script = Files.readString(ArgoHealth.script(kind));
            String indented = script.lines().map(l -> l.isEmpty() ? "" : "    " + l).reduce((a, b) -> a + "\n" + b).orElseThrow();
            assertThat(doc).as("docs/gitops.md embeds config/health/.../" + kind + "/health.lua").contains(indented);
        }
    }
}
