package io.kubeqpu.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a job in the shape of Qiskit's {@code PrimitiveResult} (V2 primitives), see
 * docs/simulator.md for the JSON layout.
 */
public final class PrimitiveResult {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per PUB. Sampler: {@code registers}; estimator: {@code evs}/{@code stds}. */
    public sealed interface PubResult permits SamplerPubResult, EstimatorPubResult {
    }

    /**
     * @param registers one entry per parameter set (a single one when the PUB is not swept), each mapping
     *                  register name → its data
     */
    public record SamplerPubResult(boolean swept, int shots, List<Map<String, RegisterData>> registers)
            implements PubResult {
    }

    /**
     * @param counts  bitstring (highest bit left, like {@code BitArray.get_counts()}) → occurrences, sorted by key
     * @param samples per shot in shot order, hex like Qiskit's {@code memory} (e.g. {@code "0x3"})
     */
    public record RegisterData(int numBits, Map<String, Integer> counts, List<String> samples) {
    }

    /** {@code evs[set][observable]}; one set when the PUB is not swept. */
    public record EstimatorPubResult(boolean swept, double[][] evs, double[][] stds, double precision, int shots)
            implements PubResult {
    }

    private final Primitive primitive;
    private final List<PubResult> pubs;
    private final double quantumSeconds;
    private final long seed;

    public PrimitiveResult(Primitive primitive, List<PubResult> pubs, double quantumSeconds, long seed) {
        this.primitive = primitive;
        this.pubs = List.copyOf(pubs);
        this.quantumSeconds = quantumSeconds;
        this.seed = seed;
    }

    public Primitive primitive() {
        return primitive;
    }

    public List<PubResult> pubs() {
        return pubs;
    }

    public double quantumSeconds() {
        return quantumSeconds;
    }

    public long seed() {
        return seed;
    }

    public String toJson() {
        return toJsonNode().toString();
    }

    public ObjectNode toJsonNode() {
        ObjectNode root = JSON.createObjectNode();
        root.put("primitive", primitive.name().toLowerCase());
        root.put("quantumSeconds", quantumSeconds);
        ArrayNode results = root.putArray("results");
        for (PubResult p : pubs) {
            ObjectNode r = results.addObject();
            ObjectNode data = r.putObject("data");
            ObjectNode meta = r.putObject("metadata");
            if (p instanceof SamplerPubResult) {
                writeSampler((SamplerPubResult) p, data, meta);
            } else {
                writeEstimator((EstimatorPubResult) p, data, meta);
            }
        }
        ObjectNode meta = root.putObject("metadata");
        meta.put("version", 2);
        meta.put("seed", seed);
        return root;
    }

    private static void writeSampler(SamplerPubResult p, ObjectNode data, ObjectNode meta) {
        meta.put("shots", p.shots());
        ArrayNode shape = meta.putArray("shape");
        if (p.swept()) {
            shape.add(p.registers().size());
        }
        if (p.registers().isEmpty()) {
            return;
        }
        for (String name : p.registers().get(0).keySet()) {
            ObjectNode reg = data.putObject(name);
            reg.put("num_bits", p.registers().get(0).get(name).numBits());
            if (!p.swept()) {
                RegisterData d = p.registers().get(0).get(name);
                writeCounts(reg.putObject("counts"), d);
                writeSamples(reg.putArray("samples"), d);
                continue;
            }
            ArrayNode counts = reg.putArray("counts");
            ArrayNode samples = reg.putArray("samples");
            for (Map<String, RegisterData> set : p.registers()) {
                writeCounts(counts.addObject(), set.get(name));
                writeSamples(samples.addArray(), set.get(name));
            }
        }
    }

    private static void writeCounts(ObjectNode node, RegisterData d) {
        d.counts().forEach(node::put);
    }

    private static void writeSamples(ArrayNode node, RegisterData d) {
        d.samples().forEach(node::add);
    }

    private static void writeEstimator(EstimatorPubResult p, ObjectNode data, ObjectNode meta) {
        meta.put("target_precision", p.precision());
        meta.put("shots", p.shots());
        ArrayNode shape = meta.putArray("shape");
        if (p.swept()) {
            shape.add(p.evs().length);
        }
        shape.add(p.evs()[0].length);
        if (p.swept()) {
            ArrayNode evs = data.putArray("evs");
            ArrayNode stds = data.putArray("stds");
            for (int i = 0; i < p.evs().length; i++) {
                fill(evs.addArray(), p.evs()[i]);
                fill(stds.addArray(), p.stds()[i]);
            }
        } else {
            fill(data.putArray("evs"), p.evs()[0]);
            fill(data.putArray("stds"), p.stds()[0]);
        }
    }

    private static void fill(ArrayNode node, double[] values) {
        for (double v : values) {
            node.add(v);
        }
    }
}
