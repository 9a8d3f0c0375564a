package io.kubeqpu.simulator.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The simulator pod reads its options from KUBEQPU_DEVICE_OPTIONS as Main does; older JSON lacks the new settings. */
class DeviceOptionsJsonTest {
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Test
    void settingsRoundTripAndDefaultToZero() throws Exception {
        DeviceOptions old = json.readValue("{\"prepareLanes\":5,\"parallelism\":2,\"timeScale\":0.5,\"retainedJobs\":10}",
                DeviceOptions.class);
        assertThat(old).isEqualTo(new DeviceOptions(5, 2, 0.5, 10, 0, 0));
        DeviceOptions full = DeviceOptions.defaults().withThreads(3).withMemoryBudgetBytes(1L << 30);
        assertThat(json.readValue(json.writeValueAsString(full), DeviceOptions.class)).isEqualTo(full);
    }
}
