package io.kubeqpu.controller;

import io.kubeqpu.api.v1alpha1.BackendCalibration;
import io.kubeqpu.api.v1alpha1.BackendTiming;
import io.kubeqpu.api.v1alpha1.GoDurations;
import io.kubeqpu.api.v1alpha1.PrimitiveSpec;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumBackendSpec;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumInstanceSpec;
import io.kubeqpu.scheduler.BackendSpec;
import io.kubeqpu.scheduler.InstanceSpec;
import io.kubeqpu.scheduler.Plan;
import io.kubeqpu.scheduler.WorkloadKind;
import io.kubeqpu.scheduler.WorkloadSpec;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.NoiseModel;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.Primitive;
import io.kubeqpu.simulator.Pub;
import io.kubeqpu.simulator.TimingModel;
import io.kubeqpu.simulator.device.DeviceOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Custom resources' specs → the scheduler's and the simulator's records. Pure functions. */
public final class SpecMapper {
    private SpecMapper() {}

    /**
     * The backend as the scheduler sees it. {@code timing.timeScale} speeds up the QPU's own clock — job run
     * times and calibration — so the calibration cadence is scaled with it; user-facing TTLs are not.
     */
    public static BackendSpec backend(QuantumBackend b) {
        QuantumBackendSpec s = b.getSpec();
        double scale = timeScale(s);
        BackendCalibration cal = s.getCalibration();
        Duration interval = cal == null ? null : GoDurations.parseOrDefault(cal.getInterval(), null);
        Duration duration = cal == null ? null : GoDurations.parseOrDefault(cal.getDuration(), null);
        // A zero interval or duration means no calibration (checked before scaling, which rounds up to 1 ms).
        if (interval == null || interval.isZero() || duration == null || duration.isZero()) {
            interval = null;
            duration = null;
        } else {
            interval = scaled(interval, scale);
            duration = scaled(duration, scale);
        }
        return new BackendSpec(b.getMetadata().getName(), parallelism(s), lanes(s), interval, duration,
                GoDurations.parseOrDefault(s.getLimits() == null ? null : s.getLimits().getMaxTTL(), BackendSpec.DEFAULT_MAX_TTL),
                GoDurations.parseOrDefault(s.getLimits() == null ? null : s.getLimits().getMaxExecutionTime(),
                        BackendSpec.DEFAULT_MAX_EXECUTION_TIME));
    }

    public static double timeScale(QuantumBackendSpec s) {
        return s.getTiming() == null || s.getTiming().getTimeScale() == null ? 1.0 : s.getTiming().getTimeScale();
    }

    public static BackendProfile profile(QuantumBackend b) {
        QuantumBackendSpec s = b.getSpec();
        BackendTiming t = s.getTiming() == null ? new BackendTiming() : s.getTiming();
        TimingModel d = TimingModel.defaults();
        TimingModel timing = new TimingModel(
                seconds(t.getOverhead(), d.overheadSeconds()), seconds(t.getRepDelay(), d.repDelaySeconds()),
                seconds(t.getSingleQubitGate(), d.oneQubitGateSeconds()), seconds(t.getTwoQubitGate(), d.twoQubitGateSeconds()),
                seconds(t.getMeasure(), d.measureSeconds()), d.resetSeconds(), d.dtSeconds());
        NoiseModel noise = s.getNoise() == null ? NoiseModel.none()
                : new NoiseModel(orDefault(s.getNoise().getReadoutError(), 0.0), orDefault(s.getNoise().getDepolarizing(), 0.0));
        var gates = s.getBasisGates() == null || s.getBasisGates().isEmpty() ? BackendProfile.HERON_BASIS
                : new HashSet<>(s.getBasisGates());
        return new BackendProfile(b.getMetadata().getName(), orDefault(s.getNumQubits(), 5), gates,
                Boolean.TRUE.equals(s.getRequireIsa()), timing, noise);
    }

