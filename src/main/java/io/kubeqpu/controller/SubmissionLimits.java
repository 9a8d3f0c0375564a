package io.kubeqpu.controller;

import io.kubeqpu.api.v1alpha1.BackendLimits;
import io.kubeqpu.api.v1alpha1.Primitive;
import io.kubeqpu.api.v1alpha1.PrimitiveSpec;
import io.kubeqpu.api.v1alpha1.Pub;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.scheduler.Reasons;
import io.kubeqpu.simulator.qasm.Instruction;
import io.kubeqpu.simulator.qasm.QasmException;
import io.kubeqpu.simulator.qasm.QasmParser;
import io.kubeqpu.simulator.qasm.QasmProgram;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend's limits, checked when a job is submitted, before it takes a place in a queue: shots per PUB
 * ({@code limits.maxShots}), circuit text ({@code limits.maxCircuitBytes}), and the size its result can reach
 * ({@code limits.maxResultBytes}, and the operator's {@code kubeqpu.max-result-bytes} above every backend), so that every
 * job that runs has a result the operator can store. Knows the backends as their reconciler last saw them.
 */
public final class SubmissionLimits {
    /** The operator-wide cap of a job's result, unless configured: 64 MiB, stored in at most ~70 ConfigMaps. */
    public static final long DEFAULT_OPERATOR_MAX_RESULT_BYTES = 64L << 20;

    /** Why a job is refused. */
    public record Refusal(String reason, String message) {}

    private final Map<String, QuantumBackend> backends = new ConcurrentHashMap<>();
    private volatile long operatorMaxResultBytes = DEFAULT_OPERATOR_MAX_RESULT_BYTES;

    public void operatorMaxResultBytes(long bytes) {
        this.operatorMaxResultBytes = bytes;
    }

    public long operatorMaxResultBytes() {
        return operatorMaxResultBytes;
    }

    void backendSeen(QuantumBackend b) {
        backends.put(b.getMetadata().getName(), b);
    }

    void backendGone(String name) {
        backends.remove(name);
    }

    QuantumBackend backend(String name) {
        return name == null ? null : backends.get(name);
    }

    /** Null when the job fits the backend's and the operator's limits; else the first limit it exceeds, in its words. */
    Refusal check(PrimitiveSpec spec, QuantumBackend backend) {
        BackendLimits limits = backend == null || backend.getSpec().getLimits() == null ? new BackendLimits()
                : backend.getSpec().getLimits();
        String name = backend == null ? "?" : backend.getMetadata().getName();
        List<Pub> pubs = spec.getPubs() == null ? List.of() : spec.getPubs();
        boolean sampler = spec.getPrimitive() != Primitive.ESTIMATOR;
        int defaultShots = spec.getShots() == null ? PrimitiveSpec.DEFAULT_SHOTS : spec.getShots();
        long maxCircuit = limits.getMaxCircuitBytes() == null ? Long.MAX_VALUE : limits.getMaxCircuitBytes();
        long maxShots = limits.getMaxShots() == null ? Long.MAX_VALUE : limits.getMaxShots();
        long resultBytes = 0;
        String largest = null;
        long largestBytes = -1;
        for (int i = 0; i < pubs.size(); i++) {
            Pub p = pubs.get(i);
            String circuit = p.getCircuit() == null ? "" : p.getCircuit();
            long bytes = circuit.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxCircuit)
                return new Refusal(Reasons.CIRCUIT_BYTES_LIMIT_EXCEEDED, String.format(Locale.ROOT,
                        "spec.pubs[%d].circuit is %d bytes; backend %s accepts circuits of at most %d bytes (limits.maxCircuitBytes)",
                        i, bytes, name, maxCircuit));
            int shots = p.getShots() != null ? p.getShots() : defaultShots;
            if (sampler && shots > maxShots)
                return new Refusal(Reasons.SHOTS_LIMIT_EXCEEDED, String.format(Locale.ROOT,
                        "spec.pubs[%d] asks for %d shots; backend %s allows at most %d per PUB (limits.maxShots)",
                        i, shots, name, maxShots));
            QasmProgram program = parse(circuit);
            Refusal coupling = couplingViolation(program, backend, i);
            if (coupling != null) return coupling;
            long sets = SpecMapper.parameterSets(p);
            long pubBytes;
            String what;
            if (sampler) {
                List<Integer> registers = program == null ? List.of()
                        : program.classicalRegisters().stream().map(QasmProgram.ClassicalRegister::size).toList();
                int bits = registers.stream().mapToInt(Integer::intValue).sum();
                pubBytes = sets * samplerSetBytes(shots, registers) + 256;
                what = String.format(Locale.ROOT, "spec.pubs[%d]: %d parameter set(s) × %d shots × %d bits", i, sets, shots, bits);
            } else {
                int observables = p.getObservables() == null ? 0 : p.getObservables().size();
                pubBytes = sets * observables * 2L * 25 + 256;
                what = String.format(Locale.ROOT, "spec.pubs[%d]: %d parameter set(s) × %d observables", i, sets, observables);
            }
            resultBytes += pubBytes;
            if (pubBytes > largestBytes) {
                largestBytes = pubBytes;
                largest = what;
            }
        }
        Refusal qpu = qpuCheck(spec, backend);
        if (qpu != null) return qpu;
        long backendMax = limits.getMaxResultBytes() == null ? Long.MAX_VALUE : limits.getMaxResultBytes();
        long max = Math.min(backendMax, operatorMaxResultBytes);
        if (resultBytes > max) {
            String who = backendMax <= operatorMaxResultBytes
                    ? "backend " + name + " stores at most " + bytes(backendMax) + " per job (limits.maxResultBytes)"
                    : "the operator stores at most " + bytes(operatorMaxResultBytes) + " per job (kubeqpu.max-result-bytes)";
            return new Refusal(Reasons.RESULT_TOO_LARGE, "its result could take up to " + bytes(resultBytes)
                    + " (largest: " + largest + "); " + who + ": use fewer shots or parameter sets, or split the job");
        }
        return null;
    }

    /**
     * The most a sampler result's JSON takes for one parameter set (docs/simulator.md): per register of b bits, a
     * {@code "0x…"} sample per shot and at most min(shots, 2^b) counts entries of b characters and a number.
     */
    static long samplerSetBytes(long shots, List<Integer> registers) {
        long total = 0;
        int countDigits = String.valueOf(shots).length();
        for (int b : registers) {
            long outcomes = b >= 62 ? shots : Math.min(shots, 1L << b);
            total += shots * ((b + 3) / 4 + 5) + outcomes * (b + 4 + countDigits) + 64;
        }
        return total;
    }

    /**
     * What the QPU would refuse when preparing the job (a typo, a circuit wider than the backend, a gate it does not
     * run, parameters that do not bind), found now rather than after the job's wait in the queue: the QPU's own words.
     */
    static Refusal qpuCheck(PrimitiveSpec spec, QuantumBackend backend) {
        if (backend == null) return null;
        try {
            io.kubeqpu.simulator.QpuSimulator.check(SpecMapper.profile(backend), SpecMapper.request(spec));
            return null;
        } catch (io.kubeqpu.simulator.SimulationException e) {
            return new Refusal(e.reason(), e.getMessage()); // the status names the PUB's field (Messages.readable)
        }
    }

    /** Null when the circuit does not parse: {@link #qpuCheck} reports why, in the QPU's words. */
    static QasmProgram parse(String circuit) {
        try {
            return QasmParser.parse(circuit);
        } catch (QasmException | RuntimeException e) {
            return null;
        }
    }

    /**
     * With {@code requireIsa}, a two-qubit gate must act on a pair of the backend's {@code couplingMap} (directed:
     * [control, target]); an absent coupling map is all-to-all. Native gate names are checked by the QPU itself.
     */
    static Refusal couplingViolation(QasmProgram program, QuantumBackend backend, int pub) {
        if (program == null || backend == null || !Boolean.TRUE.equals(backend.getSpec().getRequireIsa())
                || backend.getSpec().getCouplingMap() == null) return null;
        java.util.Set<List<Integer>> pairs = new java.util.HashSet<>(backend.getSpec().getCouplingMap());
        for (Instruction ins : program.instructions()) {
            if (ins instanceof Instruction.Gate g && g.qubits().length == 2 && !pairs.contains(List.of(g.qubits()[0], g.qubits()[1])))
                return new Refusal(NON_NATIVE_GATE, String.format(Locale.ROOT,
                        "spec.pubs[%d].circuit applies %s to qubits [%d, %d], which are not coupled on backend %s "
                                + "(requireIsa: true; couplingMap %s); transpile the circuit for this backend first",
                        pub, g.gate(), g.qubits()[0], g.qubits()[1], backend.getMetadata().getName(), backend.getSpec().getCouplingMap()));
        }
        return null;
    }

    /** The QPU's reason for a circuit that is not ISA. */
    static final String NON_NATIVE_GATE = io.kubeqpu.simulator.SimulationException.NON_NATIVE_GATE;

    static String bytes(long n) {
        if (n >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        if (n >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        return n + " bytes";
    }
}
