package io.kubeqpu.simulator;

import io.kubeqpu.simulator.engine.ShotRecord;
import io.kubeqpu.simulator.qasm.QasmProgram.ClassicalRegister;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns per-shot classical bits into one register's counts and hex samples. */
final class RegisterTally {
    private RegisterTally() {
    }

    static PrimitiveResult.RegisterData tally(ShotRecord record, ClassicalRegister reg) {
        List<String> samples = new ArrayList<>(record.shots());
        Map<String, Integer> counts = new TreeMap<>();
        if (reg.size() <= 63) {
            Map<Long, Integer> byValue = new HashMap<>();
            for (int s = 0; s < record.shots(); s++) {
                long v = 0;
                for (int b = 0; b < reg.size(); b++) {
                    if (record.get(s, reg.offset() + b)) {
                        v |= 1L << b;
                    }
                }
                samples.add("0x" + Long.toHexString(v));
                byValue.merge(v, 1, Integer::sum);
            }
            byValue.forEach((v, n) -> counts.put(bitstring(v, reg.size()), n));
        } else {
            for (int s = 0; s < record.shots(); s++) {
                StringBuilder bits = new StringBuilder(reg.size());
                for (int b = reg.size() - 1; b >= 0; b--) {
                    bits.append(record.get(s, reg.offset() + b) ? '1' : '0');
                }
                String key = bits.toString();
                samples.add("0x" + new BigInteger(key, 2).toString(16));
                counts.merge(key, 1, Integer::sum);
            }
        }
        return new PrimitiveResult.RegisterData(reg.size(), counts, samples);
    }

    /** Highest bit on the left, padded to the register width. */
    static String bitstring(long value, int width) {
        String s = Long.toBinaryString(value);
        return "0".repeat(width - s.length()) + s;
    }
}
