package dev.tcc;

import java.util.SplittableRandom;

/**
 * A seeded source of random arrays, like {@code numpy.random.RandomState(seed)} (the numbers
 * differ from numpy's). The same seed and the same sequence of calls always give the same
 * arrays. Not thread-safe.
 */
public final class Rng {
    private final SplittableRandom random;
    /** The second normal of the last Marsaglia pair, used by the next draw. */
    private double spareNormal;
    private boolean hasSpare;

    public Rng(long seed) { this.random = new SplittableRandom(seed); }

    /** Standard normal samples as a {@code Config.get().floatX()} array. */
    public NDArray randn(int... shape) { return randn(Config.get().floatX(), shape); }

    /** Standard normal samples as an array of the float dtype {@code dtype}. */
    public NDArray randn(DType dtype, int... shape) {
        requireFloat(dtype, "randn");
        NDArray a = NDArray.zeros(dtype, shape);
        for (int i = 0; i < a.size(); i++) a.setFlat(i, nextNormal());
        return a;
    }

    /** Samples uniform in [lo, hi) as a {@code Config.get().floatX()} array. */
    public NDArray uniform(double lo, double hi, int... shape) { return uniform(Config.get().floatX(), lo, hi, shape); }

    /** Samples uniform in [lo, hi) as an array of the float dtype {@code dtype}; {@code lo == hi} gives all lo. */
    public NDArray uniform(DType dtype, double lo, double hi, int... shape) {
        requireFloat(dtype, "uniform");
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || hi < lo) {
            throw new IllegalArgumentException("uniform needs finite bounds with lo <= hi, got lo=" + lo + ", hi=" + hi);
        }
        NDArray a = NDArray.zeros(dtype, shape);
        for (int i = 0; i < a.size(); i++) {
            double v;
            // Rounding to float32 (or lo + (hi-lo)*u itself) can land on hi; draw again to stay below it.
            do {
                v = lo + (hi - lo) * random.nextDouble();
                if (dtype == DType.FLOAT32) v = (float) v;
            } while (v >= hi && hi > lo);
            a.setFlat(i, v);
        }
        return a;
    }

    /** Integers uniform in [lo, hi) as an INT64 array. */
    public NDArray randint(long lo, long hi, int... shape) {
        if (hi <= lo) throw new IllegalArgumentException("randint needs lo < hi, got lo=" + lo + ", hi=" + hi);
        NDArray a = NDArray.zeros(DType.INT64, shape);
        for (int i = 0; i < a.size(); i++) a.setLongFlat(i, random.nextLong(lo, hi));
        return a;
    }

    /** One standard normal sample by Marsaglia's polar method, which yields two per accepted pair. */
    private double nextNormal() {
        if (hasSpare) {
            hasSpare = false;
            return spareNormal;
        }
        double u, v, s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareNormal = v * m;
        hasSpare = true;
        return u * m;
    }

    private static void requireFloat(DType dtype, String what) {
        if (!dtype.isFloat()) throw new IllegalArgumentException(what + " makes float32 or float64 arrays, not " + dtype);
    }
}
