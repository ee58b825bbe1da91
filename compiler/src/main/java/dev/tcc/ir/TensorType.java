package dev.tcc.ir;

import dev.tcc.DType;
import java.util.Arrays;

/**
 * A tensor's static type: element dtype and, per dimension, a known size or {@link #UNKNOWN}.
 * Like PyTensor's TensorType, a static size of 1 means "broadcastable": only such axes are
 * stretched by broadcasting; an axis of unknown size must match the other operands at run time.
 */
public final class TensorType {
    public static final int UNKNOWN = -1;

    private final DType dtype;
    private final int[] shape;

    public TensorType(DType dtype, int... shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
        for (int s : shape) if (s < UNKNOWN) throw new IllegalArgumentException("bad static size " + s);
    }

    public static TensorType unknownShape(DType dtype, int ndim) {
        int[] s = new int[ndim];
        Arrays.fill(s, UNKNOWN);
        return new TensorType(dtype, s);
    }

    public DType dtype() { return dtype; }
    public int ndim() { return shape.length; }
    public int[] shape() { return shape.clone(); }
    public int size(int axis) { return shape[axis]; }
    /** Whether {@code other} has the same static shape (dtypes aside); no copy, unlike comparing {@link #shape()}s. */
    public boolean sameShape(TensorType other) { return Arrays.equals(shape, other.shape); }
    public boolean broadcastable(int axis) { return shape[axis] == 1; }
    public boolean fullyKnown() { for (int s : shape) if (s == UNKNOWN) return false; return true; }

    public TensorType withDtype(DType d) { return new TensorType(d, shape); }

    /** Whether a runtime array of this shape fits the type. */
    public boolean accepts(int[] runtimeShape) {
        if (runtimeShape.length != shape.length) return false;
        for (int i = 0; i < shape.length; i++) if (shape[i] != UNKNOWN && shape[i] != runtimeShape[i]) return false;
        return true;
    }

    @Override public boolean equals(Object o) {
        return o instanceof TensorType t && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override public int hashCode() { return dtype.hashCode() * 31 + Arrays.hashCode(shape); }

    /** Like PyTensor: {@code float32(?, 300)}; a scalar is {@code float32()}. */
    @Override public String toString() {
        StringBuilder b = new StringBuilder(dtype.numpyName()).append('(');
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) b.append(", ");
            b.append(shape[i] == UNKNOWN ? "?" : Integer.toString(shape[i]));
        }
        return b.append(')').toString();
    }

    public static String shapeString(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) b.append(", ");
            b.append(shape[i] == UNKNOWN ? "?" : Integer.toString(shape[i]));
        }
        if (shape.length == 1) b.append(',');
        return b.append(')').toString();
    }
}
