package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenBLAS from the bytedeco jar, called on NDArray buffers, against a plain triple loop in double. */
class BlasTest {
    @BeforeAll
    static void needsBlas() {
        assumeTrue(Blas.available(), "OpenBLAS does not load on this platform");
    }

    @Test
    void describesItself() {
        assertTrue(Blas.get().config().startsWith("OpenBLAS"), Blas.get().config());
        assertTrue(Blas.get().threads() >= 1);
    }

    @Test
    void sgemmAllTranspositionsOddSizesAndOffsets() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        for (int trial = 0; trial < 12; trial++) {
            int m = 1 + r.nextInt(37), n = 1 + r.nextInt(41), k = 1 + r.nextInt(53);
            boolean ta = r.nextBoolean(), tb = r.nextBoolean();
            int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
            NDArray a = random(r, DType.FLOAT32, aOff + m * k), b = random(r, DType.FLOAT32, bOff + k * n);
            NDArray c = NDArray.zeros(DType.FLOAT32, cOff + m * n);
            int lda = ta ? m : k, ldb = tb ? k : n;
            Blas.get().sgemm(ta, tb, m, n, k, 1f, a.buffer(), aOff, lda, b.buffer(), bOff, ldb, 0f, c.buffer(), cOff, n);
            double[] want = naive(a, aOff, ta, b, bOff, tb, m, n, k);
            for (int i = 0; i < m * n; i++)
                assertEquals(want[i], c.getFlat(cOff + i), 1e-4 * Math.sqrt(k),
                        "seed " + seed + " trial " + trial + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " at " + i);
            for (int i = 0; i < cOff; i++) assertEquals(0.0, c.getFlat(i), "seed " + seed + ": wrote before the offset");
        }
    }

    /** One row or one column of C: these go to ?gemv (every transposition, alpha and beta, offsets). */
    @Test
    void vectorShapedProductsInBothPrecisions() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        int[][] mnk = {{1, 17, 23}, {19, 1, 23}, {1, 1, 29}, {1, 300, 400}, {300, 1, 400}, {6, 1, 1}, {1, 5, 1}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64})
            for (int[] s : mnk)
                for (int t = 0; t < 4; t++) {
                    int m = s[0], n = s[1], k = s[2];
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int aOff = r.nextInt(4), bOff = r.nextInt(4), cOff = r.nextInt(4);
                    NDArray a = random(r, dt, aOff + m * k), b = random(r, dt, bOff + k * n), c = random(r, dt, cOff + m * n);
                    NDArray c0 = c.copy();
                    int lda = ta ? m : k, ldb = tb ? k : n;
                    if (dt == DType.FLOAT32) Blas.get().sgemm(ta, tb, m, n, k, 0.5f, a.buffer(), aOff, lda, b.buffer(), bOff, ldb, 2f, c.buffer(), cOff, n);
                    else Blas.get().dgemm(ta, tb, m, n, k, 0.5, a.buffer(), aOff, lda, b.buffer(), bOff, ldb, 2.0, c.buffer(), cOff, n);
                    double[] prod = naive(a, aOff, ta, b, bOff, tb, m, n, k);
                    String where = "seed " + seed + " " + dt + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb;
                    for (int i = 0; i < m * n; i++)
                        assertEquals(0.5 * prod[i] + 2 * c0.getFlat(cOff + i), c.getFlat(cOff + i), 1e-4 * Math.sqrt(k), where + " at " + i);
                    for (int i = 0; i < cOff; i++) assertEquals(c0.getFlat(i), c.getFlat(i), where + ": wrote before the offset");
                }
    }

    @Test
    void dgemmIsExactOnSmallIntegers() {
        NDArray a = NDArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        NDArray b = NDArray.of(new double[][] {{7, 8}, {9, 10}, {11, 12}});
        NDArray c = NDArray.zeros(DType.FLOAT64, 2, 2);
        Blas.get().dgemm(false, false, 2, 2, 3, 1.0, a.buffer(), 0, 3, b.buffer(), 0, 2, 0.0, c.buffer(), 0, 2);
        assertEquals(NDArray.of(new double[][] {{58, 64}, {139, 154}}), c);
        // transposed A (3x2 stored, used as its 2x3 transpose)
        NDArray at = NDArray.of(new double[][] {{1, 4}, {2, 5}, {3, 6}});
        Blas.get().dgemm(true, false, 2, 2, 3, 1.0, at.buffer(), 0, 2, b.buffer(), 0, 2, 0.0, c.buffer(), 0, 2);
        assertEquals(NDArray.of(new double[][] {{58, 64}, {139, 154}}), c);
    }

    static NDArray random(SplittableRandom r, DType dt, int n) {
        NDArray a = NDArray.zeros(dt, n);
        for (int i = 0; i < n; i++) a.setFlat(i, r.nextDouble(-1, 1));
        return a;
    }

    static double[] naive(NDArray a, int aOff, boolean ta, NDArray b, int bOff, boolean tb, int m, int n, int k) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = a.getFlat(aOff + (ta ? p * m + i : i * k + p));
                    double bv = b.getFlat(bOff + (tb ? j * k + p : p * n + j));
                    s += av * bv;
                }
                c[i * n + j] = s;
            }
        return c;
    }
}
