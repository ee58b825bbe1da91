package dev.tcc.codegen.program;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The concrete shape of every value for one call, from {@link Program#shapes(List)}. Indexed by
 * value id. A backend computes it once per call (or caches it per input-shape signature) and asks
 * the steps for their launch parameters with it.
 */
public final class Shapes {
    private final int[][] byValue;

    Shapes(int[][] byValue) { this.byValue = byValue; }

    /** The shape of value {@code id}; callers must not modify it. */
    public int[] of(int id) { return byValue[id]; }

    /** Number of elements of value {@code id}. */
    public long size(int id) { return size(byValue[id]); }

    public int count() { return byValue.length; }

    public static long size(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** C-order strides in elements. */
    public static long[] cStrides(int[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]; }
        return st;
    }

    public static List<Integer> boxed(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int x : a) l.add(x);
        return List.copyOf(l);
    }

    public static int[] unboxed(List<Integer> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = l.get(i);
        return a;
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder("Shapes[");
        for (int i = 0; i < byValue.length; i++) b.append(i > 0 ? ", " : "").append(i).append('=').append(Arrays.toString(byValue[i]));
        return b.append(']').toString();
    }
}
