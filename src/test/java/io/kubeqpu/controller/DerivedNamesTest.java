package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeqpu.api.v1alpha1.Names;
import io.kubeqpu.dispatch.SimulatorPods;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DerivedNamesTest {
    private static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
    private static final String DNS_1035 = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    @Test
    void everyDerivedNameIsValidAndDistinctForEveryValidSourceLength() {
        Set<String> results = new HashSet<>(), parts = new HashSet<>(), batchJobs = new HashSet<>();
        for (int len = 1; len <= 253; len++) {
            // Worst cases: a '-' or '.' right where a cut falls.
            String name = ("a" + "-b.c".repeat(100)).substring(0, len - 1) + "z";
            String head = ResultStore.configMapName(name);
            assertThat(head).matches(Names.DNS_SUBDOMAIN).hasSizeLessThanOrEqualTo(244);
            assertThat(ResultStore.partName(head, 999)).matches(Names.DNS_SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
            assertThat(DerivedNames.labelValue(name)).matches(LABEL_VALUE).hasSizeLessThanOrEqualTo(63);
            String job = DerivedNames.name(name, "-" + "t".repeat(63));
            assertThat(job).matches(Names.DNS_SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
            assertThat(DerivedNames.name(name, "." + "0123abcd")).matches(Names.DNS_SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
            assertThat(SimulatorPods.name(name)).matches(DNS_1035).hasSizeLessThanOrEqualTo(63);
            results.add(head);
            parts.add(DerivedNames.labelValue(name));
            batchJobs.add(job);
        }
        assertThat(results).hasSize(253);
        assertThat(parts).hasSize(253);
        assertThat(batchJobs).hasSize(253);
    }

    @Test
    void shortNamesAreKeptAsWritten() {
        assertThat(ResultStore.configMapName("bell")).isEqualTo("bell-result");
        assertThat(DerivedNames.name("sweep", "-j0")).isEqualTo("sweep-j0");
        assertThat(DerivedNames.labelValue("sweep")).isEqualTo("sweep");
        assertThat(SimulatorPods.name("eagle")).isEqualTo("kubeqpu-sim-eagle");
    }
}
