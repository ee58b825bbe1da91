package dev.tcc.ops;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;

/**
 * A reduction over {@code axes} (sorted, non-negative; all axes of the input when it reduces
 * everything). Result dtypes follow numpy: sum/prod of bool or int32 give int64, mean of integers
 * gives float64, argmax/argmin give int64. argmax/argmin take one axis or all (then the index is
 * into the flattened array), as numpy does.
 */
public record Reduce(ReduceKind kind, List<Integer> axes, boolean keepdims) implements Op {
    public Reduce {
        axes = List.copyOf(axes);
    }

    @Override public String name() {
        return kind.lowerName() + "{axes=" + axes + (keepdims ? ", keepdims" : "") + "}";
    }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        TensorType x = in.get(0);
        for (int a : axes) if (a < 0 || a >= x.ndim()) throw new TypeError("axis " + a + " is out of range for " + x);
        if (kind.isArg() && axes.size() != 1 && axes.size() != x.ndim())
            throw new TypeError(kind.lowerName() + " takes one axis or all of them, not " + axes + " (numpy does the same)");
        return List.of(new TensorType(outDtype(x.dtype()), reducedShape(x.shape())));
    }

    public DType outDtype(DType in) {
        switch (kind) {
            case ARGMAX: case ARGMIN: return DType.INT64;
            case MEAN: return in.isFloat() ? in : DType.FLOAT64;
            case SUM: case PROD: return in.isFloat() ? in : DType.INT64;
            default: return in;
        }
    }

    public int[] reducedShape(int[] shape) {
        int[] out = new int[keepdims ? shape.length : shape.length - axes.size()];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (axes.contains(i)) { if (keepdims) out[j++] = 1; }
            else out[j++] = shape[i];
        }
        return out;
    }

    @Override public NDArray[] perform(Node node, NDArray[] inputs) {
        NDArray x = inputs[0];
        int[] shape = x.shape();
        int[] outShape = reducedShape(shape);
        int outSize = Broadcasting.size(outShape);
        int n = x.size();
        boolean[] reduced = new boolean[shape.length];
        for (int a : axes) reduced[a] = true;
        if (n == 0 && (kind == ReduceKind.MAX || kind == ReduceKind.MIN || kind.isArg()) && outSize > 0)
            throw new dev.tcc.TccException(kind.lowerName() + " of an empty array (shape " + TensorType.shapeString(shape)
                    + ") has no identity; numpy refuses it too");
        double[] acc = new double[outSize];
        long[] accLong = new long[outSize];
        long[] argIndex = new long[outSize];
        long[] count = new long[outSize];
        boolean exactInts = !x.dtype().isFloat() && (kind == ReduceKind.SUM || kind == ReduceKind.PROD);
        // Walk the input in C order, keeping the output slot (kept axes) and the position within
        // the reduced sub-array (reduced axes, C order) that each element belongs to.
        int[] idx = new int[shape.length];
        for (int flat = 0; flat < n; flat++) {
            int slot = 0;
            long inner = 0;
            for (int ax = 0; ax < shape.length; ax++) {
                if (reduced[ax]) inner = inner * shape[ax] + idx[ax];
                else slot = slot * shape[ax] + idx[ax];
            }
            double v = x.getFlat(flat);
            long c = count[slot]++;
            switch (kind) {
                case SUM: case MEAN:
                    if (exactInts) accLong[slot] += x.getLongFlat(flat); else acc[slot] += v;
                    break;
                case PROD:
                    if (exactInts) accLong[slot] = (c == 0 ? 1 : accLong[slot]) * x.getLongFlat(flat);
                    else acc[slot] = (c == 0 ? 1 : acc[slot]) * v;
                    break;
                case MAX: case ARGMAX:
                    if (c == 0 || better(v, acc[slot], true)) { acc[slot] = v; argIndex[slot] = inner; }
                    break;
                case MIN: case ARGMIN:
                    if (c == 0 || better(v, acc[slot], false)) { acc[slot] = v; argIndex[slot] = inner; }
                    break;
                default: throw new AssertionError(kind);
            }
            for (int ax = shape.length - 1; ax >= 0; ax--) {
                if (++idx[ax] < shape[ax]) break;
                idx[ax] = 0;
            }
        }
        NDArray out = NDArray.zeros(node.output().dtype(), outShape);
        long groupSize = 1;
        for (int a : axes) groupSize *= shape[a];
        for (int s = 0; s < outSize; s++) {
            switch (kind) {
                case ARGMAX: case ARGMIN: out.setLongFlat(s, argIndex[s]); break;
                case MEAN: out.setFlat(s, (exactInts ? accLong[s] : acc[s]) / (double) groupSize); break;
                case SUM: case PROD:
                    if (exactInts) out.setLongFlat(s, count[s] == 0 && kind == ReduceKind.PROD ? 1 : accLong[s]);
                    else out.setFlat(s, count[s] == 0 && kind == ReduceKind.PROD ? 1 : acc[s]);
                    break;
                default: out.setFlat(s, acc[s]);
            }
        }
        return new NDArray[] {out};
    }

    /** numpy's max/min propagate NaN, and argmax/argmin return the first NaN. */
    private static boolean better(double v, double best, boolean max) {
        if (Double.isNaN(best)) return false;
        if (Double.isNaN(v)) return true;
        return max ? v > best : v < best;
    }
}
