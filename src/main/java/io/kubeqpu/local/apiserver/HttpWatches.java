package io.kubeqpu.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;

/**
 * Watches over plain HTTP, as kubectl and client-go make them ({@code ?watch=true}, a chunked response of
 * {@code {"type":"ADDED","object":...}} lines); Fabric8's mock serves watches over WebSocket only, which the Fabric8
 * client (and so the operator) uses and kubectl does not. A watch without resourceVersion (or "0") starts with ADDED
 * events for what exists, as kube-apiserver does; with one, it sends only later changes, with no replay of the
 * history in between (the store keeps none).
 */
final class HttpWatches {
    /** One open watch and what it selects. */
    private record Watch(RequestTarget target, LabelSelector labels, String name,
            Function<JsonNode, JsonNode> render, WatchSink sink) {
        boolean selects(RequestTarget write, JsonNode object) {
            if (object == null || !target.plural().equals(write.plural()) || !target.group().equals(write.group())) {
                return false;
            }
            JsonNode meta = object.path("metadata");
            if (target.namespace() != null && !target.namespace().equals(meta.path("namespace").asText())) {
                return false;
            }
            return (name == null || name.equals(meta.path("name").asText())) && labels.matches(meta.path("labels"));
        }
    }

    private final Set<Watch> watches = new CopyOnWriteArraySet<>();
    private final ObjectMapper mapper;

    HttpWatches(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Opens a watch; {@code existing} are the objects to announce as ADDED first (empty when resuming from a
     * resourceVersion); {@code render} turns an object into what the client asked for (the object or a Table).
     */
    void open(RequestTarget target, Iterable<JsonNode> existing, Function<JsonNode, JsonNode> render, WatchSink sink,
              JsonNode deletedSinceResume) {
        String name = target.watchedName();
        Watch watch = new Watch(target, new LabelSelector(target.query().get("labelSelector")), name, render, sink);
        watches.add(watch);
        sink.onClose(() -> watches.remove(watch));
        for (JsonNode object : existing) {
            if (watch.selects(target, object)) {
                send(watch, "ADDED", object);
            }
        }
        if (deletedSinceResume != null) send(watch, "DELETED", deletedSinceResume);
    }

    /** Called for every change in the store: {@code before}/{@code after} are null for a create/delete. */
    void publish(RequestTarget write, String before, String after) {
        if (watches.isEmpty() || write.plural() == null) {
            return;
        }
        JsonNode old = before == null ? null : read(before);
        JsonNode now = after == null ? null : read(after);
        for (Watch w : watches) {
            boolean hadIt = w.selects(write, old);
            boolean hasIt = w.selects(write, now);
            if (hadIt && hasIt) {
                send(w, "MODIFIED", now);
            } else if (hadIt) {
                send(w, "DELETED", old);
            } else if (hasIt) {
                send(w, "ADDED", now);
            }
        }
    }

    void closeAll() {
        watches.forEach(w -> w.sink().close());
        watches.clear();
    }

    private void send(Watch w, String type, JsonNode object) {
        ObjectNode event = mapper.createObjectNode();
        event.put("type", type);
        event.set("object", w.render().apply(object));
        w.sink().send(event + "\n");
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            return null;
        }
    }

    /** Equality-based label selectors ({@code a=b}, {@code a!=b}, {@code a}, {@code !a}); set-based ones match all. */
    static final class LabelSelector {
        private final String selector;

        LabelSelector(String selector) {
            this.selector = selector == null ? "" : selector;
        }

        boolean matches(JsonNode labels) {
            for (String term : selector.split(",")) {
                String t = term.trim();
                if (t.isEmpty() || t.contains(" in ") || t.contains(" notin ")) {
                    continue;
                }
                if (t.contains("!=")) {
                    String[] kv = t.split("!=", 2);
                    if (kv[1].equals(labels.path(kv[0]).asText(null))) return false;
                } else if (t.contains("=")) {
                    String[] kv = t.split("==?", 2);
                    if (!kv[1].equals(labels.path(kv[0]).asText(null))) return false;
                } else if (t.startsWith("!")) {
                    if (labels.has(t.substring(1))) return false;
                } else if (!labels.has(t)) {
                    return false;
                }
            }
            return true;
        }
    }

    static Iterable<JsonNode> items(JsonNode list) {
        if (list == null || !list.has("items")) {
            return java.util.List.of();
        }
        Iterator<JsonNode> it = list.get("items").elements();
        return () -> it;
    }

    static boolean fromNow(Map<String, String> query) {
        String rv = query.get("resourceVersion");
        return rv != null && !rv.isEmpty() && !rv.equals("0");
    }
}
