package io.kubeqpu.simulator.qasm;

import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/** OpenQASM 3's built-in real functions (and the OpenQASM 2 names Qiskit's older exports use). */
final class Functions {
    private static final Map<String, DoubleUnaryOperator> UNARY = Map.ofEntries(
            Map.entry("sin", Math::sin), Map.entry("cos", Math::cos), Map.entry("tan", Math::tan),
            Map.entry("arcsin", Math::asin), Map.entry("arccos", Math::acos), Map.entry("arctan", Math::atan),
            Map.entry("asin", Math::asin), Map.entry("acos", Math::acos), Map.entry("atan", Math::atan),
            Map.entry("exp", Math::exp), Map.entry("log", Math::log), Map.entry("ln", Math::log),
            Map.entry("sqrt", Math::sqrt), Map.entry("ceiling", Math::ceil), Map.entry("floor", Math::floor));

    private Functions() {
    }

    static DoubleUnaryOperator unary(String name) {
        return UNARY.get(name);
    }

    static boolean isFunction(String name) {
        return UNARY.containsKey(name) || name.equals("mod") || name.equals("popcount") || name.equals("rotl")
                || name.equals("rotr");
    }
}
