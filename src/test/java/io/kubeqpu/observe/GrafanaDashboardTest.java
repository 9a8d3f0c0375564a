package io.kubeqpu.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard only queries metrics that exist and are documented. */
class GrafanaDashboardTest {
    static final Pattern METRIC = Pattern.compile("\\bkubeqpu_[a-z_]+");

    @Test
    void everyQueriedMetricIsDocumented() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("config/grafana/kubeqpu-dashboard.json").toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
            for (JsonNode t : panel.get("targets")) {
                Matcher m = METRIC.matcher(t.get("expr").asText());
                while (m.find()) queried.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        String docs = Files.readString(Path.of("docs/observability.md"));
        assertThat(queried).hasSizeGreaterThan(8).allSatisfy(name -> assertThat(docs).contains("`" + name + "`"));
    }
}
