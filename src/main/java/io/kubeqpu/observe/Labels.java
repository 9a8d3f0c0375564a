package io.kubeqpu.observe;

/** Short human labels for scheduler ids ({@code session:ns/name} → {@code name}). */
final class Labels {
    private Labels() {}

    /** The namespace of a scheduler id ({@code session:ns/name} → {@code ns}), or null for a backend. */
    static String namespace(String id) {
        if (id == null) return null;
        int colon = id.indexOf(':');
        int slash = id.indexOf('/');
        if (slash < 0) return null;
        return id.substring(colon >= 0 && colon < slash ? colon + 1 : 0, slash);
    }

    static String name(String id) {
        if (id == null) return null;
        int colon = id.indexOf(':');
        String plain = colon >= 0 && colon < id.indexOf('/') ? id.substring(colon + 1) : id;
        return plain.substring(plain.indexOf('/') + 1);
    }
}
