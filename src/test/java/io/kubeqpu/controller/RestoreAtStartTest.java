package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * The restore is a startup phase (DESIGN §2), not the first reconcile's work: an operator that starts on a cluster
 * with nothing to reconcile is restored, and ready, all the same (before, it said "not yet asked" until an object
 * came); one whose restore fails at start tries again by itself.
 */
@EnableKubernetesMockClient(crud = true)
class RestoreAtStartTest {
    KubernetesClient client;

    @Test
    void anOperatorOnAnEmptyClusterIsRestoredWithoutAReconcile() {
        try (OperatorHarness h = new OperatorHarness(client)) {
            await().atMost(Duration.ofSeconds(10)).until(h.core::restored);
            assertThat(h.reconciles).as("reconciles").isEmpty();
            assertThat(state(h)).isEqualTo("restored");
        }
    }

    @Test
    void aRestoreThatFailsAtStartIsTriedAgainWithoutAReconcile() {
        LedgerForbidden dispatcher = new LedgerForbidden();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient c = server.createClient(); OperatorHarness h = new OperatorHarness(c)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> h.core.restoreError() != null);
            assertThat(state(h)).as("readiness while the API server refuses").startsWith("restore failed");
            dispatcher.failing = false;
            await().atMost(Duration.ofSeconds(30)).until(h.core::restored);
            assertThat(h.reconciles).as("reconciles").isEmpty();
            assertThat(state(h)).isEqualTo("restored");
        } finally {
            server.destroy();
        }
    }

    private static String state(OperatorHarness h) {
        return String.valueOf(new RestoreReadiness(h.core).call().getData().orElseThrow().get("state"));
    }

    /**
     * The CRUD mock, answering 403 to the restore's first read, the ledger's ConfigMaps, while {@link #failing} (a
     * grant not there yet, say). No informer reads them, so the operator itself starts as usual.
     */
    static final class LedgerForbidden extends KubernetesCrudDispatcher {
        volatile boolean failing = true;

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (failing && request.method() == HttpMethod.GET && request.getPath().contains("/configmaps/" + Ledger.PREFIX))
                return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"reason\":\"Forbidden\",\"code\":403,\"message\":\"configmaps is forbidden\"}");
            return super.dispatch(request);
        }
    }
}
