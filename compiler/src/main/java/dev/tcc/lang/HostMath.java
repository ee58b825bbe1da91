package dev.tcc.lang;

import dev.tcc.ops.ScalarOp;

/**
 * Arithmetic on plain numbers in a {@code .graph} file ({@code -1}, {@code 2 * 3}, {@code 1.0 / 3}), with
 * the semantics the symbolic ops have: ints stay ints except for {@code /} (true division, as in
 * numpy); {@code %} takes the divisor's sign; comparisons give booleans.
 */
final class HostMath {
    private HostMath() {}

    static Object binary(ScalarOp op, Number a, Number b) {
        boolean ints = Values.isIntegral(a) && Values.isIntegral(b);
        if (op.isPredicate()) return op.eval(a.doubleValue(), b.doubleValue(), 0) != 0;
        if (op == ScalarOp.MOD && ints && b.longValue() == 0) throw new ArithmeticException("integer modulo by zero");
        if (ints && op != ScalarOp.DIV && !(op == ScalarOp.POW && b.longValue() < 0)) {
            return narrow(op.evalLong(a.longValue(), b.longValue(), 0));
        }
        return op.eval(a.doubleValue(), b.doubleValue(), 0);
    }

    static Number negate(Number a) {
        return Values.isIntegral(a) ? narrow(-a.longValue()) : (Number) (-a.doubleValue());
    }

    static Number narrow(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Number) (int) v : (Number) v;
    }
}
