package io.kubeqpu.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.controller.Manifests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes with the chart's leader election on a real coordination.k8s.io Lease: one holds it and
 * runs the jobs; after {@code kill -9} of the holder the other takes the Lease over and runs the next jobs.
 */
@RealCluster
class LeaderElectionIT {
    static OperatorEnv env;

    @BeforeAll
    static void install() throws Exception {
        env = new OperatorEnv("kq-le", List.of("rc-le"));
    }

    @AfterAll
    static void uninstall() {
        OperatorEnv.closeCheckingRbac(env);
    }

    Lease lease() {
        String name = env.install.env("x").getOrDefault("KUBEQPU_LEADER_ELECTION_LEASE_NAME", "kubeqpu-operator-lease");
        return env.cp.admin.leases().inNamespace(env.namespace).withName(name).get();
    }

    String holder() {
        Lease l = lease();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    @Test
    void whenTheLeaderIsKilledTheOtherReplicaTakesOver() throws Exception {
        OperatorProcess a = env.startOperator("kq-le-operator-a");
        OperatorProcess b = env.startOperator("kq-le-operator-b");
        await().atMost(Duration.ofSeconds(90)).until(() -> holder() != null);
        String first = holder();
        assertThat(first).isIn(a.name, b.name);
        OperatorProcess leader = first.equals(a.name) ? a : b;
        OperatorProcess standby = leader == a ? b : a;

        env.apply(Manifests.backend("rc-le", 1, 0.001));
        env.apply(Manifests.instance("research", "premium", true));
        env.apply(Manifests.job("before", "rc-le", ""));
        env.awaitJob("before", j -> j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(90));
        assertThat(holder()).isEqualTo(leader.name);

        long killedAt = System.nanoTime();
        leader.kill();
        env.apply(Manifests.job("after", "rc-le", ""));
        await().atMost(Duration.ofSeconds(90)).until(() -> standby.name.equals(holder()));
        env.awaitJob("after", j -> j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(90));
        System.out.printf("leader election: %s killed, %s took the Lease over and completed the next job %.1f s later%n",
                leader.name, standby.name, (System.nanoTime() - killedAt) / 1e9);
        assertThat(standby.alive()).isTrue();
        assertThat(env.job("before").getStatus().getPhase()).isEqualTo(JobPhase.COMPLETED);
    }
}
