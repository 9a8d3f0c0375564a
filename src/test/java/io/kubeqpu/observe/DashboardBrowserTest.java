package io.kubeqpu.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.controller.OperatorHarness;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person sees it, in a real headless chromium: an operator on the mock API server runs a
 * session, a batch and a job on a QPU that calibrates every 3 s, and the page must draw their bars.
 * Skipped where Debian's chromium and chromium-driver are not installed (.ci/run installs them).
 */
@EnableKubernetesMockClient(crud = true)
class DashboardBrowserTest {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOT = Path.of("target", "dashboard-screenshot.png");

    KubernetesClient client;
    OperatorHarness h;
    DashboardServer server;
    WebDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (h != null) h.close();
    }

    @Test
    void swimLanesShowASessionLeaseABatchAndACalibration() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "skipped: needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "); apt-get install chromium chromium-driver, as .ci/run does");

        h = new OperatorHarness(client);
        TimelineRecorder recorder = new TimelineRecorder(() -> h.core.scheduler(), Clock.systemUTC());
        h.core.observe(recorder);
        server = DashboardServer.start(InetAddress.getLoopbackAddress(), 0,
                new TimelineJson(recorder, () -> h.core.scheduler()), Clock.systemUTC(), null);

        h.apply(BACKEND);
        h.apply(INSTANCE);
        h.apply(SESSION);
        for (int k = 1; k <= 3; k++) h.apply(job("vqe-" + k, "sessionRef:\n    name: vqe"));
        h.apply(BATCH);
        h.apply(job("single", "backend: qpu"));
        // What never runs: a job naming the closed batch, and a session on an open-plan instance (rejected).
        h.apply(INSTANCE.replace("research", "students").replace("premium", "open").replace("default: true", "default: false"));
        h.apply(SESSION.replace("name: vqe", "name: cheap").replace("backend: qpu", "backend: qpu\n  instance: students"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<Bar> bars = recorder.bars("qpu");
            return has(bars, BarKind.SESSION_LEASE) && has(bars, BarKind.BATCH_LEASE) && has(bars, BarKind.CALIBRATION)
                    && has(bars, BarKind.SINGLE_JOB) && bars.stream().filter(b -> b.kind() == BarKind.BATCH_JOB).count() == 4;
        });

        driver = chromium();
        driver.get(server.url());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        // While refreshing, each render replaces the sections: an element found may be gone when its text is read.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        wait.until(d -> !d.findElements(By.cssSelector("svg[data-backend='qpu'] rect[data-kind='calibration']")).isEmpty());
        wait.until(d -> Integer.parseInt(d.findElement(By.tagName("body")).getDomAttribute("data-renders")) >= 2);
        // Pause the 1 s refresh, as a person reading tooltips would: each refresh redraws the lanes.
        driver.findElement(By.id("pause")).click();
        Thread.sleep(1_200); // a refresh already in flight lands within this

        // The screenshot first, so that a failing assertion below still leaves the picture to look at.
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);

        WebElement lane = driver.findElement(By.cssSelector("section[data-backend='qpu']"));
        assertThat(lane.findElement(By.tagName("h2")).getText()).startsWith("qpu").contains("parallelism 1");
        WebElement sessionLease = lane.findElement(By.cssSelector("rect.bar.session-lease"));
        assertThat(sessionLease.getDomAttribute("data-label")).isEqualTo("vqe");
        assertThat(sessionLease.findElement(By.tagName("title")).getAttribute("textContent"))
                .contains("session lease: vqe").contains("instance default/research");
        assertThat(lane.findElement(By.cssSelector("rect.bar.batch-lease")).getDomAttribute("data-label")).isEqualTo("sweep");
        assertThat(lane.findElements(By.cssSelector("rect.bar.batch-job"))).hasSize(4);
        assertThat(lane.findElements(By.cssSelector("rect.bar.session-job"))).hasSize(3);
        assertThat(lane.findElements(By.cssSelector("rect.bar.single-job"))).hasSize(1);
        assertThat(lane.findElements(By.cssSelector("rect.bar.calibration"))).isNotEmpty();
        // What the eye reads: bar labels drawn inside the bars, and bars with a real size on screen.
        List<String> labels = lane.findElements(By.cssSelector("text.bar-label")).stream().map(WebElement::getText).toList();
        // Labels shorten to fit their bar (widths depend on how long the run took on a loaded machine).
        assertThat(labels).as("session lease label").containsAnyOf("vqe (exclusive)", "vqe");
        assertThat(labels).as("batch lease label").containsAnyOf("sweep (shared)", "sweep");
        assertThat(labels).as("calibration label").containsAnyOf("calibration", "cal");
        assertThat(sessionLease.getRect().getWidth()).isGreaterThan(20);
        assertThat(sessionLease.isDisplayed()).isTrue();
        assertThat(lane.getText()).contains("queue");

        // Absolute times on the axis and in tooltips; the failed/cancelled style in the legend.
        assertThat(lane.findElements(By.cssSelector("text.axis")).get(0).getText()).containsPattern("^\\d\\d:\\d\\d:\\d\\d \\(-");
        assertThat(sessionLease.findElement(By.tagName("title")).getAttribute("textContent")).containsPattern("\\d\\d:\\d\\d:\\d\\d – ");
        assertThat(driver.findElement(By.className("legend")).getText()).contains("failed / cancelled");

        // A job that failed before running and a rejected session are listed, though they have no bar.
        h.apply(job("late", "batchRef:\n    name: sweep"));
        driver.findElement(By.id("pause")).click(); // refresh again
        String unrun = wait.until(d -> {
            String text = d.findElement(By.cssSelector("section.unrun")).getText();
            return text.contains("late") ? text : null;
        });
        assertThat(unrun).contains("late", "WorkloadClosed", "cheap", "PlanNotAllowed");
        driver.findElement(By.id("pause")).click();
        Thread.sleep(1_200);

        // Filter by instance: the students instance ran nothing on qpu, so its lane shows no job and no lease.
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("inst"))).selectByValue("default/students");
        WebElement filtered = driver.findElement(By.cssSelector("section[data-backend='qpu']"));
        assertThat(filtered.findElements(By.cssSelector("rect.bar.batch-job"))).isEmpty();
        assertThat(filtered.findElements(By.cssSelector("rect.bar.session-lease"))).isEmpty();
        assertThat(filtered.findElements(By.cssSelector("rect.bar.calibration"))).as("calibrations belong to no tenant").isNotEmpty();
        assertThat(driver.findElement(By.cssSelector("section.unrun")).getText()).contains("cheap").doesNotContain("late");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("ns"))).selectByValue("default");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("inst"))).selectByValue("");
        assertThat(driver.findElement(By.cssSelector("section[data-backend='qpu']")).findElements(By.cssSelector("rect.bar.batch-job"))).hasSize(4);

    }

    private static boolean has(List<Bar> bars, BarKind kind) {
        return bars.stream().anyMatch(b -> b.kind() == kind && b.end() != null);
    }

    private WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        Path profile = Files.createTempDirectory("kubeqpu-chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    // ------------------------------------------------------------------ the scenario's manifests

    /** Jobs of ~0.2 s (time scale 0.2 of ~1 s modelled); the time scale shrinks the calibration's 1.5 s every 3 s too. */
    static final String BACKEND = """
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumBackend
            metadata:
              name: qpu
            spec:
              numQubits: 2
              parallelism: 1
              timing:
                timeScale: 0.2
              calibration:
                interval: "3s"
                duration: "1500ms"
            """;

    static final String INSTANCE = """
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumInstance
            metadata:
              name: research
            spec:
              plan: premium
              default: true
            """;

    static final String SESSION = """
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumSession
            metadata:
              name: vqe
            spec:
              backend: qpu
              maxTTL: "1h"
              interactiveTTL: "3s"
            """;

    static final String CIRCUIT = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0],q[1];
            measure q -> c;
            """;

    static final String BATCH = """
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumBatch
            metadata:
              name: sweep
            spec:
              backend: qpu
              acceptingJobs: false
              jobs:
            %s""".formatted(batchJobs());

    static String batchJobs() {
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k <= 4; k++)
            sb.append("""
                      - name: p%d
                        spec:
                          primitive: sampler
                          shots: 100
                          pubs:
                            - circuit: |
                    %s
                    """.formatted(k, indent(CIRCUIT, 16)));
        return sb.toString();
    }

    static String job(String name, String extra) {
        return """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata:
                  name: %s
                spec:
                  %s
                  primitive: sampler
                  shots: 100
                  pubs:
                    - circuit: |
                %s
                """.formatted(name, extra, indent(CIRCUIT, 10));
    }

    static String indent(String text, int n) {
        String pad = " ".repeat(n);
        return pad + text.strip().replace("\n", "\n" + pad);
    }
}
