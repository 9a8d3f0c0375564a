package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a mock API server was asked, for tests that count an operator's requests. */
final class RecordedRequests {
    private RecordedRequests() {
    }

    /** The requests recorded since the last call, as "METHOD path". */
    static List<String> drain(KubernetesMockServer server) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null; ) out.add(r.getMethod() + " " + r.getPath());
        return out;
    }

    /** How many of them LISTed the collection whose path ends so (not watches). */
    static long lists(List<String> requests, String collection) {
        return requests.stream().filter(r -> r.startsWith("GET ") && !r.contains("watch=true"))
                .map(r -> r.indexOf('?') < 0 ? r : r.substring(0, r.indexOf('?'))).filter(r -> r.endsWith(collection)).count();
    }
}
