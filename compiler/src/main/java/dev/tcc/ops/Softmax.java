package dev.tcc.ops;

import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;

/** softmax (or, with {@code log}, log-softmax) along {@code axis}, computed stably (max subtracted). */
public record Softmax(int axis, boolean log) implements Op {
    @Override public String name() { return (log ? "log_softmax" : "softmax") + "{axis=" + axis + "}"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        TensorType x = in.get(0);
        if (axis < 0 || axis >= x.ndim()) throw new TypeError(name() + " needs a tensor with axis " + axis + ", got " + x);
        return List.of(x.withDtype(x.dtype().floatResult()));
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        NDArray x = in[0];
        int[] s = x.shape();
        int outer = 1, len = s[axis], inner = 1;
        for (int a = 0; a < axis; a++) outer *= s[a];
        for (int a = axis + 1; a < s.length; a++) inner *= s[a];
        double[] v = x.toDoubleArray();
        double[] out = new double[v.length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) max = Math.max(max, v[base + j * inner]);
                double sum = 0;
                for (int j = 0; j < len; j++) sum += Math.exp(v[base + j * inner] - max);
                for (int j = 0; j < len; j++) {
                    double d = v[base + j * inner] - max;
                    out[base + j * inner] = log ? d - Math.log(sum) : Math.exp(d) / sum;
                }
            }
        return new NDArray[] {NDArray.fromFlat(node.output().dtype(), s, out)};
    }
}
