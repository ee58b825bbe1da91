package dev.tcc.grad;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Var;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Helpers for the gradient tests: seeded random points and GradCheck with the seed in every failure. */
final class GradTesting {
    private GradTesting() {}

    /** Base seed; override with -Dtcc.seed=N to explore other points. */
    static final long BASE_SEED = Long.getLong("tcc.seed", 20240611L);

    /** A seed per test case, stable across runs and independent of test order. */
    static long seed(String caseName) { return BASE_SEED * 0x9E3779B97F4A7C15L + caseName.hashCode(); }

    static NDArray uniform(SplittableRandom r, DType d, double lo, double hi, int... shape) {
        NDArray a = NDArray.zeros(d, shape);
        for (int i = 0; i < a.size(); i++) a.setFlat(i, lo + (hi - lo) * r.nextDouble());
        return a;
    }

    /** Magnitudes in [lo, hi], random signs: keeps points away from kinks at 0. */
    static NDArray awayFromZero(SplittableRandom r, DType d, double lo, double hi, int... shape) {
        NDArray a = uniform(r, d, lo, hi, shape);
        for (int i = 0; i < a.size(); i++) if (r.nextBoolean()) a.setFlat(i, -a.getFlat(i));
        return a;
    }

    /** Runs GradCheck on a point drawn from the case's seed; any failure names the case and the seed. */
    static GradCheck.Report check(String name, Function<SplittableRandom, List<NDArray>> point,
                                  Function<List<Var>, Var> f, GradCheck.Options options) {
        long seed = seed(name);
        try {
            return GradCheck.verify(f, point.apply(new SplittableRandom(seed)), seed, options);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(name + " failed with seed " + seed + " (rerun with -Dtcc.seed=" + BASE_SEED + "): " + e.getMessage(), e);
        }
    }

    static GradCheck.Report check(String name, Function<SplittableRandom, List<NDArray>> point, Function<List<Var>, Var> f) {
        return check(name, point, f, GradCheck.Options.defaults());
    }

    static String shape(int... s) { return java.util.Arrays.toString(s); }
}
