package dev.tcc.ops;

import dev.tcc.ir.TypeError;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Axis arguments: negative axes count from the end, like numpy. */
public final class Axes {
    private Axes() {}

    public static int normalize(int axis, int ndim) {
        int a = axis < 0 ? axis + ndim : axis;
        if (a < 0 || a >= ndim) throw new TypeError("axis " + axis + " is out of range for a tensor of rank " + ndim
                + (ndim == 0 ? " (a scalar has no axes)" : "; use an axis in [" + (-ndim) + ", " + (ndim - 1) + "]"));
        return a;
    }

    /** Sorted, distinct, non-negative axes; {@code null} or empty means all axes. */
    public static List<Integer> normalizeAll(int[] axes, int ndim) {
        TreeSet<Integer> set = new TreeSet<>();
        if (axes == null || axes.length == 0) {
            for (int i = 0; i < ndim; i++) set.add(i);
        } else {
            for (int a : axes) {
                if (!set.add(normalize(a, ndim))) throw new TypeError("axis " + a + " is repeated in " + java.util.Arrays.toString(axes));
            }
        }
        return List.copyOf(new ArrayList<>(set));
    }
}
