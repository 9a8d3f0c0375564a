package io.kubeqpu.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.controller.Manifests;
import io.kubeqpu.controller.OperatorHarness;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard's PromQL against a real Prometheus (Debian package {@code prometheus}) scraping the running
 * operator's /q/metrics: every query parses, every metric it names exists, every label it groups by is on the
 * series, and each panel shows data after a small workload. Skipped, saying so, without the prometheus binary.
 */
@QuarkusTest
@WithKubernetesTestServer
@io.quarkus.test.junit.TestProfile(DashboardQueriesTest.OwnApplication.class)
class DashboardQueriesTest {
    /**
     * A fresh application: the scrape must reflect only this test's work (another @QuarkusTest sharing the app leaves
     * its operator stopped and its state in the one core).
     */
    public static class OwnApplication implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kubeqpu.fair-share-half-life", "1h");
        }
    }

    static final Path DASHBOARD = Path.of("config/grafana/kubeqpu-dashboard.json");
    /** Panels that may rightly show nothing after a healthy run, with why. */
    static final Map<String, String> MAY_BE_EMPTY = Map.of(
            "kubeqpu_workload_ttl_expiries_total", "no session reached a TTL in this run",
            "kubeqpu_scheduler_rejected_events_total", "the scheduler refused no event in this run");

    @Inject
    Operator operator;

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    final HttpClient http = HttpClient.newHttpClient();

    static Optional<Path> binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, name))) return Optional.of(Path.of(dir, name));
        return Files.isExecutable(Path.of("/usr/bin", name)) ? Optional.of(Path.of("/usr/bin", name)) : Optional.empty();
    }

    @Test
    void everyDashboardQueryWorksOnARealScrape() throws Exception {
        Optional<Path> prometheus = binary("prometheus");
        Assumptions.assumeTrue(prometheus.isPresent(),
                "prometheus is not installed (apt-get install prometheus): skipping the dashboard queries against a real scrape");
        OperatorHarness.installCrds(client);
        operator.start();
        Path dir = Files.createTempDirectory("prometheus");
        Process p = null;
        try {
            runSomeWork();
            failOneReconcile();
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: kubeqpu
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ['%s:%d']
                    """.formatted(metrics.getHost(), metrics.getPort()));
            Optional<Path> promtool = binary("promtool");
            if (promtool.isPresent()) {
                Process check = new ProcessBuilder(promtool.get().toString(), "check", "config", config.toString())
                        .redirectErrorStream(true).start();
                assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes())).isZero();
            }
            p = new ProcessBuilder(prometheus.get().toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            String api = "http://127.0.0.1:" + port + "/api/v1/";
            // Two scrapes at least, so that rate() over the range has two points.
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                    query(api, "count_over_time(up{job=\"kubeqpu\"}[1m])").path("data").path("result").path(0).path("value").path(1).asInt() >= 3);
            Set<String> names = new TreeSet<>();
            for (JsonNode n : get(api + "label/__name__/values").path("data")) names.add(n.asText());

            JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
            List<String> problems = new ArrayList<>();
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode t : panel.path("targets")) {
                    String expr = t.path("expr").asText().replace("$backend", ".*").replace("$namespace", ".*")
                            .replace("$qinstance", ".*").replace("$__rate_interval", "1m");
                    String where = panel.path("title").asText() + ": " + expr;
                    JsonNode r = query(api, expr);
                    if (!"success".equals(r.path("status").asText())) {
                        problems.add(where + " -> " + r.path("error").asText());
                        continue;
                    }
                    for (String metric : metricsIn(expr)) {
                        String base = metric;
                        if (!names.contains(base)) {
                            if (MAY_BE_EMPTY.containsKey(base)) continue;
                            problems.add(where + " -> no series named " + base + " in the scrape");
                            continue;
                        }
                        for (String label : groupLabels(expr))
                            if (!label.equals("le") && query(api, "count(" + base + "{" + label + "!=\"\"})").path("data").path("result").isEmpty())
                                problems.add(where + " -> " + base + " has no label " + label);
                    }
                    boolean empty = r.path("data").path("result").isEmpty();
                    if (empty && metricsIn(expr).stream().noneMatch(MAY_BE_EMPTY::containsKey))
                        problems.add(where + " -> no data after the workload");
                }
            }
            // The filter variables: label_values(metric, label) must find values.
            for (JsonNode v : dashboard.path("templating").path("list")) {
                Matcher lv = Pattern.compile("label_values\\((\\w+), *(\\w+)\\)").matcher(v.path("query").asText());
                if (lv.matches() && get(api + "label/" + lv.group(2) + "/values?match[]=" + lv.group(1)).path("data").isEmpty())
                    problems.add("variable " + v.path("name").asText() + ": no values of " + lv.group(2) + " on " + lv.group(1));
            }
            assertThat(problems).as("dashboard queries against the scrape").isEmpty();
            // The tenant label is ours, not Prometheus' target label.
            assertThat(query(api, "count({__name__=~\"kubeqpu_.*\", exported_instance!=\"\"})").path("data").path("result")).isEmpty();
            assertThat(query(api, "count by (qinstance) (kubeqpu_instance_usage_seconds)").path("data").path("result").size())
                    .as("one series per tenant instance").isGreaterThanOrEqualTo(2);
        } finally {
            if (p != null) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            operator.stop();
        }
    }

    private void runSomeWork() {
        StringBuilder yaml = new StringBuilder();
        yaml.append(Manifests.backend("qpu", 1, 0.001)).append("\n---\n")
                .append(Manifests.instance("research", "premium", true)).append("\n---\n")
                .append(Manifests.instance("students", "payg", false)).append("\n---\n")
                .append(Manifests.session("vqe", "qpu", null, "1h", "1s")).append("\n---\n");
        for (int k = 0; k < 4; k++) yaml.append(Manifests.job("j" + k, "qpu", "")).append("\n---\n");
        for (int k = 0; k < 3; k++) yaml.append(Manifests.job("s" + k, "qpu", "instance: students")).append("\n---\n");
        yaml.append(Manifests.job("v0", null, "sessionRef:\n    name: vqe"));
        io.kubeqpu.controller.ManifestApplier.apply(client, yaml.toString(), "default");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(QuantumJob.class).inNamespace("default")
                .list().getItems().stream().allMatch(j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED));
        // Something queued and a lease held at scrape time: a slow backend with a session and a backlog. The session's
        // job first, running, then the backlog: applied together, q1 (26 s) started first now and then when the operator
        // saw it before the session (h1 waits for its session), and the lease came after the scrapes.
        io.kubeqpu.controller.ManifestApplier.apply(client, Manifests.backend("slow", 1, 1.0) + "\n---\n"
                + Manifests.session("hold", "slow", null, "1h", "60s") + "\n---\n"
                + Manifests.job("h1", null, "sessionRef:\n    name: hold").replace("shots: 100", "shots: 100000"), "default");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            QuantumJob h1 = client.resources(QuantumJob.class).inNamespace("default").withName("h1").get();
            return h1 != null && h1.getStatus() != null && h1.getStatus().getPhase() == JobPhase.RUNNING;
        });
        io.kubeqpu.controller.ManifestApplier.apply(client,
                Manifests.job("q1", "slow", "").replace("shots: 100", "shots: 100000") + "\n---\n"
                + Manifests.job("q2", "slow", "") + "\n---\n" + Manifests.job("q3", "slow", "instance: students"), "default");
    }

    /**
     * A reconcile that fails (a duration the mock API server does not validate, so SpecMapper throws): JOSDK registers
     * its failure counter on the first failure only, and the reconcile-errors panel must find it by name.
     */
    private void failOneReconcile() {
        io.kubeqpu.controller.ManifestApplier.apply(client, Manifests.backend("broken", 1, 0.001)
                .replace("interval: \"0s\"", "interval: \"soon\""), "default");
    }

    static final Pattern NAME = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*(?=\\{|\\[|\\)|$|\\s*(==|>|<))");
    static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "rate", "increase", "by", "without",
            "histogram_quantile", "le", "on", "ignoring", "bool", "and", "or", "unless", "offset");

    /** The metric names in a query (the _bucket/_count/_sum series of histograms included as written). */
    static Set<String> metricsIn(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([a-z_][a-z0-9_]*_[a-z0-9_]*)\\b(?!\\s*\\()").matcher(expr.replaceAll("\\{[^}]*\\}", "{}")
                .replaceAll("by \\([^)]*\\)", ""));
        while (m.find()) if (!PROMQL_WORDS.contains(m.group(1)) && !m.group(1).equals("histogram_quantile")) out.add(m.group(1));
        return out;
    }

    static Set<String> groupLabels(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("by \\(([^)]*)\\)").matcher(expr);
        while (m.find()) for (String l : m.group(1).split(",")) if (!l.isBlank()) out.add(l.trim());
        return out;
    }

    JsonNode query(String api, String expr) throws IOException, InterruptedException {
        return get(api + "query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }
}
