package io.kubeqpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void builds() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(17);
    }
}
