package dev.tcc.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.Tcc;
import dev.tcc.Var;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs one graph on a compiled backend (CPU or CUDA) and on the reference interpreter and compares
 * every output; the one harness of the backends' differential tests.
 *
 * <h2>Tolerances (documented in docs/cpu-backend.md and docs/gpu.md)</h2>
 * Integers and bools must be equal. Floats: {@code |got - interp| <= atol + rtol * |interp|}, NaN
 * matching NaN and infinities matching by sign, with
 * <ul>
 *   <li>float32: rtol = 1e-5, atol = 1e-6 by default. The interpreter rounds each float32 result
 *       once from double; kernels compute in float32 with libm, glibc's vector math or CUDA's
 *       math functions (within 1–4 ulp, ≈ 5e-7 relative per function), and a few chained
 *       functions stay well inside 1e-5.</li>
 *   <li>float64: rtol = 1e-12, atol = 1e-12.</li>
 *   <li>matrix products: BLAS and the tiled CUDA GEMM accumulate float32 products in float32 (the
 *       interpreter in double), so tests add atol = 1e-6 · k · max|a| · max|b| for them.</li>
 * </ul>
 * Every random input comes from a {@link SplittableRandom} whose seed is printed on failure; rerun
 * with {@code -Dtcc.test.seed=SEED} to get the same inputs.
 */
public final class Differential {
    public final long seed;
    public final SplittableRandom rng;
    private final Backend backend;

    /** @param backend the backend checked against the interpreter */
    public Differential(Backend backend) {
        this.backend = backend;
        String fixed = System.getProperty("tcc.test.seed");
        this.seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        this.rng = new SplittableRandom(seed);
    }

    /** Tolerances for one comparison. */
    public record Tol(double rtol, double atol) {
        public static Tol of(DType dt) {
            return dt == DType.FLOAT32 ? new Tol(1e-5, 1e-6) : new Tol(1e-12, 1e-12);
        }

        public Tol plusAtol(double more) { return new Tol(rtol, atol + more); }
    }

    /** A size for a random shape: mostly odd, sometimes 1. */
    public int size() {
        int[] sizes = {1, 2, 3, 5, 7, 9, 13, 17, 31};
        return sizes[rng.nextInt(sizes.length)];
    }

    public int[] shape(int ndim) {
        int[] s = new int[ndim];
        for (int i = 0; i < ndim; i++) s[i] = size();
        return s;
    }

    public NDArray uniform(DType dt, double lo, double hi, int... shape) {
        NDArray a = NDArray.zeros(dt, shape);
        for (int i = 0; i < a.size(); i++) {
            if (dt.isFloat()) a.setFlat(i, rng.nextDouble(lo, hi));
            else if (dt == DType.BOOL) a.setFlat(i, rng.nextBoolean() ? 1 : 0);
            else a.setLongFlat(i, (long) Math.floor(rng.nextDouble(lo, hi)));
        }
        return a;
    }

    public NDArray normal(DType dt, int... shape) {
        return uniform(dt, -3, 3, shape);
    }

    /**
     * Builds the function on the backend and on the interpreter, calls both with {@code args},
     * compares every output (a null or missing tolerance: {@link Tol#of} the dtype); returns the
     * backend's outputs.
     */
    public List<NDArray> check(String what, List<Var> inputs, List<Var> outputs, List<NDArray> args, Tol... tolerances) {
        Function f = Tcc.function(what).inputs(inputs).outputs(outputs).backend(backend).build();
        Function ref = Tcc.function(what).inputs(inputs).outputs(outputs).backend(Backend.INTERP).build();
        assertEquals(backend, f.backend());
        return compare(what, f, ref, args, tolerances);
    }

    /** Calls {@code f} and the interpreter's {@code ref} with {@code args} and compares every output. */
    public List<NDArray> compare(String what, Function f, Function ref, List<NDArray> args, Tol... tolerances) {
        Object[] a = args.toArray();
        List<NDArray> got = f.call(a);
        List<NDArray> want = ref.call(a);
        assertEquals(want.size(), got.size(), what + ": number of outputs");
        for (int i = 0; i < want.size(); i++) {
            Tol tol = tolerances != null && tolerances.length > i && tolerances[i] != null ? tolerances[i] : Tol.of(want.get(i).dtype());
            String label = what + ", output " + i + (i < f.outputs().size() ? " (" + f.outputs().get(i).describe() + ")" : "");
            assertClose(label, want.get(i), got.get(i), tol);
        }
        return got;
    }

    public void assertClose(String label, NDArray want, NDArray got, Tol tol) {
        String where = label + " [seed " + seed + "; rerun with -Dtcc.test.seed=" + seed + "]";
        String name = String.format(Locale.ROOT, "%-8s", backend.name().toLowerCase(Locale.ROOT) + ":");
        assertEquals(want.dtype(), got.dtype(), where + ": dtype");
        assertArrayEquals(want.shape(), got.shape(), where + ": shape " + Arrays.toString(got.shape()));
        for (int i = 0; i < want.size(); i++) {
            if (!want.dtype().isFloat()) {
                if (want.getLongFlat(i) != got.getLongFlat(i))
                    fail(where + ": element " + i + " is " + got.getLongFlat(i) + ", the interpreter says " + want.getLongFlat(i)
                            + "\n" + name + got + "\ninterp: " + want);
                continue;
            }
            double w = want.getFlat(i), g = got.getFlat(i);
            boolean ok = Double.isNaN(w) ? Double.isNaN(g)
                    : Double.isInfinite(w) ? w == g
                    : Math.abs(g - w) <= tol.atol() + tol.rtol() * Math.abs(w);
            if (!ok) fail(where + ": element " + i + " is " + g + ", the interpreter says " + w + " (|diff| = " + Math.abs(g - w)
                    + ", allowed " + (tol.atol() + tol.rtol() * Math.abs(w)) + ")\n" + name + got + "\ninterp: " + want);
        }
    }

    public static double maxAbs(NDArray a) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.getFlat(i)));
        return m;
    }
}
