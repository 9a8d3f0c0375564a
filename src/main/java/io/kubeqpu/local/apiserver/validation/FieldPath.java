package io.kubeqpu.local.apiserver.validation;

/** Builds field paths the way kube-apiserver prints them: {@code spec.pubs[0].circuit}, {@code spec.labels[key]}. */
final class FieldPath {
    private FieldPath() {
    }

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    static String key(String parent, String key) {
        return parent + "[" + key + "]";
    }

    /** The root of an object is printed as {@code <nil>}: a nil field.Path in Go. */
    static String display(String path) {
        return path.isEmpty() ? FieldError.ROOT : path;
    }
}
