package dev.tcc.ops;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;

/**
 * numpy's matmul for stacks of matrices: operands of equal rank ≥ 3, {@code (..., m, k) @ (..., k, n)};
 * batch axes must be equal or statically 1 (then broadcast). Rank ≤ 2 matmul is {@link Dot}.
 */
public record BatchedMatMul() implements Op {
    @Override public String name() { return "matmul"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        TensorType a = in.get(0), b = in.get(1);
        if (a.ndim() != b.ndim() || a.ndim() < 3)
            throw new TypeError("matmul of stacks needs operands of equal rank >= 3, got " + a + " and " + b
                    + "; add leading axes with dimshuffle('x', ...)");
        int nd = a.ndim();
        int ka = a.size(nd - 1), kb = b.size(nd - 2);
        if (ka != TensorType.UNKNOWN && kb != TensorType.UNKNOWN && ka != kb)
            throw new TypeError("matmul: inner sizes differ: " + ka + " != " + kb + " in " + a + " @ " + b);
        List<TensorType> batch = List.of(
                new TensorType(a.dtype(), java.util.Arrays.copyOf(a.shape(), nd - 2)),
                new TensorType(b.dtype(), java.util.Arrays.copyOf(b.shape(), nd - 2)));
        int[] bs = Broadcasting.staticShape(batch);
        int[] out = java.util.Arrays.copyOf(bs, nd);
        out[nd - 2] = a.size(nd - 2);
        out[nd - 1] = b.size(nd - 1);
        return List.of(new TensorType(DType.promote(a.dtype(), b.dtype()), out));
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        NDArray a = in[0], b = in[1];
        int nd = a.ndim();
        int[] as = a.shape(), bs = b.shape();
        int m = as[nd - 2], k = as[nd - 1], n = bs[nd - 1];
        if (bs[nd - 2] != k) throw new dev.tcc.TccException("matmul: inner sizes differ at run time: " + k + " != " + bs[nd - 2]);
        int[] batchA = java.util.Arrays.copyOf(as, nd - 2), batchB = java.util.Arrays.copyOf(bs, nd - 2);
        int[] batch = Broadcasting.runtimeShape(
                List.of(new TensorType(a.dtype(), java.util.Arrays.copyOf(node.input(0).type().shape(), nd - 2)),
                        new TensorType(b.dtype(), java.util.Arrays.copyOf(node.input(1).type().shape(), nd - 2))),
                new int[][] {batchA, batchB}, List.of(node.input(0).describe(), node.input(1).describe()));
        long[] sa = Broadcasting.alignedStrides(batchA, batch), sb = Broadcasting.alignedStrides(batchB, batch);
        double[] ad = a.toDoubleArray(), bd = b.toDoubleArray();
        int nb = Broadcasting.size(batch);
        double[] out = new double[nb * m * n];
        int[] idx = new int[batch.length];
        for (int t = 0; t < nb; t++) {
            long oa = 0, ob = 0;
            for (int ax = 0; ax < batch.length; ax++) { oa += idx[ax] * sa[ax]; ob += idx[ax] * sb[ax]; }
            double[] am = java.util.Arrays.copyOfRange(ad, (int) oa * m * k, (int) (oa + 1) * m * k);
            double[] bm = java.util.Arrays.copyOfRange(bd, (int) ob * k * n, (int) (ob + 1) * k * n);
            System.arraycopy(Dot.matmul(am, bm, m, k, n), 0, out, t * m * n, m * n);
            for (int ax = batch.length - 1; ax >= 0; ax--) { if (++idx[ax] < batch[ax]) break; idx[ax] = 0; }
        }
        int[] outShape = java.util.Arrays.copyOf(batch, nd);
        outShape[nd - 2] = m;
        outShape[nd - 1] = n;
        return new NDArray[] {NDArray.fromFlat(node.output().dtype(), outShape, out)};
    }
}
