package io.kubeqpu.simulator.device;

/** Receives device events in sequence order, on one notification thread. Must not block for long. */
@FunctionalInterface
public interface DeviceListener {
    void onEvent(DeviceEvent event);
}
