package dev.tcc.ops;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;
import java.util.stream.IntStream;

/**
 * numpy's dot for vectors and matrices: vector·vector (a scalar), matrix·vector, vector·matrix,
 * matrix·matrix. Integer products accumulate in int64 (exact); floats in double, rounded once.
 */
public record Dot() implements Op {
    @Override public String name() { return "dot"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        TensorType a = in.get(0), b = in.get(1);
        if (a.ndim() == 0 || b.ndim() == 0)
            throw new TypeError("dot of a scalar: use mul (x.mul(y)) to scale a tensor");
        if (a.ndim() > 2 || b.ndim() > 2)
            throw new TypeError("dot takes vectors and matrices, got ranks " + a.ndim() + " and " + b.ndim()
                    + "; use matmul for stacks of matrices");
        int ka = a.size(a.ndim() - 1);
        int kb = b.size(0);
        if (ka != TensorType.UNKNOWN && kb != TensorType.UNKNOWN && ka != kb)
            throw new TypeError("dot: shapes " + TensorType.shapeString(a.shape()) + " and " + TensorType.shapeString(b.shape())
                    + " are not aligned: " + ka + " (last axis of the first) != " + kb + " (first axis of the second); "
                    + "transpose an operand (x.T()) or fix the sizes");
        int[] out;
        if (a.ndim() == 1 && b.ndim() == 1) out = new int[0];
        else if (a.ndim() == 2 && b.ndim() == 1) out = new int[] {a.size(0)};
        else if (a.ndim() == 1) out = new int[] {b.size(1)};
        else out = new int[] {a.size(0), b.size(1)};
        return List.of(new TensorType(DType.promote(a.dtype(), b.dtype()), out));
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        NDArray a = in[0], b = in[1];
        int m = a.ndim() == 2 ? a.shape(0) : 1;
        int k = a.shape(-1);
        int kb = b.shape(0);
        int n = b.ndim() == 2 ? b.shape(1) : 1;
        if (k != kb) throw new dev.tcc.TccException("dot: shapes " + TensorType.shapeString(a.shape()) + " and "
                + TensorType.shapeString(b.shape()) + " are not aligned at run time: " + k + " != " + kb
                + " (operands " + node.input(0).describe() + " and " + node.input(1).describe() + ")");
        double[] c = matmul(a.toDoubleArray(), b.toDoubleArray(), m, k, n);
        return new NDArray[] {NDArray.fromFlat(node.output().dtype(), node.output().type().ndim() == 0 ? new int[0]
                : a.ndim() == 2 && b.ndim() == 2 ? new int[] {m, n} : new int[] {a.ndim() == 2 ? m : n}, c)};
    }

    /** C[m,n] = A[m,k] · B[k,n], row-major, in double. Rows in parallel: this is the interpreter's hot spot. */
    static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        IntStream.range(0, m).parallel().forEach(i -> {
            int ci = i * n;
            for (int p = 0; p < k; p++) {
                double av = a[i * k + p];
                if (av == 0) continue;
                int bp = p * n;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
            }
        });
        return c;
    }
}
