package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.Tcc;
import dev.tcc.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one graph on the CPU backend and on the reference interpreter and compares every output.
 *
 * <h2>Tolerances (documented in docs/cpu-backend.md)</h2>
 * Integers and bools must be equal. Floats: {@code |cpu - interp| <= atol + rtol * |interp|}, NaN
 * matching NaN and infinities matching by sign, with
 * <ul>
 *   <li>float32: rtol = 1e-5, atol = 1e-6 by default. The interpreter rounds each float32 result
 *       once from double; the C kernels compute in float32 with libm or glibc's vector math
 *       (within ~4 ulp = 5e-7 relative per function), and a few chained functions stay well
 *       inside 1e-5.</li>
 *   <li>float64: rtol = 1e-12, atol = 1e-12.</li>
 *   <li>matrix products: OpenBLAS accumulates float32 products in float32 (the interpreter in
 *       double), so products get atol = 1e-6 · k · max|a| · max|b| (float32) on top.</li>
 * </ul>
 * Every random input comes from a {@link SplittableRandom} whose seed is printed on failure; rerun
 * with {@code -Dtcc.test.seed=SEED} to get the same inputs.
 */
final class Differential {
    final long seed;
    final SplittableRandom rng;

    Differential() {
        String fixed = System.getProperty("tcc.test.seed");
        this.seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        this.rng = new SplittableRandom(seed);
    }

    /** A size for a random shape: mostly odd, sometimes 1. */
    int size() {
        int[] sizes = {1, 2, 3, 5, 7, 9, 13, 17, 31};
        return sizes[rng.nextInt(sizes.length)];
    }

    int[] shape(int ndim) {
        int[] s = new int[ndim];
        for (int i = 0; i < ndim; i++) s[i] = size();
        return s;
    }

    NDArray uniform(DType dt, double lo, double hi, int... shape) {
        NDArray a = NDArray.zeros(dt, shape);
        for (int i = 0; i < a.size(); i++) {
            if (dt.isFloat()) a.setFlat(i, rng.nextDouble(lo, hi));
            else if (dt == DType.BOOL) a.setFlat(i, rng.nextBoolean() ? 1 : 0);
            else a.setLongFlat(i, (long) Math.floor(rng.nextDouble(lo, hi)));
        }
        return a;
    }

    NDArray normal(DType dt, int... shape) {
        return uniform(dt, -3, 3, shape);
    }

    /** Tolerances for one comparison. */
    record Tol(double rtol, double atol) {
        static Tol of(DType dt) {
            return dt == DType.FLOAT32 ? new Tol(1e-5, 1e-6) : new Tol(1e-12, 1e-12);
        }

        Tol plusAtol(double more) { return new Tol(rtol, atol + more); }
    }

    /** Builds the function on both backends, calls both with {@code args}, compares every output. */
    List<NDArray> check(String what, List<Var> inputs, List<Var> outputs, List<NDArray> args) {
        return check(what, inputs, outputs, args, null);
    }

    List<NDArray> check(String what, List<Var> inputs, List<Var> outputs, List<NDArray> args, Tol[] tolerances) {
        Function cpu = Tcc.function(what).inputs(inputs).outputs(outputs).backend(Backend.CPU).build();
        Function ref = Tcc.function(what).inputs(inputs).outputs(outputs).backend(Backend.INTERP).build();
        assertEquals(Backend.CPU, cpu.backend());
        return compare(what, cpu, ref, outputs, args, tolerances);
    }

    List<NDArray> compare(String what, Function cpu, Function ref, List<Var> outputs, List<NDArray> args, Tol[] tolerances) {
        Object[] a = args.toArray();
        List<NDArray> got = cpu.call(a);
        List<NDArray> want = ref.call(a);
        for (int i = 0; i < want.size(); i++) {
            Tol tol = tolerances != null && tolerances[i] != null ? tolerances[i] : Tol.of(want.get(i).dtype());
            String label = what + ", output " + i + " (" + outputs.get(i).describe() + ")";
            assertClose(label, want.get(i), got.get(i), tol);
        }
        return got;
    }

    void assertClose(String label, NDArray want, NDArray got, Tol tol) {
        String where = label + " [seed " + seed + "; rerun with -Dtcc.test.seed=" + seed + "]";
        assertEquals(want.dtype(), got.dtype(), where + ": dtype");
        assertArrayEquals(want.shape(), got.shape(), where + ": shape " + Arrays.toString(got.shape()));
        for (int i = 0; i < want.size(); i++) {
            if (!want.dtype().isFloat()) {
                if (want.getLongFlat(i) != got.getLongFlat(i))
                    fail(where + ": element " + i + " is " + got.getLongFlat(i) + ", interpreter says " + want.getLongFlat(i)
                            + "\ncpu:    " + got + "\ninterp: " + want);
                continue;
            }
            double w = want.getFlat(i), g = got.getFlat(i);
            boolean ok = Double.isNaN(w) ? Double.isNaN(g)
                    : Double.isInfinite(w) ? w == g
                    : Math.abs(g - w) <= tol.atol() + tol.rtol() * Math.abs(w);
            if (!ok) fail(where + ": element " + i + " is " + g + ", interpreter says " + w + " (|diff| = " + Math.abs(g - w)
                    + ", allowed " + (tol.atol() + tol.rtol() * Math.abs(w)) + ")\ncpu:    " + got + "\ninterp: " + want);
        }
    }

    static double maxAbs(NDArray a) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.getFlat(i)));
        return m;
    }

    static <T> List<T> list(List<T> a, List<T> b) {
        List<T> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }
}
