package io.kubeqpu.controller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names the operator derives from users' names (result ConfigMaps, batch-owned jobs, Events, label values) are always
 * valid Kubernetes names, however long the user's: a name that would be too long keeps a readable prefix and ends with
 * a hash of the whole, so two different sources never share a derived name.
 */
public final class DerivedNames {
    /** An object name (DNS-1123 subdomain). */
    public static final int MAX_NAME = 253;
    /** A label value. */
    public static final int MAX_LABEL_VALUE = 63;
    /** Hex characters of the hash that replaces a cut tail. */
    static final int HASH_CHARS = 10;

    private DerivedNames() {
    }

    /** {@code base + suffix} if that is at most {@code max} characters, else a prefix of base, a hash of base, and suffix. */
    public static String name(String base, String suffix, int max) {
        if (base.length() + suffix.length() <= max) return base + suffix;
        return name(base, suffix, max, base);
    }

    /** Always shortened form: a prefix of {@code base}, a hash of {@code source} (what base was derived from), suffix. */
    public static String name(String base, String suffix, int max, String source) {
        int keep = max - suffix.length() - HASH_CHARS - 1;
        String prefix = base.substring(0, Math.min(base.length(), Math.max(0, keep)));
        // A cut may leave a '-' or '.' at the end of the prefix: DNS-1123 wants an alphanumeric before the next '-'.
        while (!prefix.isEmpty() && !Character.isLetterOrDigit(prefix.charAt(prefix.length() - 1)))
            prefix = prefix.substring(0, prefix.length() - 1);
        return prefix + "-" + hash(source) + suffix;
    }

    /** An object name {@code base + suffix}, at most 253 characters. */
    public static String name(String base, String suffix) {
        return name(base, suffix, MAX_NAME);
    }

    /** A label value naming {@code name}: the name itself when it fits in 63 characters, else shortened with a hash. */
    public static String labelValue(String name) {
        return name(name, "", MAX_LABEL_VALUE);
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
