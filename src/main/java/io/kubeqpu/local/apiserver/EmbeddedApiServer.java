package io.kubeqpu.local.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import java.util.HashMap;

/** Builds the embedded API server: the Fabric8 mock server with {@link ApiServerDispatcher} and {@link EmbeddedHttpServer}. */
public final class EmbeddedApiServer {
    private EmbeddedApiServer() {
    }

    /** A server not yet started: call {@code init(address, port)}. */
    public static KubernetesMockServer create() {
        return new KubernetesMockServer(new Context(), new EmbeddedHttpServer(), new HashMap<>(), new ApiServerDispatcher(),
                false);
    }
}
