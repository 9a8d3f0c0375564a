package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.simulator.http.SimulatorHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One backend's QPU hangs (a simulator pod that accepts connections and never answers): the other backends' jobs
 * still start and complete, and a stop at max execution time still reaches their QPU on time.
 */
@EnableKubernetesMockClient(crud = true)
class HungQpuTest {
    KubernetesClient client;
    final SilentServer silent = SilentServer.start();

    @AfterEach
    void stopServer() {
        silent.close();
    }

    @Test
    void aHungQpuDelaysNoOtherBackend() {
        AtomicBoolean wedged = new AtomicBoolean(false);
        List<HangingDevice> devices = new CopyOnWriteArrayList<>();
        QpuFleet fleet = new QpuFleet((profile, options) -> {
            if (profile.name().equals("hung")) // longer than the test: the QPU never answers while it runs
                return new SimulatorHttpClient(URI.create("http://127.0.0.1:" + silent.port()), Duration.ofMinutes(5));
            HangingDevice d = new HangingDevice(profile, options, wedged);
            devices.add(d);
            return d;
        });
        try (OperatorHarness h = new OperatorHarness(client, fleet)) {
            h.apply(Yaml.backend("hung", 1, 0.001));
            h.apply(Yaml.backend("fast", 1, 0.001));
            h.apply(Yaml.instance("research", "premium", true));
            h.apply(Yaml.job("stuck", "backend: hung\n", 100));
            await().atMost(Duration.ofSeconds(20)).until(() -> silent.requests().stream().anyMatch(r -> r.startsWith("POST /v1/jobs/")));

            long t0 = System.nanoTime();
            h.apply(Yaml.job("quick", "backend: fast\n", 100));
            h.awaitJob("quick", j -> phase(JobPhase.COMPLETED).test(j) && j.getStatus().getResultRef() != null, Duration.ofSeconds(15));
            assertThat(seconds(t0)).as("a job on another backend completes while the hung QPU holds its call").isLessThan(15);

            // The fast QPU now swallows its reports: only the stop at maxExecutionTime ends the next job.
            wedged.set(true);
            long t1 = System.nanoTime();
            h.apply(Yaml.job("long", "backend: fast\nmaxExecutionTime: \"2s\"\n", 100));
            QuantumJob long_ = h.awaitJob("long", phase(JobPhase.CANCELLED), Duration.ofSeconds(15));
            assertThat(long_.getStatus().getReason()).isEqualTo("MaxExecutionTimeExceeded");
            await().atMost(Duration.ofSeconds(15)).until(() -> devices.get(0).cancelled.stream().anyMatch(id -> id.startsWith("default_long_")));
            assertThat(seconds(t1)).as("the stop reached the fast QPU after the job's 2 s, not long after").isBetween(2.0, 10.0);

            assertThat(h.job("stuck").getStatus().getPhase()).as("still waiting for its QPU").isIn(JobPhase.QUEUED, null);
        }
    }

    /**
     * A restart asks every unfinished job's QPU about it. A hung QPU used to be asked once per job, each time until
     * its HTTP timeout (here 5 min), under the lock every reconcile waits for: the restarted operator ran nothing.
     */
    @Test
    void aRestartDoesNotWaitForAHungQpu() {
        java.util.function.Supplier<QpuFleet> fleets = () -> new QpuFleet((profile, options) -> profile.name().equals("hung")
                ? new SimulatorHttpClient(URI.create("http://127.0.0.1:" + silent.port()), Duration.ofMinutes(5))
                : new io.kubeqpu.simulator.device.InProcessQpuDevice(profile, options));
        try (OperatorHarness h = OperatorHarness.withFreshFleets(client, fleets)) {
            h.apply(Yaml.backend("hung", 1, 0.001));
            h.apply(Yaml.backend("fast", 1, 0.001));
            h.apply(Yaml.instance("research", "premium", true));
            for (int k = 1; k <= 3; k++) h.apply(Yaml.job("stuck-" + k, "backend: hung\n", 100));
            await().atMost(Duration.ofSeconds(20)).until(() -> silent.requests().stream().anyMatch(r -> r.startsWith("POST /v1/jobs/")));
            h.awaitJob("stuck-3", phase(JobPhase.QUEUED), Duration.ofSeconds(20));

            h.restart();
            long t0 = System.nanoTime();
            h.apply(Yaml.job("after", "backend: fast\n", 100));
            h.awaitJob("after", j -> phase(JobPhase.COMPLETED).test(j) && j.getStatus().getResultRef() != null, Duration.ofSeconds(30));
            assertThat(seconds(t0)).as("a job on another backend after the restart").isLessThan(20);
            assertThat(h.job("stuck-1").getStatus().getPhase()).as("still waiting for its QPU").isEqualTo(JobPhase.QUEUED);
        }
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static Predicate<QuantumJob> phase(JobPhase p) {
        return j -> j.getStatus() != null && j.getStatus().getPhase() == p;
    }

    /** Accepts HTTP connections on loopback, records each request line, and never answers. */
    static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();

        private SilentServer(ServerSocket socket) {
            this.socket = socket;
            Thread t = new Thread(this::acceptLoop, "silent-qpu");
            t.setDaemon(true);
            t.start();
        }

        static SilentServer start() {
            try {
                return new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        List<String> requests() {
            return requests;
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    open.add(s);
                    Thread r = new Thread(() -> {
                        try {
                            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                            if (line != null) requests.add(line);
                        } catch (IOException ignored) {
                            // closed
                        }
                    }, "silent-qpu-conn");
                    r.setDaemon(true);
                    r.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }
}
