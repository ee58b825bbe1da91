package dev.tcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void sameSeedSameArrays() {
        Rng a = new Rng(1234), b = new Rng(1234);
        assertEquals(a.randn(3, 4), b.randn(3, 4));
        assertEquals(a.uniform(-1, 1, 5), b.uniform(-1, 1, 5));
        assertEquals(a.randint(0, 10, 7), b.randint(0, 10, 7));
        assertEquals(a.randn(DType.FLOAT64, 3), b.randn(DType.FLOAT64, 3));
        assertNotEquals(new Rng(1).randn(10), new Rng(2).randn(10));
        Rng c = new Rng(5);
        assertNotEquals(c.randn(10), c.randn(10), "successive draws differ");
    }

    @Test
    void floatArraysFollowFloatX() {
        Rng r = new Rng(0);
        assertEquals(DType.FLOAT32, r.randn(2).dtype());
        assertEquals(DType.FLOAT32, r.uniform(0, 1, 2).dtype());
        assertArrayEquals(new int[] {2, 3, 4}, r.randn(2, 3, 4).shape());
        assertEquals(0, r.randn().ndim());
        assertEquals(0, r.randn(0, 5).size());
        DType old = Config.get().floatX();
        try {
            Config.get().floatX(DType.FLOAT64);
            assertEquals(DType.FLOAT64, r.randn(2).dtype());
            assertEquals(DType.FLOAT64, r.uniform(0, 1, 2).dtype());
        } finally {
            Config.get().floatX(old);
        }
        assertEquals(DType.FLOAT64, r.randn(DType.FLOAT64, 2).dtype());
        assertEquals(DType.FLOAT64, r.uniform(DType.FLOAT64, 0, 1, 2).dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.randn(DType.INT32, 2));
        assertTrue(e.getMessage().contains("int32"), e.getMessage());
    }

    @Test
    void randnIsStandardNormal() {
        double[] v = new Rng(42).randn(DType.FLOAT64, 200_000).toDoubleArray();
        double mean = 0, sq = 0;
        int within1 = 0;
        for (double x : v) {
            mean += x;
            sq += x * x;
            if (Math.abs(x) < 1) within1++;
        }
        mean /= v.length;
        double var = sq / v.length - mean * mean;
        assertEquals(0, mean, 0.01);
        assertEquals(1, var, 0.02);
        assertEquals(0.6827, within1 / (double) v.length, 0.01);
    }

    @Test
    void uniformStaysInRange() {
        double[] v = new Rng(7).uniform(-2, 3, 100_000).toDoubleArray();
        double mean = 0;
        for (double x : v) {
            assertTrue(x >= -2 && x < 3, "out of range: " + x);
            mean += x;
        }
        assertEquals(0.5, mean / v.length, 0.03);
        // float32 rounding must not produce the upper bound
        for (double x : new Rng(3).uniform(1, 1 + 1e-7, 10_000).toDoubleArray()) assertTrue(x >= 1 && x < 1 + 1e-7, "" + x);
        assertArrayEquals(new double[] {4, 4}, new Rng(1).uniform(4, 4, 2).toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> new Rng(1).uniform(1, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Rng(1).uniform(0, Double.POSITIVE_INFINITY, 2));
    }

    @Test
    void randintIsInt64InHalfOpenRange() {
        NDArray a = new Rng(9).randint(-3, 4, 10_000);
        assertEquals(DType.INT64, a.dtype());
        boolean[] seen = new boolean[7];
        for (long x : a.toLongArray()) {
            assertTrue(x >= -3 && x < 4, "out of range: " + x);
            seen[(int) (x + 3)] = true;
        }
        for (boolean s : seen) assertTrue(s, "every value in [lo, hi) should appear");
        long big = 1L << 60;
        for (long x : new Rng(9).randint(big, big + 2, 100).toLongArray()) assertTrue(x == big || x == big + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Rng(1).randint(5, 5, 2));
        assertTrue(e.getMessage().contains("lo=5") && e.getMessage().contains("hi=5"), e.getMessage());
    }
}
