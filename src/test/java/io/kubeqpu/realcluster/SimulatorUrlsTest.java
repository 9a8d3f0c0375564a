package io.kubeqpu.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeqpu.dispatch.SimulatorPods;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code kubeqpu.simulator-urls}: the seam that lets an operator outside the cluster reach the QPUs. */
class SimulatorUrlsTest {

    @Test
    void aNamedBackendIsReachedAtItsUrlAndTheOthersAtTheirService() {
        var urls = SimulatorPods.parseUrls(" sim-eagle=http://127.0.0.1:18080, other=http://localhost:9 ");
        assertThat(urls).containsExactly(Map.entry("sim-eagle", URI.create("http://127.0.0.1:18080")),
                Map.entry("other", URI.create("http://localhost:9")));
        var pods = new SimulatorPods(null, "kubeqpu-system", "kubeqpu:dev", urls);
        assertThat(pods.url("sim-eagle")).isEqualTo(URI.create("http://127.0.0.1:18080"));
        assertThat(pods.url("falcon")).isEqualTo(URI.create("http://kubeqpu-sim-falcon.kubeqpu-system.svc:8080"));
        assertThat(SimulatorPods.parseUrls("")).isEmpty();
        assertThat(SimulatorPods.parseUrls(null)).isEmpty();
    }

    @Test
    void aMalformedEntryIsRefusedSayingWhichOne() {
        assertThatThrownBy(() -> SimulatorPods.parseUrls("sim-eagle=http://127.0.0.1:1,oops"))
                .hasMessageContaining("kubeqpu.simulator-urls").hasMessageContaining("\"oops\"");
        assertThatThrownBy(() -> SimulatorPods.parseUrls("sim-eagle=127.0.0.1:1")).hasMessageContaining("backend=http://host:port");
    }
}
