package dev.tcc;

import java.util.Locale;

/** Element types of tensors. Promotion follows numpy 2 (NEP 50); see {@link #promote}. */
public enum DType {
    BOOL(1, "b1", "bool"),
    INT32(4, "i4", "int32_t"),
    INT64(8, "i8", "int64_t"),
    FLOAT32(4, "f4", "float"),
    FLOAT64(8, "f8", "double");

    /** Bytes per element. */
    public final int size;
    /** numpy's type code without the byte-order character, as in {@code .npy} headers. */
    public final String npyCode;
    /** The C/CUDA C element type. */
    public final String cType;

    DType(int size, String npyCode, String cType) {
        this.size = size;
        this.npyCode = npyCode;
        this.cType = cType;
    }

    public boolean isFloat() { return this == FLOAT32 || this == FLOAT64; }
    public boolean isInteger() { return this == INT32 || this == INT64; }
    public boolean isBool() { return this == BOOL; }

    /** Lower-case numpy name: {@code float32}, {@code int64}, {@code bool}. */
    public String numpyName() { return name().toLowerCase(Locale.ROOT); }

    @Override public String toString() { return numpyName(); }

    /** Parses a numpy-style name ({@code float32}, {@code int64}, {@code bool}), case-insensitive. */
    public static DType parse(String name) {
        for (DType d : values()) if (d.numpyName().equalsIgnoreCase(name) || d.name().equalsIgnoreCase(name)) return d;
        throw new IllegalArgumentException("unknown dtype '" + name + "'; use one of float32, float64, int32, int64, bool");
    }

    /**
     * numpy 2 promotion of two array (strong) dtypes: bool < int32 < int64; any int with float32
     * gives float64 (numpy: int32+float32 -> float64), float32+float32 -> float32.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a == BOOL) return b;
        if (b == BOOL) return a;
        if (a.isInteger() && b.isInteger()) return (a == INT64 || b == INT64) ? INT64 : INT32;
        if (a.isFloat() && b.isFloat()) return FLOAT64;
        return FLOAT64;                     // one integer, one float: numpy gives float64 for int32/int64 with float32
    }

    /**
     * NEP 50: a Java number (weak scalar) combined with an array of dtype {@code strong}.
     * An integral number keeps the array's dtype (bool arrays become int64); a fractional one
     * keeps a float array's dtype and makes an integer or bool array float64.
     */
    public static DType promoteWeak(DType strong, boolean weakIsFloat) {
        if (!weakIsFloat) return strong == BOOL ? INT64 : strong;
        return strong.isFloat() ? strong : FLOAT64;
    }

    /** The float type math functions (exp, log, ...) produce for this input, as numpy does. */
    public DType floatResult() {
        switch (this) {
            case FLOAT32: case FLOAT64: return this;
            case BOOL: return FLOAT32;     // numpy gives float16, which tcc does not have
            default: return FLOAT64;
        }
    }
}
