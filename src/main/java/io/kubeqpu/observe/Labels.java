package io.kubeqpu.observe;

/** Short human labels for scheduler ids ({@code session:ns/name} → {@code name}). */
final class Labels {
    private Labels() {}

    static String name(String id) {
        if (id == null) return null;
        int colon = id.indexOf(':');
        String plain = colon >= 0 && colon < id.indexOf('/') ? id.substring(colon + 1) : id;
        return plain.substring(plain.indexOf('/') + 1);
    }
}
