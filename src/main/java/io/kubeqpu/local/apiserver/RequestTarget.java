package io.kubeqpu.local.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource request path taken apart: {@code /apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>[/<sub>]]}
 * or {@code /api/v1/...} for the core group ({@code group} is then ""). Anything else (discovery, openapi, version)
 * has a null {@code plural}.
 */
record RequestTarget(String path, Map<String, String> query, String group, String version, String namespace,
        String plural, String name, String subresource) {

    static RequestTarget parse(String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        Map<String, String> query = q < 0 ? Map.of() : parseQuery(uri.substring(q + 1));
        List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
        String group;
        int rest;
        if (s.size() >= 2 && s.get(0).equals("api")) {
            group = "";
            rest = 2;
        } else if (s.size() >= 3 && s.get(0).equals("apis")) {
            group = s.get(1);
            rest = 3;
        } else {
            return new RequestTarget(path, query, null, null, null, null, null, null);
        }
        String version = s.get(rest - 1);
        List<String> r = s.subList(rest, s.size());
        String namespace = null;
        // /namespaces/<ns>/<plural>... is namespaced; /namespaces and /namespaces/<ns>[/status] is the Namespace itself.
        if (r.size() >= 3 && r.get(0).equals("namespaces")) {
            namespace = r.get(1);
            r = r.subList(2, r.size());
        }
        return new RequestTarget(path, query, group, version, namespace, r.isEmpty() ? null : r.get(0),
                r.size() > 1 ? r.get(1) : null, r.size() > 2 ? r.get(2) : null);
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    boolean isResource() {
        return plural != null;
    }

    boolean isStatus() {
        return "status".equals(subresource);
    }

    boolean isWatch() {
        return "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
    }

    /** The path of the collection the target is in (or is): up to and including the plural. */
    String collectionPath() {
        return path.substring(0, path.indexOf(plural) + plural.length());
    }

    /** The one object a request is about: its name in the path, else a {@code metadata.name=} field selector; or null. */
    String watchedName() {
        String selected = name;
        String fieldSelector = query.get("fieldSelector");
        if (fieldSelector != null)
            for (String term : fieldSelector.split(","))
                if (term.startsWith("metadata.name=")) selected = term.substring("metadata.name=".length());
        return selected;
    }

    /** The path without query: what the CRUD store keys objects by. */
    String objectPath() {
        return subresource == null ? path : path.substring(0, path.length() - subresource.length() - 1);
    }
}
