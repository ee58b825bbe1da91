package dev.tcc.ops;

import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;

/**
 * Theano's DimShuffle: reorders axes, inserts broadcastable axes ({@link #NEW_AXIS}, written 'x'),
 * and drops axes of static size 1. {@code pattern.get(i)} is the input axis that becomes output axis i.
 */
public record DimShuffle(List<Integer> pattern, int inputNdim) implements Op {
    public static final int NEW_AXIS = -1;

    public DimShuffle {
        pattern = List.copyOf(pattern);
    }

    public boolean isTranspose() {
        return pattern.size() == inputNdim && !pattern.contains(NEW_AXIS);
    }

    @Override public String name() {
        StringBuilder b = new StringBuilder("dimshuffle{");
        for (int i = 0; i < pattern.size(); i++) b.append(i > 0 ? "," : "").append(pattern.get(i) == NEW_AXIS ? "x" : pattern.get(i).toString());
        return b.append('}').toString();
    }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        TensorType x = in.get(0);
        if (x.ndim() != inputNdim) throw new TypeError("dimshuffle pattern " + pattern + " is for rank " + inputNdim + ", got " + x);
        boolean[] used = new boolean[inputNdim];
        int[] out = new int[pattern.size()];
        for (int i = 0; i < out.length; i++) {
            int p = pattern.get(i);
            if (p == NEW_AXIS) { out[i] = 1; continue; }
            if (p < 0 || p >= inputNdim) throw new TypeError("dimshuffle: axis " + p + " does not exist in " + x);
            if (used[p]) throw new TypeError("dimshuffle: axis " + p + " appears twice in " + pattern);
            used[p] = true;
            out[i] = x.size(p);
        }
        for (int a = 0; a < inputNdim; a++)
            if (!used[a] && x.size(a) != 1) throw new TypeError("dimshuffle " + pattern + " drops axis " + a + " of " + x
                    + ", but only axes of static size 1 can be dropped; reduce it (sum/mean) or keep it in the pattern");
        return List.of(new TensorType(x.dtype(), out));
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        NDArray x = in[0];
        int[] s = x.shape();
        for (int a = 0; a < inputNdim; a++)
            if (!pattern.contains(a) && s[a] != 1) throw new dev.tcc.TccException("dimshuffle drops axis " + a
                    + " of " + node.input(0).describe() + " whose run-time size is " + s[a]);
        long[] inStrides = new long[s.length];
        for (int a = s.length - 1, st = 1; a >= 0; st *= s[a], a--) inStrides[a] = st;
        int[] outShape = new int[pattern.size()];
        long[] strides = new long[pattern.size()];
        for (int i = 0; i < outShape.length; i++) {
            int p = pattern.get(i);
            outShape[i] = p == NEW_AXIS ? 1 : s[p];
            strides[i] = p == NEW_AXIS ? 0 : inStrides[p];
        }
        return new NDArray[] {Strided.gather(x, node.output().dtype(), outShape, strides, 0)};
    }
}
