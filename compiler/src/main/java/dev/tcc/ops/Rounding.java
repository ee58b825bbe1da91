package dev.tcc.ops;

import dev.tcc.DType;

/** Conversions of a computed value to a result dtype, matching NDArray's storage conversions. */
public final class Rounding {
    private Rounding() {}

    public static double toFloat(double v, DType d) {
        return d == DType.FLOAT32 ? (double) (float) v : v;
    }

    /** C-cast semantics: truncation toward zero for integers, v != 0 for bool. */
    public static long toLong(double v, DType d) {
        switch (d) {
            case BOOL: return v != 0 ? 1 : 0;
            case INT32: return (int) (long) v;
            default: return (long) v;
        }
    }

    public static long wrap(long v, DType d) {
        switch (d) {
            case BOOL: return v != 0 ? 1 : 0;
            case INT32: return (int) v;
            default: return v;
        }
    }
}
