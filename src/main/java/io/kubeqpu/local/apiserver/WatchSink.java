package io.kubeqpu.local.apiserver;

/** Where a plain-HTTP watch writes its events: one JSON object per line, on a response that stays open. */
public interface WatchSink {
    void send(String eventLine);

    void close();

    /** Runs {@code onClose} when the client goes away. */
    void onClose(Runnable onClose);
}
