package io.kubeqpu.reliability;

import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.device.DeviceEvent;
import io.kubeqpu.simulator.device.DeviceListener;
import io.kubeqpu.simulator.device.DeviceOptions;
import io.kubeqpu.simulator.device.DeviceStatus;
import io.kubeqpu.simulator.device.InProcessQpuDevice;
import io.kubeqpu.simulator.device.JobStatus;
import io.kubeqpu.simulator.device.QpuDevice;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process QPU that hangs on demand: while {@link #hung} is set it takes jobs but never reports one finished
 * (its FINISHED events are swallowed), as a wedged device or a lost connection would look to the operator.
 */
final class HangingDevice implements QpuDevice {
    final AtomicBoolean hung;
    final AtomicInteger swallowed = new AtomicInteger();
    /** The ids of the jobs the operator asked this QPU to cancel, in order. */
    final java.util.List<String> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final InProcessQpuDevice delegate;

    HangingDevice(BackendProfile profile, DeviceOptions options, AtomicBoolean hung) {
        this.delegate = new InProcessQpuDevice(profile, options);
        this.hung = hung;
    }

    @Override
    public void addListener(DeviceListener listener) {
        delegate.addListener(e -> {
            if (hung.get() && e.type() == DeviceEvent.Type.FINISHED) {
                swallowed.incrementAndGet();
                return;
            }
            listener.onEvent(e);
        });
    }

    @Override public BackendProfile backend() { return delegate.backend(); }
    @Override public JobStatus prepare(String jobId, PrimitiveRequest request) { return delegate.prepare(jobId, request); }
    @Override public JobStatus start(String jobId) { return delegate.start(jobId); }
    @Override public JobStatus cancel(String jobId) {
        cancelled.add(jobId);
        return delegate.cancel(jobId);
    }
    @Override public JobStatus status(String jobId) { return delegate.status(jobId); }
    @Override public void calibrate(Duration duration) { delegate.calibrate(duration); }
    @Override public DeviceStatus deviceStatus() { return delegate.deviceStatus(); }
    @Override public void close() { delegate.close(); }
}
