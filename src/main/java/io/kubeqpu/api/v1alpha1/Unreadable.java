package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Poison objects: a custom resource whose JSON the Java model cannot hold (a seed of 2^70 written under an older,
 * unbounded schema, a hand-edited CRD, a wrong type). Fabric8's informer stops on the first event it cannot
 * deserialize (and JOSDK then stops the operator), so one tenant's object would stop every tenant's work. Each kind
 * is read through {@link Deserializer}: a field that does not fit is left out of the typed object and recorded here
 * under the object's uid and resourceVersion; the reconcilers ask {@link #of} first and report the object (Failed or
 * Rejected with reason InvalidSpec, or a Warning Event) instead of acting on it.
 */
public final class Unreadable {
    private static final Logger LOG = Logger.getLogger(Unreadable.class);
    private static final int CAPACITY = 4096;
    /** uid@resourceVersion → what could not be read; bounded (the oldest go first). */
    private static final Map<String, String> PROBLEMS = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    });
    private static final AtomicLong SEEN = new AtomicLong();

    private Unreadable() {
    }

    /** What the operator could not read in this version of the object (e.g. "spec.seed: 2^70 … out of range"), or null. */
    public static String of(HasMetadata o) {
        return o == null || o.getMetadata() == null ? null : PROBLEMS.get(key(o.getMetadata().getUid(), o.getMetadata().getResourceVersion()));
    }

    /** How many object versions could not be read fully since the process started (the metric). */
    public static long count() {
        return SEEN.get();
    }

    private static String key(String uid, String resourceVersion) {
        return uid + "@" + resourceVersion;
    }

    private static void record(ObjectNode root, List<String> problems) {
        JsonNode meta = root.path("metadata");
        String k = key(meta.path("uid").asText(null), meta.path("resourceVersion").asText(null));
        String text = String.join("; ", problems);
        if (PROBLEMS.put(k, text) == null) {
            SEEN.incrementAndGet();
            String ns = meta.path("namespace").asText("");
            LOG.warnf("%s %s%s cannot be read by the operator and is skipped: %s", root.path("kind").asText("?"),
                    ns.isEmpty() ? "" : ns + "/", meta.path("name").asText("?"), text);
        }
    }

    /**
     * Reads the kind's JSON as a tree, then into the typed object with the bean deserializer Jackson would have used;
     * a field the model cannot hold is removed from the tree (and recorded) and the read tried again.
     */
    public abstract static class Deserializer<T> extends StdDeserializer<T> implements ResolvableDeserializer {
        private static final int MAX_FIELDS = 32;
        private transient JsonDeserializer<Object> bean;

        protected Deserializer(Class<T> type) {
            super(type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void resolve(DeserializationContext ctxt) throws JsonMappingException {
            JavaType type = ctxt.constructType(handledType());
            BeanDescription desc = ctxt.getConfig().introspect(type);
            // The factory builds the plain bean deserializer: the class's @JsonDeserialize (this) is only looked at by
            // the deserializer cache, so there is no recursion.
            JsonDeserializer<Object> d = ctxt.getFactory().createBeanDeserializer(ctxt, type, desc);
            if (d instanceof ResolvableDeserializer r) r.resolve(ctxt);
            bean = d;
        }

        @Override
        public boolean isCachable() {
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = ctxt.readTree(p);
            if (!(tree instanceof ObjectNode root)) return (T) read(tree, p, ctxt);
            List<String> problems = new ArrayList<>();
            for (int attempt = 0; ; attempt++) {
                try {
                    T value = (T) read(root, p, ctxt);
                    if (!problems.isEmpty()) record(root, problems);
                    return value;
                } catch (JsonMappingException e) {
                    List<JsonMappingException.Reference> path = e.getPath();
                    if (attempt >= MAX_FIELDS || path.isEmpty()) throw e;
                    String where = path(path);
                    JsonNode removed = remove(root, path);
                    if (removed == null) throw e;
                    problems.add(where + ": " + shortText(removed) + " " + why(e, removed));
                }
            }
        }

        private Object read(JsonNode tree, JsonParser p, DeserializationContext ctxt) throws IOException {
            try (JsonParser tp = tree.traverse(p.getCodec())) {
                tp.nextToken();
                return bean.deserialize(tp, ctxt);
            }
        }

        /** Removes the node the path names; returns it, or null when it is not there. */
        private static JsonNode remove(ObjectNode root, List<JsonMappingException.Reference> path) {
            JsonNode parent = root;
            for (int i = 0; i < path.size() - 1; i++) {
                parent = step(parent, path.get(i));
                if (parent == null) return null;
            }
            JsonMappingException.Reference last = path.get(path.size() - 1);
            if (parent instanceof ObjectNode o && last.getFieldName() != null) return o.remove(last.getFieldName());
            if (parent instanceof ArrayNode a && last.getIndex() >= 0 && last.getIndex() < a.size()) {
                // An element of a list cannot be left out without shifting its neighbours: null marks the hole.
                JsonNode old = a.get(last.getIndex());
                if (old.isNull()) return null;
                a.set(last.getIndex(), com.fasterxml.jackson.databind.node.NullNode.getInstance());
                return old;
            }
            return null;
        }

        private static JsonNode step(JsonNode n, JsonMappingException.Reference r) {
            if (r.getFieldName() != null) return n.get(r.getFieldName());
            if (r.getIndex() >= 0) return n.get(r.getIndex());
            return null;
        }

        /** spec.jobs[0].spec.seed */
        static String path(List<JsonMappingException.Reference> path) {
            StringBuilder b = new StringBuilder();
            for (JsonMappingException.Reference r : path) {
                if (r.getFieldName() != null) b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
                else if (r.getIndex() >= 0) b.append('[').append(r.getIndex()).append(']');
            }
            return b.toString();
        }

        private static String shortText(JsonNode n) {
            String t = n.toString();
            return t.length() > 64 ? t.substring(0, 61) + "..." : t;
        }

        /** In the user's words: which Java range it left, without Jackson's class names. */
        private static String why(JsonMappingException e, JsonNode value) {
            String m = String.valueOf(e.getOriginalMessage());
            if (value.isNumber() && (m.contains("`java.lang.Integer`") || m.contains("type `int`") || m.contains("out of range of int")))
                return "is out of range of a 32-bit integer (-2147483648 to 2147483647)";
            if (m.contains("out of range of long")) return "is out of range of a 64-bit integer (-9223372036854775808 to 9223372036854775807)";
            if (m.contains("out of range of int")) return "is out of range of a 32-bit integer (-2147483648 to 2147483647)";
            if (m.contains("Cannot deserialize value of type `java.lang.Integer`") || m.contains("type `int`")) return "is not a 32-bit integer";
            if (m.contains("`java.lang.Long`") || m.contains("type `long`")) return "is not a 64-bit integer";
            if (m.contains("`java.lang.Double`") || m.contains("type `double`")) return "is not a number";
            if (m.contains("`java.lang.String`")) return "is not a string";
            if (m.contains("`java.util.")) return "is not the list or map the schema describes";
            int nl = m.indexOf('\n');
            return "cannot be read: " + (nl > 0 ? m.substring(0, nl) : m);
        }
    }

    public static final class JobDeserializer extends Deserializer<QuantumJob> {
        public JobDeserializer() {
            super(QuantumJob.class);
        }
    }

    public static final class BatchDeserializer extends Deserializer<QuantumBatch> {
        public BatchDeserializer() {
            super(QuantumBatch.class);
        }
    }

    public static final class SessionDeserializer extends Deserializer<QuantumSession> {
        public SessionDeserializer() {
            super(QuantumSession.class);
        }
    }

    public static final class BackendDeserializer extends Deserializer<QuantumBackend> {
        public BackendDeserializer() {
            super(QuantumBackend.class);
        }
    }

    public static final class InstanceDeserializer extends Deserializer<QuantumInstance> {
        public InstanceDeserializer() {
            super(QuantumInstance.class);
        }
    }
}
