package dev.tcc.backend.cuda;

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
import java.util.SplittableRandom;

/**
 * Runs one graph on the CUDA backend and on the reference interpreter and compares every output.
 * Integers and bools must be equal; floats {@code |cuda - interp| <= atol + rtol·|interp|}, NaN
 * matching NaN and infinities by sign. float32: rtol 1e-5, atol 1e-6 (CUDA's single-precision
 * math functions are within 1 to 4 ulp, ~5e-7 relative; the interpreter rounds once from double);
 * float64: rtol 1e-12, atol 1e-12. Matrix products add {@code 1e-6·k·max|a|·max|b|} (float32) to
 * atol, since a tiled GEMM accumulates in float32 in another order. Random inputs come from a
 * {@link SplittableRandom} whose seed is printed on failure ({@code -Dtcc.test.seed=SEED} repeats it).
 */
final class CudaDifferential {
    final long seed;
    final SplittableRandom rng;

    CudaDifferential() {
        String fixed = System.getProperty("tcc.test.seed");
        this.seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        this.rng = new SplittableRandom(seed);
    }

    record Tol(double rtol, double atol) {
        static Tol of(DType dt) { return dt == DType.FLOAT32 ? new Tol(1e-5, 1e-6) : new Tol(1e-12, 1e-12); }

        Tol plusAtol(double more) { return new Tol(rtol, atol + more); }
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

    /** Builds the function for CUDA and for the interpreter, calls both, compares; returns CUDA's outputs. */
    List<NDArray> check(String what, List<Var> inputs, List<Var> outputs, List<NDArray> args, Tol... tolerances) {
        Function cuda = Tcc.function(what).inputs(inputs).outputs(outputs).backend(Backend.CUDA).build();
        Function ref = Tcc.function(what).inputs(inputs).outputs(outputs).backend(Backend.INTERP).build();
        assertEquals(Backend.CUDA, cuda.backend());
        return compare(what, cuda, ref, args, tolerances);
    }

    List<NDArray> compare(String what, Function cuda, Function ref, List<NDArray> args, Tol... tolerances) {
        Object[] a = args.toArray();
        List<NDArray> got = cuda.call(a);
        List<NDArray> want = ref.call(a);
        assertEquals(want.size(), got.size(), what + ": number of outputs");
        for (int i = 0; i < want.size(); i++) {
            Tol tol = tolerances.length > i && tolerances[i] != null ? tolerances[i] : Tol.of(want.get(i).dtype());
            assertClose(what + ", output " + i, want.get(i), got.get(i), tol);
        }
        return got;
    }

    void assertClose(String label, NDArray want, NDArray got, Tol tol) {
        String where = label + " [seed " + seed + "; rerun with -Dtcc.test.seed=" + seed + "]";
        assertEquals(want.dtype(), got.dtype(), where + ": dtype");
        assertArrayEquals(want.shape(), got.shape(), where + ": shape " + Arrays.toString(got.shape()));
        for (int i = 0; i < want.size(); i++) {
            if (!want.dtype().isFloat()) {
                if (want.getLongFlat(i) != got.getLongFlat(i)) {
                    fail(where + ": element " + i + " is " + got.getLongFlat(i) + ", the interpreter says " + want.getLongFlat(i)
                            + "\ncuda:   " + got + "\ninterp: " + want);
                }
                continue;
            }
            double w = want.getFlat(i), g = got.getFlat(i);
            boolean ok = Double.isNaN(w) ? Double.isNaN(g)
                    : Double.isInfinite(w) ? w == g
                    : Math.abs(g - w) <= tol.atol() + tol.rtol() * Math.abs(w);
            if (!ok) {
                fail(where + ": element " + i + " is " + g + ", the interpreter says " + w + " (|diff| = " + Math.abs(g - w)
                        + ", allowed " + (tol.atol() + tol.rtol() * Math.abs(w)) + ")\ncuda:   " + got + "\ninterp: " + want);
            }
        }
    }

    static double maxAbs(NDArray a) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.getFlat(i)));
        return m;
    }
}