    public static DeviceOptions deviceOptions(QuantumBackend b) {
        QuantumBackendSpec s = b.getSpec();
        return new DeviceOptions(lanes(s), parallelism(s), timeScale(s), 10_000);
    }

    private static int parallelism(QuantumBackendSpec s) {
        return orDefault(s.getParallelism(), QuantumBackendSpec.DEFAULT_PARALLELISM);
    }

    private static int lanes(QuantumBackendSpec s) {
        return orDefault(s.getPreprocessingLanes(), QuantumBackendSpec.DEFAULT_PREPROCESSING_LANES);
    }

    public static InstanceSpec instance(QuantumInstance i) {
        QuantumInstanceSpec s = i.getSpec();
        Plan plan = s.getPlan() == null ? null : Plan.valueOf(s.getPlan().name());
        Double limit = s.getUsageLimitSeconds() == null ? null : s.getUsageLimitSeconds().doubleValue();
        return new InstanceSpec(Ids.of(i), plan, limit,
                GoDurations.parseOrDefault(s.getUsagePeriod(), InstanceSpec.DEFAULT_USAGE_PERIOD),
                orDefault(s.getWeight(), 1.0), s.getAllowedBackends() == null ? java.util.Set.of() : new HashSet<>(s.getAllowedBackends()));
    }

    public static WorkloadSpec workload(String id, WorkloadKind kind, String instanceId, io.kubeqpu.api.v1alpha1.QuantumWorkloadSpec s) {
        return new WorkloadSpec(id, kind, instanceId, s.getBackend(), ttl(s.getMaxTTL()), ttl(s.getInteractiveTTL()),
                !Boolean.FALSE.equals(s.getAcceptingJobs()));
    }

    /** A TTL as written; zero and unparsable values pass through as zero so the scheduler rejects them with a reason. */
    static Duration ttl(String text) {
        if (text == null) return null;
        try {
            return GoDurations.parse(text);
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /** The primitive request the QPU runs. */
    public static PrimitiveRequest request(PrimitiveSpec s) {
        List<Pub> pubs = new ArrayList<>();
        if (s.getPubs() != null)
            for (var p : s.getPubs())
                pubs.add(new Pub(p.getCircuit(), p.getParameterValues(), p.getShots(), p.getObservables(), p.getPrecision(),
                        p.getNamedParameterValues()));
        Primitive primitive = s.getPrimitive() == null ? Primitive.SAMPLER : Primitive.valueOf(s.getPrimitive().name());
        return new PrimitiveRequest(primitive, pubs, s.getShots(), s.getPrecision(), s.getSeed());
    }

    /** Total executions, for the scheduler's sanity check (the QPU computes the real usage). */
    public static long shots(PrimitiveSpec s) {
        long total = 0;
        int dflt = s.getShots() == null ? PrimitiveSpec.DEFAULT_SHOTS : s.getShots();
        if (s.getPubs() != null)
            for (var p : s.getPubs()) {
                int sets = SpecMapper.parameterSets(p);
                total += (long) (p.getShots() == null ? dflt : p.getShots()) * sets;
            }
        return total;
    }

    /** How many bindings a PUB has: rows by position, or the values of one input by name; 1 without parameters. */
    public static int parameterSets(io.kubeqpu.api.v1alpha1.Pub p) {
        if (p.getParameterValues() != null && !p.getParameterValues().isEmpty()) return p.getParameterValues().size();
        if (p.getNamedParameterValues() != null)
            for (List<Double> values : p.getNamedParameterValues().values()) if (values != null && !values.isEmpty()) return values.size();
        return 1;
    }

    private static double seconds(String text, double fallback) {
        Duration d = GoDurations.parseOrDefault(text, null);
        return d == null ? fallback : d.toNanos() / 1e9;
    }

    private static Duration scaled(Duration d, double scale) {
        if (d == null) return null;
        return Duration.ofNanos(Math.max(1_000_000L, Math.round(d.toNanos() * scale)));
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
