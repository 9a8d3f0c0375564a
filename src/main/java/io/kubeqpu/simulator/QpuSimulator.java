package io.kubeqpu.simulator;

import io.kubeqpu.simulator.engine.CircuitCompiler;
import io.kubeqpu.simulator.engine.CircuitRunner;
import io.kubeqpu.simulator.engine.CircuitRuntimeException;
import io.kubeqpu.simulator.engine.CompiledCircuit;
import io.kubeqpu.simulator.engine.Parallelism;
import io.kubeqpu.simulator.engine.ShotRecord;
import io.kubeqpu.simulator.engine.StateVector;
import io.kubeqpu.simulator.qasm.QasmException;
import io.kubeqpu.simulator.qasm.QasmParser;
import io.kubeqpu.simulator.qasm.QasmProgram;
import io.kubeqpu.simulator.qasm.QasmProgram.ClassicalRegister;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated QPU's two halves: {@link #prepare} is the classical pre-processing (parse, validate against
 * the backend, bind parameters, compile), {@link #execute} the quantum execution. Thread-safe: prepare lanes
 * and execution slots call it concurrently. Execution takes its state vector's memory from a shared
 * {@link MemoryBudget} (waiting for it if needed) and runs the gate kernels on {@link Parallelism}'s threads.
 */
public final class QpuSimulator {
    /** Default ceiling on simulated (touched) qubits: 2^26 amplitudes = 1 GiB. */
    public static final int DEFAULT_MAX_SIMULATED_QUBITS = 26;
    public static final int MAX_SHOTS = 1_000_000;
    /** Parameter sets per PUB; each one is compiled and simulated separately. */
    public static final int MAX_PARAMETER_SETS = 100_000;
    /** Classical bits a sampler PUB may return (shots × bits × parameter sets), to bound result memory. */
    public static final long MAX_RESULT_BITS = 1L << 28;

    private final BackendProfile profile;
    private final int maxSimulatedQubits;
    private final Parallelism parallelism;
    private final MemoryBudget memory;

    public QpuSimulator(BackendProfile profile) {
        this(profile, DEFAULT_MAX_SIMULATED_QUBITS);
    }

    public QpuSimulator(BackendProfile profile, int maxSimulatedQubits) {
        this(profile, maxSimulatedQubits, Parallelism.of(0), MemoryBudget.fromMaxHeap());
    }

    /**
     * @param parallelism threads of the gate kernels
     * @param memory      bytes of state vectors held at once by all jobs of this simulator
     */
    public QpuSimulator(BackendProfile profile, int maxSimulatedQubits, Parallelism parallelism, MemoryBudget memory) {
        this.profile = profile;
        this.maxSimulatedQubits = Math.min(maxSimulatedQubits, StateVector.MAX_QUBITS);
        this.parallelism = parallelism;
        this.memory = memory;
    }

    public MemoryBudget memoryBudget() {
        return memory;
    }

    public Parallelism parallelism() {
        return parallelism;
    }

    public BackendProfile profile() {
        return profile;
    }

    public PreparedJob prepare(PrimitiveRequest request) throws SimulationException {
        checkRequest(request);
        List<PreparedPub> pubs = new ArrayList<>();
        double seconds = profile.timing().overheadSeconds();
        for (int i = 0; i < request.pubs().size(); i++) {
            PreparedPub pub = preparePub(request, request.pubs().get(i), i);
            pubs.add(pub);
            seconds += (profile.timing().repDelaySeconds() + pub.circuitSeconds()) * pub.executions();
        }
        return new PreparedJob(request, pubs, seconds);
    }

    /**
     * The checks of {@link #prepare} that depend only on the backend, not on this device's memory or threads: parse,
     * width, native gates, parameter bindings, shots, observables, precision. The operator runs them when a job is
     * submitted, so a typo fails at once instead of after its wait in the queue; the messages are the QPU's own.
     */
    public static void check(BackendProfile profile, PrimitiveRequest request) throws SimulationException {
        checkRequest(request);
        for (int i = 0; i < request.pubs().size(); i++) checkPub(profile, request, request.pubs().get(i), "pub " + i + ": ");
    }

    private static void checkRequest(PrimitiveRequest request) throws SimulationException {
        if (request == null || request.primitive() == null) {
            throw invalid("the request must name a primitive (sampler or estimator)");
        }
        if (request.pubs() == null || request.pubs().isEmpty()) {
            throw invalid("the request has no PUBs");
        }
    }

    public Duration quantumTime(PreparedJob job) {
        return Duration.ofNanos(Math.round(job.quantumSeconds() * 1e9));
    }

    /**
     * Runs a prepared job. Each PUB first waits for its state vector's memory in the budget.
     *
     * @throws CircuitRuntimeException when the circuit fails while running (a loop that never ends…)
     */
    public PrimitiveResult execute(PreparedJob job, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        List<PrimitiveResult.PubResult> results = new ArrayList<>();
        for (PreparedPub pub : job.pubs()) {
            SplittableRandom rng = root.split();
            long bytes = StateVector.bytes(pub.circuits().get(0).numQubits());
            try {
                memory.acquire(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CircuitRuntimeException("interrupted while waiting for simulator memory");
            }
            try {
                results.add(job.primitive() == Primitive.SAMPLER ? runSampler(pub, rng) : runEstimator(pub, rng));
            } finally {
                memory.release(bytes);
            }
        }
        return new PrimitiveResult(job.primitive(), results, job.quantumSeconds(), seed);
    }

    // ---- preparation ---------------------------------------------------------------------------------

    /** A PUB that passed {@link #check}: what preparation goes on with. */
    private record CheckedPub(QasmProgram program, int[] layout, List<double[]> sets, int shots,
                              List<PauliObservable> observables, double precision, long shotsNeeded) {}

    private static CheckedPub checkPub(BackendProfile profile, PrimitiveRequest request, Pub pub, String where)
            throws SimulationException {
        if (pub == null || pub.circuit() == null || pub.circuit().isBlank()) {
            throw invalid(where + "no circuit");
        }
        QasmProgram program;
        try {
            program = QasmParser.parse(pub.circuit());
        } catch (QasmException e) {
            throw new SimulationException(SimulationException.QASM_SYNTAX_ERROR, where + e.getMessage(), e);
        }
        if (program.numQubits() > profile.numQubits()) {
            throw new SimulationException(SimulationException.CIRCUIT_TOO_WIDE, where + "the circuit uses "
                    + program.numQubits() + " qubits but backend " + profile.name() + " has " + profile.numQubits());
        }
        if (profile.requireIsa()) {
            for (Map.Entry<String, QasmProgram.SourcePosition> call : program.gateCalls().entrySet()) {
                String gate = isaName(call.getKey());
                if (!profile.basisGates().contains(gate)) {
                    throw new SimulationException(SimulationException.NON_NATIVE_GATE, where + call.getValue()
                            + ": gate '" + call.getKey() + "' is not native on " + profile.name() + " (basis gates "
                            + new java.util.TreeSet<>(profile.basisGates()) + "); transpile the circuit first");
                }
            }
        }
        int[] layout = CircuitCompiler.denseLayout(program);
        List<double[]> sets = bindings(program, pub, where);
        if (request.primitive() == Primitive.SAMPLER) {
            if (pub.observables() != null && !pub.observables().isEmpty()) {
                throw invalid(where + "observables are only for the estimator");
            }
            int shots = pub.shots() != null ? pub.shots()
                    : request.shots() != null ? request.shots() : PrimitiveRequest.DEFAULT_SHOTS;
            if (shots < 1 || shots > MAX_SHOTS) {
                throw invalid(where + "shots must be between 1 and " + MAX_SHOTS + ", got " + shots);
            }
            if ((long) shots * sets.size() * Math.max(1, program.numClbits()) > MAX_RESULT_BITS) {
                throw invalid(where + "the result would hold more than " + MAX_RESULT_BITS
                        + " bits (shots × classical bits × parameter sets)");
            }
            return new CheckedPub(program, layout, sets, shots, List.of(), 0, shots);
        }
        if (CircuitCompiler.isDynamic(program)) {
            throw invalid(where + "the estimator does not run circuits with mid-circuit measurement, reset or conditions");
        }
        if (pub.observables() == null || pub.observables().isEmpty()) {
            throw new SimulationException(SimulationException.INVALID_OBSERVABLE, where + "the estimator needs observables");
        }
        double precision = pub.precision() != null ? pub.precision()
                : request.precision() != null ? request.precision() : PrimitiveRequest.DEFAULT_PRECISION;
        if (!(precision > 0 && precision <= 1)) {
            throw invalid(where + "precision must be in (0, 1], got " + precision);
        }
        List<PauliObservable> observables = new ArrayList<>();
        for (Map<String, Double> spec : pub.observables()) {
            try {
                observables.add(PauliObservable.parse(spec, layout, program.numQubits(), profile.numQubits()));
            } catch (SimulationException e) {
                throw new SimulationException(e.reason(), where + e.getMessage());
            }
        }
        // A QPU estimates each measurement basis from ~1/precision² shots.
        // Not capped: a tiny precision costs the QPU time it would really cost (limits are the scheduler's job).
        long shotsNeeded = (long) Math.ceil(1 / (precision * precision));
        return new CheckedPub(program, layout, sets, (int) Math.min(Integer.MAX_VALUE, shotsNeeded), observables,
                precision, shotsNeeded);
    }

    private PreparedPub preparePub(PrimitiveRequest request, Pub pub, int index) throws SimulationException {
        String where = "pub " + index + ": ";
        CheckedPub c = checkPub(profile, request, pub, where);
        QasmProgram program = c.program();
        int touched = CircuitCompiler.countDense(c.layout());
        if (touched > maxSimulatedQubits) {
            throw new SimulationException(SimulationException.CIRCUIT_TOO_LARGE, where + "the circuit acts on "
                    + touched + " qubits; this simulator holds at most " + maxSimulatedQubits + " in its state vector");
        }
        if (StateVector.bytes(touched) > memory.capacity()) {
            throw new SimulationException(SimulationException.CIRCUIT_TOO_LARGE, where + "the circuit acts on "
                    + touched + " qubits, whose state vector needs " + MemoryBudget.describe(StateVector.bytes(touched))
                    + "; this simulator's memory budget is " + MemoryBudget.describe(memory.capacity())
                    + " (device setting memoryBudgetBytes, default: max heap - 256 MiB)");
        }
        List<double[]> sets = c.sets();
        boolean swept = pub.parameterValues() != null || pub.namedParameterValues() != null;
        List<CompiledCircuit> circuits = new ArrayList<>(sets.size());
        for (int s = 0; s < sets.size(); s++) {
            try {
                circuits.add(CircuitCompiler.compile(program, sets.get(s)));
            } catch (IllegalArgumentException e) {
                throw new SimulationException(SimulationException.INVALID_PARAMETERS, where
                        + (sets.size() > 1 ? "parameter set " + s + ": " : "") + e.getMessage());
            }
        }
        double circuitSeconds = CircuitTiming.circuitSeconds(program, profile.timing());
        if (request.primitive() == Primitive.SAMPLER) {
            return new PreparedPub(program, circuits, swept, c.shots(), List.of(), 0, (long) c.shots() * sets.size(),
                    circuitSeconds);
        }
        long executions = c.shotsNeeded() * sets.size() * PauliObservable.measurementBases(c.observables());
        // Basis change and read-out of every qubit at the end of each execution.
        circuitSeconds += profile.timing().oneQubitGateSeconds() + profile.timing().measureSeconds();
        return new PreparedPub(program, circuits, swept, c.shots(), c.observables(), c.precision(), executions, circuitSeconds);
    }

    /** One {@code double[]} of input values (declaration order) per parameter set. */
    private static List<double[]> bindings(QasmProgram program, Pub pub, String where) throws SimulationException {
        List<String> inputs = program.inputs();
        if (pub.parameterValues() != null && pub.namedParameterValues() != null) {
            throw new SimulationException(SimulationException.INVALID_PARAMETERS,
                    where + "give parameter values either by position or by name, not both");
        }
        List<double[]> sets = new ArrayList<>();
        if (pub.namedParameterValues() != null) {
            Map<String, List<Double>> named = pub.namedParameterValues();
            Set<String> unknown = new HashSet<>(named.keySet());
            inputs.forEach(unknown::remove);
            if (!unknown.isEmpty()) {
                throw new SimulationException(SimulationException.INVALID_PARAMETERS,
                        where + "the circuit has no parameter(s) " + unknown);
            }
            List<String> missing = inputs.stream().filter(n -> !named.containsKey(n)).toList();
            if (!missing.isEmpty()) {
                throw new SimulationException(SimulationException.MISSING_PARAMETERS,
                        where + "no values for parameter(s) " + missing);
            }
            int n = inputs.isEmpty() ? 1 : sizeOf(named.get(inputs.get(0)));
            for (String name : inputs) {
                if (sizeOf(named.get(name)) != n) {
                    throw new SimulationException(SimulationException.INVALID_PARAMETERS,
                            where + "every parameter needs the same number of values");
                }
            }
            checkSetCount(n, where);
            for (int s = 0; s < n; s++) {
                double[] v = new double[inputs.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = finite(named.get(inputs.get(i)).get(s), inputs.get(i), where);
                }
                sets.add(v);
            }
            return sets;
        }
        if (pub.parameterValues() == null) {
            if (!inputs.isEmpty()) {
                throw new SimulationException(SimulationException.MISSING_PARAMETERS,
                        where + "the circuit has parameters " + inputs + " but the PUB binds no values");
            }
            sets.add(new double[0]);
            return sets;
        }
        checkSetCount(pub.parameterValues().size(), where);
        for (List<Double> set : pub.parameterValues()) {
            int got = set == null ? 0 : set.size();
            if (got < inputs.size()) {
                throw new SimulationException(SimulationException.MISSING_PARAMETERS, where + "the circuit has "
                        + inputs.size() + " parameter(s) " + inputs + " but a parameter set has " + got + " value(s)");
            }
            if (got > inputs.size()) {
                throw new SimulationException(SimulationException.INVALID_PARAMETERS, where + "the circuit has "
                        + inputs.size() + " parameter(s) " + inputs + " but a parameter set has " + got + " value(s)");
            }
            double[] v = new double[got];
            for (int i = 0; i < got; i++) {
                v[i] = finite(set.get(i), inputs.get(i), where);
            }
            sets.add(v);
        }
        return sets;
    }

    private static void checkSetCount(int n, String where) throws SimulationException {
        if (n < 1 || n > MAX_PARAMETER_SETS) {
            throw new SimulationException(SimulationException.INVALID_PARAMETERS,
                    where + "between 1 and " + MAX_PARAMETER_SETS + " parameter sets are allowed, got " + n);
        }
    }

    private static int sizeOf(List<Double> values) {
        return values == null ? 0 : values.size();
    }

    private static double finite(Double v, String name, String where) throws SimulationException {
        if (v == null || !Double.isFinite(v)) {
            throw new SimulationException(SimulationException.INVALID_PARAMETERS,
                    where + "parameter '" + name + "' needs a finite value, got " + v);
        }
        return v;
    }

    /** OpenQASM's built-in {@code U}/{@code CX} are Qiskit's {@code u}/{@code cx}. */
    private static String isaName(String gate) {
        return gate.equals("U") ? "u" : gate.equals("CX") ? "cx" : gate;
    }

    private static SimulationException invalid(String message) {
        return new SimulationException(SimulationException.INVALID_REQUEST, message);
    }

    // ---- execution ---------------------------------------------------------------------------------

    private PrimitiveResult.SamplerPubResult runSampler(PreparedPub pub, SplittableRandom rng) {
        List<Map<String, PrimitiveResult.RegisterData>> perSet = new ArrayList<>();
        for (CompiledCircuit circuit : pub.circuits()) {
            ShotRecord record = CircuitRunner.sample(circuit, pub.shots(), profile.noise(), rng, parallelism,
                    memory);
            Map<String, PrimitiveResult.RegisterData> registers = new LinkedHashMap<>();
            for (ClassicalRegister reg : pub.program().classicalRegisters()) {
                registers.put(reg.name(), RegisterTally.tally(record, reg));
            }
            perSet.add(registers);
        }
        return new PrimitiveResult.SamplerPubResult(pub.swept(), pub.shots(), perSet);
    }

    private PrimitiveResult.EstimatorPubResult runEstimator(PreparedPub pub, SplittableRandom rng) {
        int sets = pub.circuits().size();
        int m = pub.observables().size();
        double[][] evs = new double[sets][m];
        double[][] stds = new double[sets][m];
        for (int s = 0; s < sets; s++) {
            StateVector state = CircuitRunner.finalState(pub.circuits().get(s), parallelism);
            for (int o = 0; o < m; o++) {
                double exact = pub.observables().get(o).expectation(state, profile.noise());
                // Shot noise of a QPU run tuned to the requested precision.
                evs[s][o] = exact + gaussian(rng) * pub.precision();
                stds[s][o] = pub.precision();
            }
        }
        return new PrimitiveResult.EstimatorPubResult(pub.swept(), evs, stds, pub.precision(), pub.shots());
    }

    /** Standard normal by Box–Muller (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
