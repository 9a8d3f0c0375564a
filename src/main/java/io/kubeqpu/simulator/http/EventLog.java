package io.kubeqpu.simulator.http;

import io.kubeqpu.simulator.device.DeviceEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last device events, for long-polling clients: {@link #after} blocks until something newer exists. */
final class EventLog {
    private final int capacity;
    private final Deque<DeviceEvent> events = new ArrayDeque<>();

    EventLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(DeviceEvent event) {
        events.addLast(event);
        while (events.size() > capacity) {
            events.removeFirst();
        }
        notifyAll();
    }

    /** Events with a sequence above {@code after}; waits up to {@code timeoutMillis} for the first one. */
    synchronized List<DeviceEvent> after(long after, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<DeviceEvent> newer = new ArrayList<>();
            for (DeviceEvent e : events) {
                if (e.sequence() > after) {
                    newer.add(e);
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (!newer.isEmpty() || left <= 0) {
                return newer;
            }
            wait(left);
        }
    }
}
