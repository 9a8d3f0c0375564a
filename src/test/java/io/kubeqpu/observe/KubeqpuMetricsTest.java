package io.kubeqpu.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeqpu.scheduler.JobSpec;
import io.kubeqpu.scheduler.SchedulerHarness;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scrape a Prometheus server would see after the three-mode scenario on a virtual clock. */
class KubeqpuMetricsTest {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void countersAndHistogramsFollowTheScenario() {
        SchedulerHarness h = Scenario.harness();
        KubeqpuMetrics m = new KubeqpuMetrics(registry, () -> h.scheduler, h.clock);
        h.listener = (t, ds) -> m.accept(ds);
        Scenario.run(h);
        m.invalidate();
        String text = registry.scrape();

        assertThat(value(text, "kubeqpu_job_run_seconds_count{mode=\"job\"}")).isEqualTo(1);
        assertThat(value(text, "kubeqpu_job_run_seconds_count{mode=\"batch\"}")).isEqualTo(3);
        assertThat(value(text, "kubeqpu_job_run_seconds_count{mode=\"session\"}")).isEqualTo(2);
        assertThat(value(text, "kubeqpu_job_run_seconds_sum{mode=\"batch\"}")).isEqualTo(30.0);
        assertThat(value(text, "kubeqpu_job_wait_seconds_count{mode=\"session\"}")).isEqualTo(2);
        assertThat(text).contains("kubeqpu_job_wait_seconds_bucket{mode=\"job\",le=");
        assertThat(value(text, "kubeqpu_jobs_finished_total{mode=\"batch\",phase=\"COMPLETED\"}")).isEqualTo(3);
        assertThat(value(text, "kubeqpu_workload_ttl_expiries_total{kind=\"session\",ttl=\"interactive\"}")).isEqualTo(1);
        assertThat(value(text, "kubeqpu_workload_deactivations_total{kind=\"session\"}")).isEqualTo(1);
        assertThat(value(text, "kubeqpu_workloads{kind=\"session\",phase=\"INACTIVE\"}")).isEqualTo(1);
        assertThat(value(text, "kubeqpu_calibrations_total{backend=\"qpu\"}")).isGreaterThanOrEqualTo(2);
        assertThat(value(text, "kubeqpu_instance_quantum_seconds_total{qinstance=\"lab\"}")).isPositive();
        assertThat(value(text, "kubeqpu_instance_usage_seconds{qinstance=\"lab\"}")).isPositive();
        // 6 jobs of 10 s plus calibrations of 5 s, all within the 3 simulated minutes.
        double busy = value(text, "kubeqpu_backend_busy_seconds_total{backend=\"qpu\"}");
        assertThat(busy).isGreaterThanOrEqualTo(60 + 10).isLessThan(180);
        assertThat(value(text, "kubeqpu_backend_busy_ratio{backend=\"qpu\"}")).isBetween(0.0, 1.0);
        assertThat(value(text, "kubeqpu_queue_length{backend=\"qpu\"}")).isZero();
    }

    @Test
    void queueGaugesAndLeaseHolderDescribeTheBackendNow() {
        SchedulerHarness h = Scenario.harness();
        KubeqpuMetrics m = new KubeqpuMetrics(registry, () -> h.scheduler, h.clock);
        h.listener = (t, ds) -> m.accept(ds);
        h.workload(io.kubeqpu.scheduler.WorkloadSpec.session("session:default/vqe", "lab", "qpu"));
        h.submit(JobSpec.inWorkload("default/vqe-1", "session:default/vqe"));
        for (int k = 1; k <= 3; k++) h.submit(JobSpec.of("default/j" + k, "lab", "qpu"));
        h.runFor(Duration.ofSeconds(5)); // vqe-1 runs (10 s), the session holds the QPU: j1..j3 wait
        m.invalidate();
        String text = registry.scrape();

        assertThat(value(text, "kubeqpu_queue_length{backend=\"qpu\"}")).isEqualTo(3);
        assertThat(value(text, "kubeqpu_queue_oldest_wait_seconds{backend=\"qpu\"}")).isEqualTo(5.0);
        assertThat(value(text, "kubeqpu_instance_queue_length{qinstance=\"lab\"}")).isEqualTo(3);
        assertThat(value(text, "kubeqpu_backend_running_jobs{backend=\"qpu\"}")).isEqualTo(1);
        assertThat(value(text, "kubeqpu_backend_busy_ratio{backend=\"qpu\"}")).isEqualTo(1.0);
        assertThat(value(text, "kubeqpu_backend_lease_info{backend=\"qpu\",mode=\"exclusive\",workload=\"session:default/vqe\"}"))
                .isEqualTo(1);
    }

    /** The sample's value; fails when the series is absent. */
    static double value(String scrape, String series) {
        // The simpleclient text format ends label sets with ",}": compare without it.
        Matcher mt = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(scrape.replace(",}", "}"));
        assertThat(mt.find()).as("series %s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(mt.group(1));
    }
}
