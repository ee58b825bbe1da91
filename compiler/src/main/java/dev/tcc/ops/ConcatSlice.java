package dev.tcc.ops;

import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import java.util.List;

/**
 * The part of a concatenation's result that came from operand {@code index}: inputs are the
 * concatenated tensor followed by the original operands (whose run-time sizes locate the part).
 * The gradient of {@link Concatenate} is made of these.
 */
public record ConcatSlice(int axis, int index) implements Op {
    @Override public String name() { return "concat_slice{axis=" + axis + ", part=" + index + "}"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        TensorType whole = in.get(0), part = in.get(1 + index);
        return List.of(new TensorType(whole.dtype(), part.shape()));
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        NDArray whole = in[0];
        int[] shape = whole.shape();
        int start = 0;
        for (int k = 0; k < index; k++) start += in[1 + k].shape(axis);
        int[] outShape = shape.clone();
        outShape[axis] = in[1 + index].shape(axis);
        long[] strides = new long[shape.length];
        for (int a = shape.length - 1, st = 1; a >= 0; st *= shape[a], a--) strides[a] = st;
        return new NDArray[] {Strided.gather(whole, node.output().dtype(), outShape, strides, start * strides[axis])};
    }
}
