package dev.tcc.ops;

import dev.tcc.TccException;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;

/**
 * numpy broadcasting, with PyTensor's rule for what may stretch: an axis stretches only if its
 * static size is 1 (a missing leading axis counts as such). An axis of unknown static size must
 * equal the result's size at run time. This keeps gradients exact (the gradient of a stretched
 * operand is summed over exactly the axes its type says) and lets kernels be specialised statically.
 */
public final class Broadcasting {
    private Broadcasting() {}

    /** The static result shape of broadcasting these types; a {@link TypeError} when sizes clash. */
    public static int[] staticShape(List<TensorType> types) {
        int nd = 0;
        for (TensorType t : types) nd = Math.max(nd, t.ndim());
        int[] out = new int[nd];
        for (int i = 0; i < nd; i++) {
            int known = 1;               // a known size other than 1, if any
            boolean unknown = false;
            for (TensorType t : types) {
                int ax = t.ndim() - nd + i;
                if (ax < 0) continue;
                int s = t.size(ax);
                if (s == TensorType.UNKNOWN) unknown = true;
                else if (s != 1) {
                    if (known != 1 && known != s) throw new TypeError(
                            "shapes " + shapes(types) + " cannot be broadcast together: axis " + i
                                    + " has sizes " + known + " and " + s
                                    + "; make the sizes equal, or give one operand size 1 there (dimshuffle with 'x')");
                    known = s;
                }
            }
            out[i] = known != 1 ? known : unknown ? TensorType.UNKNOWN : 1;
        }
        return out;
    }

    /** The run-time result shape; refuses to stretch an axis whose static size is not 1. */
    public static int[] runtimeShape(List<TensorType> types, int[][] shapes, List<String> names) {
        int nd = 0;
        for (int[] s : shapes) nd = Math.max(nd, s.length);
        int[] out = new int[nd];
        java.util.Arrays.fill(out, 1);
        for (int[] s : shapes)
            for (int ax = 0; ax < s.length; ax++) {
                int i = nd - s.length + ax;
                if (s[ax] != 1) out[i] = s[ax];
            }
        for (int k = 0; k < shapes.length; k++) {
            int[] s = shapes[k];
            for (int ax = 0; ax < s.length; ax++) {
                int i = nd - s.length + ax;
                if (s[ax] == out[i]) continue;
                boolean stretchable = s[ax] == 1 && types.get(k).size(ax) == 1;
                if (s[ax] != 1) throw new TccException("shapes " + runtimeShapes(shapes) + " cannot be broadcast together: axis "
                        + i + " has sizes " + out[i] + " and " + s[ax] + " (operand " + names.get(k) + ")");
                if (!stretchable) throw new TccException("operand " + names.get(k) + " has size 1 on axis " + ax
                        + " where the result has " + out[i] + ", but its type " + types.get(k)
                        + " does not mark that axis broadcastable; tcc stretches only axes whose static size is 1: "
                        + "use T.row/T.col, dimshuffle with 'x', or a tensor type with size 1 there");
            }
        }
        return out;
    }

    private static String shapes(List<TensorType> types) {
        StringBuilder b = new StringBuilder();
        for (TensorType t : types) b.append(b.length() == 0 ? "" : " and ").append(TensorType.shapeString(t.shape()));
        return b.toString();
    }

    private static String runtimeShapes(int[][] shapes) {
        StringBuilder b = new StringBuilder();
        for (int[] s : shapes) b.append(b.length() == 0 ? "" : " and ").append(TensorType.shapeString(s));
        return b.toString();
    }

    /** C-order strides (in elements) of an operand aligned to the result's rank, 0 on stretched axes. */
    public static long[] alignedStrides(int[] operand, int[] result) {
        long[] strides = new long[result.length];
        long stride = 1;
        for (int ax = operand.length - 1; ax >= 0; ax--) {
            int i = result.length - operand.length + ax;
            strides[i] = operand[ax] == 1 && result[i] != 1 ? 0 : stride;
            stride *= operand[ax];
        }
        return strides;
    }

    public static int size(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n > Integer.MAX_VALUE) throw new TccException("array of shape " + TensorType.shapeString(shape) + " is too large (more than 2^31-1 elements)");
        return (int) n;
    }
}
