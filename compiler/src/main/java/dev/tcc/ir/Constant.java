package dev.tcc.ir;

import dev.tcc.NDArray;
import dev.tcc.Var;

/** A constant tensor in a graph (a literal, a folded expression, an array passed to {@code givens}). */
public final class Constant extends Var {
    private final NDArray value;

    public Constant(NDArray value, Site site) {
        super(new TensorType(value.dtype(), value.shape()), null, -1, null, site);
        this.value = value.copy();
    }

    /** The value; callers must not modify it. */
    public NDArray value() { return value; }

    /** The value if this is a size-1 constant, else NaN; handy for rewrites like {@code x*1 -> x}. */
    public double scalarOrNaN() { return value.size() == 1 ? value.getFlat(0) : Double.NaN; }

    @Override public String toString() {
        return value.size() == 1 ? value.toString() : "constant" + TensorType.shapeString(value.shape());
    }
}
