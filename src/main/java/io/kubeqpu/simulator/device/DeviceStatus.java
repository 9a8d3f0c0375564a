package io.kubeqpu.simulator.device;

/** What a device is doing right now. */
public record DeviceStatus(int parallelism, int busySlots, int waiting, boolean calibrating) {
}
