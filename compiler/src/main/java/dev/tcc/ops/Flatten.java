package dev.tcc.ops;

import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;

/** Theano's flatten(x, ndim): keeps the first ndim-1 axes and merges the rest into the last. */
public record Flatten(int ndim) implements Op {
    @Override public String name() { return "flatten{" + ndim + "}"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        TensorType x = in.get(0);
        if (ndim < 1 || ndim > Math.max(1, x.ndim()))
            throw new TypeError("flatten to rank " + ndim + " is not possible for " + x + "; use a rank in [1, " + Math.max(1, x.ndim()) + "]");
        int[] s = x.shape();
        int[] out = new int[ndim];
        System.arraycopy(s, 0, out, 0, ndim - 1);
        long last = 1;
        for (int i = ndim - 1; i < s.length; i++) {
            if (s[i] == TensorType.UNKNOWN) { last = TensorType.UNKNOWN; break; }
            last *= s[i];
        }
        out[ndim - 1] = (int) last;
        return List.of(new TensorType(x.dtype(), out));
    }

    public int[] resolve(int[] s) {
        int[] out = new int[ndim];
        System.arraycopy(s, 0, out, 0, ndim - 1);
        int last = 1;
        for (int i = ndim - 1; i < s.length; i++) last *= s[i];
        out[ndim - 1] = last;
        return out;
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        return new NDArray[] {in[0].copy().reshape(resolve(in[0].shape()))};
    }
}
