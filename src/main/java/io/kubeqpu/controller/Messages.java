package io.kubeqpu.controller;

import java.util.regex.Pattern;

/**
 * Status messages as a user reads them in kubectl: an invisible character (NUL, other control and format characters)
 * is named {@code U+0000} rather than shown as a space or nothing, and a QPU message about a PUB names its field in
 * the spec ({@code spec.pubs[0].circuit: line 2, column 12: …}).
 */
final class Messages {
    private static final Pattern PUB_CIRCUIT = Pattern.compile("^pub (\\d+): line ");
    private static final Pattern PUB = Pattern.compile("^pub (\\d+): ");

    private Messages() {
    }

    static String readable(String message) {
        if (message == null) return null;
        StringBuilder b = null;
        for (int i = 0; i < message.length(); ) {
            int c = message.codePointAt(i);
            int n = Character.charCount(c);
            boolean invisible = c != '\n' && c != '\t' && (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE || c == 0xFFFD);
            if (invisible && b == null) b = new StringBuilder(message.substring(0, i));
            if (b != null) {
                if (invisible) b.append(String.format("U+%04X", c));
                else b.appendCodePoint(c);
            }
            i += n;
        }
        String s = b == null ? message : b.toString();
        if (PUB_CIRCUIT.matcher(s).find()) return PUB_CIRCUIT.matcher(s).replaceFirst("spec.pubs[$1].circuit: line ");
        return PUB.matcher(s).replaceFirst("spec.pubs[$1]: ");
    }
}
