package dev.tcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NDArrayTest {

    @Test
    void wrapUsesTheBufferItselfAndChecksIt() {
        ByteBuffer mem = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        mem.putFloat(4, 2.5f);
        NDArray a = NDArray.wrap(DType.FLOAT32, new int[] {2, 3}, mem);
        assertEquals(2.5, a.getDouble(0, 1));
        a.setFlat(5, -1);
        assertEquals(-1f, mem.getFloat(20), "writes go to the wrapped memory");
        assertEquals(24, a.byteSize());
        assertThrows(IllegalArgumentException.class, () -> NDArray.wrap(DType.FLOAT32, new int[] {5}, ByteBuffer.allocate(64)));
        assertThrows(IllegalArgumentException.class, () -> NDArray.wrap(DType.FLOAT64, new int[] {9}, mem));
    }

    private static double[] range(int n) { return IntStream.range(0, n).asDoubleStream().toArray(); }

    @Test
    void factoriesSetDtypeShapeAndValues() {
        NDArray z = NDArray.zeros(DType.FLOAT32, 2, 3);
        assertEquals(DType.FLOAT32, z.dtype());
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertEquals(2, z.ndim());
        assertEquals(6, z.size());
        assertEquals(24, z.byteSize());
        assertArrayEquals(new double[6], z.toDoubleArray());

        assertArrayEquals(new double[] {1, 1, 1, 1}, NDArray.ones(DType.INT64, 4).toDoubleArray());
        assertArrayEquals(new double[] {2.5, 2.5}, NDArray.full(DType.FLOAT64, 2.5, 2).toDoubleArray());
        assertArrayEquals(new double[] {2, 2}, NDArray.full(DType.INT32, 2.9, 2).toDoubleArray());
        assertArrayEquals(new double[] {0, 0}, NDArray.empty(DType.FLOAT64, 1, 2).toDoubleArray());
        assertEquals(1, NDArray.empty(DType.BOOL, 2).byteSize() / 2);

        NDArray s = NDArray.scalar(3.5);
        assertEquals(DType.FLOAT64, s.dtype());
        assertEquals(0, s.ndim());
        assertEquals(1, s.size());
        assertEquals(3.5, s.getDouble());
        assertEquals(3.5, s.scalar());
        NDArray si = NDArray.scalar(DType.INT32, -2.7);
        assertEquals(DType.INT32, si.dtype());
        assertEquals(-2, si.scalar());
        assertEquals(1.0, NDArray.scalar(DType.BOOL, 0.25).scalar());
        assertEquals(0, NDArray.zeros(DType.FLOAT32).ndim());
    }

    @Test
    void ofArraysKeepsTheirJavaTypes() {
        NDArray d = NDArray.of(new double[] {1, 2.5});
        assertEquals(DType.FLOAT64, d.dtype());
        assertArrayEquals(new int[] {2}, d.shape());
        NDArray f = NDArray.of(new float[] {1.5f});
        assertEquals(DType.FLOAT32, f.dtype());
        assertEquals(1.5, f.getDouble(0));
        NDArray m = NDArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[] {2, 3}, m.shape());
        assertEquals(6.0, m.getDouble(1, 2));
        assertEquals(4.0, m.getDouble(-1, 0));
        NDArray mf = NDArray.of(new float[][] {{1, 2}, {3, 4}});
        assertEquals(DType.FLOAT32, mf.dtype());
        assertArrayEquals(new float[] {1, 2, 3, 4}, mf.toFloatArray());
        assertArrayEquals(new int[] {0, 0}, NDArray.of(new double[0][]).shape());

        NDArray i = NDArray.of(new int[] {1, -2});
        assertEquals(DType.INT32, i.dtype());
        NDArray l = NDArray.of(new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        assertEquals(DType.INT64, l.dtype());
        assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MIN_VALUE}, l.toLongArray());
        NDArray b = NDArray.of(new boolean[] {true, false});
        assertEquals(DType.BOOL, b.dtype());
        assertEquals(2, b.byteSize());
        assertArrayEquals(new double[] {1, 0}, b.toDoubleArray());
    }

    @Test
    void raggedRowsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.of(new double[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("row 1 has 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NDArray.of(new float[][] {{1}, {2, 3}}));
        assertThrows(IllegalArgumentException.class, () -> NDArray.of(new double[][] {{1}, null}));
    }

    @Test
    void shapesAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(DType.FLOAT32, 2, -1));
        assertTrue(e.getMessage().contains("(2, -1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(DType.FLOAT64, 1 << 20, 1 << 20));
        NDArray empty = NDArray.zeros(DType.FLOAT32, 3, 0, 2);
        assertEquals(0, empty.size());
        assertEquals(0, empty.byteSize());
        assertEquals(0, empty.toDoubleArray().length);
        assertEquals(2, empty.shape(-1));
        assertEquals(3, empty.shape(0));
        assertThrows(IllegalArgumentException.class, () -> empty.shape(3));
        assertThrows(IllegalArgumentException.class, () -> empty.shape(-4));
        int[] s = empty.shape();
        s[0] = 99;
        assertEquals(3, empty.shape(0), "shape() must return a copy");
    }

    @Test
    void fromFlatConvertsLikeACast() {
        double[] v = {1.7, -1.7, 0.1, 0, Double.NaN, 3e9};
        assertArrayEquals(new double[] {1, -1, 0, 0, 0, Integer.MAX_VALUE},
                NDArray.fromFlat(DType.INT32, new int[] {6}, v).toDoubleArray());
        assertArrayEquals(new long[] {1, -1, 0, 0, 0, 3_000_000_000L},
                NDArray.fromFlat(DType.INT64, new int[] {6}, v).toLongArray());
        assertArrayEquals(new double[] {1, 1, 1, 0, 1, 1},
                NDArray.fromFlat(DType.BOOL, new int[] {6}, v).toDoubleArray());
        NDArray f = NDArray.fromFlat(DType.FLOAT32, new int[] {2, 3}, v);
        assertEquals((double) 0.1f, f.getDouble(0, 2));
        assertTrue(Double.isNaN(f.getFlat(4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.fromFlat(DType.FLOAT32, new int[] {2, 2}, v));
        assertTrue(e.getMessage().contains("(2, 2)"), e.getMessage());
    }

    @Test
    void elementAccessIsBoundsChecked() {
        NDArray a = NDArray.fromFlat(DType.FLOAT64, new int[] {2, 3}, range(6));
        assertEquals(5.0, a.getDouble(1, 2));
        assertEquals(5.0, a.getDouble(-1, -1));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.getDouble(2, 0));
        assertTrue(e.getMessage().contains("(2, 0)") && e.getMessage().contains("(2, 3)"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> a.getDouble(1));
        assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.getFlat(6));
        assertThrows(IndexOutOfBoundsException.class, () -> a.setFlat(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> NDArray.scalar(1).getDouble(0));

        a.setFlat(4, 9.5);
        assertEquals(9.5, a.getDouble(1, 1));
        IllegalStateException s = assertThrows(IllegalStateException.class, a::scalar);
        assertTrue(s.getMessage().contains("(2, 3)"), s.getMessage());
        assertEquals(7.0, NDArray.full(DType.FLOAT32, 7, 1, 1).scalar());
    }

    @Test
    void longAccessIsExactForInt64() {
        NDArray a = NDArray.zeros(DType.INT64, 2);
        long big = (1L << 53) + 1;
        a.setLongFlat(0, big);
        assertEquals(big, a.getLongFlat(0));
        assertEquals(big, a.toLongArray()[0]);
        NDArray f = NDArray.of(new double[] {-2.9});
        assertEquals(-2, f.getLongFlat(0));
        NDArray i = NDArray.zeros(DType.INT32, 1);
        i.setLongFlat(0, (1L << 32) + 5);                 // wraps like a C cast
        assertEquals(5, i.getLongFlat(0));
        NDArray b = NDArray.zeros(DType.BOOL, 1);
        b.setLongFlat(0, 42);
        assertEquals(1, b.getLongFlat(0));
    }

    @Test
    void astypeConverts() {
        NDArray a = NDArray.of(new double[] {1.5, -2.5, 0});
        NDArray i = a.astype(DType.INT32);
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new double[] {1, -2, 0}, i.toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 0}, a.astype(DType.BOOL).toDoubleArray());
        assertArrayEquals(new float[] {1.5f, -2.5f, 0f}, a.astype(DType.FLOAT32).toFloatArray());
        long big = (1L << 62) + 1;
        NDArray l = NDArray.of(new long[] {big});
        assertEquals(big, l.astype(DType.INT64).getLongFlat(0));
        assertEquals((float) big, l.astype(DType.FLOAT32).toFloatArray()[0]);
        NDArray same = a.astype(DType.FLOAT64);
        same.setFlat(0, 99);
        assertEquals(1.5, a.getFlat(0), "astype returns a new array");
    }

    @Test
    void copyReshapeAndCopyFrom() {
        NDArray a = NDArray.fromFlat(DType.FLOAT32, new int[] {2, 3}, range(6));
        NDArray c = a.copy();
        assertEquals(a, c);
        c.setFlat(0, 42);
        assertEquals(0.0, a.getFlat(0));

        NDArray r = a.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, r.shape());
        assertEquals(a.getDouble(1, 0), r.getDouble(1, 1));
        assertArrayEquals(new int[] {6}, a.reshape(-1).shape());
        assertArrayEquals(new int[] {}, NDArray.zeros(DType.INT32, 1, 1).reshape().shape());
        assertArrayEquals(new int[] {0, 5}, NDArray.zeros(DType.INT32, 5, 0).reshape(0, 5).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.reshape(4, -1));
        assertTrue(e.getMessage().contains("size 6") && e.getMessage().contains("(4, -1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> a.reshape(7));
        assertThrows(IllegalArgumentException.class, () -> a.reshape(2, -3));

        NDArray t = NDArray.zeros(DType.FLOAT32, 2, 3);
        t.copyFrom(a);
        assertEquals(a, t);
        e = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(a.reshape(3, 2)));
        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("(2, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(a.astype(DType.FLOAT64)));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void bufferIsDirectNativeAndAtZero() {
        NDArray a = NDArray.of(new float[] {1, 2, 3});
        ByteBuffer b = a.buffer();
        assertTrue(b.isDirect());
        assertEquals(ByteOrder.nativeOrder(), b.order());
        assertEquals(0, b.position());
        assertEquals(12, b.remaining());
        assertEquals(2f, b.getFloat(4));
        b.putFloat(8, 7f);                                  // writes through to the array
        assertEquals(7.0, a.getFlat(2));
        b.position(8);
        assertEquals(0, a.buffer().position(), "each call gives a fresh view");
        NDArray bools = NDArray.of(new boolean[] {true, false, true});
        assertEquals(3, bools.buffer().remaining());
        assertEquals(1, bools.buffer().get(2));
    }

    @Test
    void allCloseAndEquals() {
        NDArray a = NDArray.of(new double[] {1, Double.NaN, Double.POSITIVE_INFINITY});
        NDArray b = NDArray.of(new double[] {1 + 1e-9, Double.NaN, Double.POSITIVE_INFINITY});
        assertTrue(a.allClose(b, 1e-5, 1e-8));
        assertFalse(a.allClose(NDArray.of(new double[] {1.1, Double.NaN, Double.POSITIVE_INFINITY}), 1e-5, 1e-8));
        assertFalse(a.allClose(NDArray.of(new double[] {1, 0, Double.POSITIVE_INFINITY}), 1e-5, 1e-8));
        assertFalse(a.allClose(NDArray.of(new double[] {1, Double.NaN, Double.NEGATIVE_INFINITY}), 1e-5, 1e-8));
        assertFalse(a.allClose(a.reshape(3, 1), 1e-5, 1e-8), "different shapes");
        assertTrue(NDArray.of(new float[] {1, 2}).allClose(NDArray.of(new double[] {1, 2}), 0, 0), "dtypes may differ");

        assertEquals(a, a.copy());
        assertEquals(a.hashCode(), a.copy().hashCode());
        assertNotEquals(a, b);
        assertNotEquals(NDArray.of(new float[] {1, 2}), NDArray.of(new double[] {1, 2}));
        assertNotEquals(NDArray.of(new double[] {1, 2}), NDArray.of(new double[] {1, 2}).reshape(2, 1));
        assertEquals(NDArray.of(new int[] {1, 2}), NDArray.fromFlat(DType.INT32, new int[] {2}, new double[] {1, 2}));
        assertNotEquals(NDArray.of(new double[] {1}), "not an array");
    }

    // ---- printing: every expected string below is numpy 2.4's str() of the same array

    @Test
    void toStringMatchesNumpyForCommonCases() {
        assertEquals("[[1. 2.]\n [3. 4.]]", NDArray.of(new double[][] {{1, 2}, {3, 4}}).toString());
        assertEquals("[1 2 3]", NDArray.of(new int[] {1, 2, 3}).toString());
        assertEquals("[ True False]", NDArray.of(new boolean[] {true, false}).toString());
        assertEquals("[[ True False  True]\n [False False False]]",
                NDArray.fromFlat(DType.BOOL, new int[] {2, 3}, new double[] {1, 0, 1, 0, 0, 0}).toString());
        assertEquals("[ 1.     0.5   -1.375]", NDArray.of(new double[] {1, 0.5, -1.375}).toString());
        assertEquals("[-0.  1.]", NDArray.of(new double[] {-0.0, 1}).toString());
        assertEquals("[0.]", NDArray.of(new double[] {0}).toString());
        assertEquals("[0.33333334 0.6666667 ]", NDArray.of(new float[] {1f / 3, 2f / 3}).toString());
        assertEquals("[0.33333333 0.66666667]", NDArray.of(new double[] {1.0 / 3, 2.0 / 3}).toString());
        assertEquals("[0.1 0.2 0.3]", NDArray.of(new float[] {0.1f, 0.2f, 0.3f}).toString());
        assertEquals("[0.3 1.1]", NDArray.of(new double[] {0.1 + 0.2, 1.1}).toString());
        assertEquals("[1.1  2.25]", NDArray.of(new float[] {1.1f, 2.25f}).toString());
        assertEquals("[-3. -2. -1.  0.  1.  2.  3.]", NDArray.of(new double[] {-3, -2, -1, 0, 1, 2, 3}).toString());
        assertEquals("[ -5  10 100]", NDArray.of(new long[] {-5, 10, 100}).toString());
        assertEquals("[9007199254740993]", NDArray.of(new long[] {9007199254740993L}).toString());
        assertEquals("[[[0. 0.]\n  [0. 0.]]\n\n [[0. 0.]\n  [0. 0.]]]", NDArray.zeros(DType.FLOAT64, 2, 2, 2).toString());
        assertEquals("[]", NDArray.zeros(DType.FLOAT64, 0).toString());
        assertEquals("[]", NDArray.zeros(DType.FLOAT64, 2, 0).toString());
    }

    @Test
    void toStringUsesScientificNotationLikeNumpy() {
        assertEquals("[1.000e+00 1.001e+03]", NDArray.of(new double[] {1, 1001}).toString());
        assertEquals("[1.e+300 1.e-300]", NDArray.of(new double[] {1e300, 1e-300}).toString());
        assertEquals("[ 1.23456789e+05 -5.00000000e-01]", NDArray.of(new double[] {123456.789, -0.5}).toString());
        assertEquals("[1.e+08 1.e+00]", NDArray.of(new double[] {1e8, 1}).toString());
        assertEquals("[1.e-04 1.e+00]", NDArray.of(new float[] {0.0001f, 1}).toString());
        assertEquals("[3.14159265e+00 2.71828183e+00 1.00000000e-03]",
                NDArray.of(new double[] {Math.PI, Math.E, 1e-3}).toString());
        assertEquals("[[1.e-10 0.e+00]\n [0.e+00 5.e+00]]", NDArray.of(new float[][] {{1e-10f, 0}, {0, 5}}).toString());
        // Digits beyond the shortest unique ones are the value's true digits, not zeros.
        assertEquals("[1.00000e-01 3.14159e-05]", NDArray.of(new float[] {0.1f, 3.14159e-5f}).toString());
        assertEquals("[6.1335132e-02 3.5075446e+02 2.8006724e-04]",
                NDArray.of(new float[] {6.1335132e-02f, 3.5075446e+02f, 2.8006724e-04f}).toString());
        // Since numpy 2.3 float32 arrays switch to exponents at 1e6, float64 ones at 1e8.
        assertEquals("[1.e+06]", NDArray.of(new float[] {1e6f}).toString());
        assertEquals("[999999.]", NDArray.of(new float[] {999999f}).toString());
        assertEquals("[-1.9303151e+06]", NDArray.of(new float[] {-1930315.1f}).toString());
        assertEquals("[1.e+06 1.e+00]", NDArray.of(new double[] {1e6, 1}).toString());
        assertEquals("[99999999.]", NDArray.of(new double[] {99999999}).toString());
    }

    @Test
    void toStringHandlesNanAndInf() {
        assertEquals("[ nan  1.5 -inf]", NDArray.of(new double[] {Double.NaN, 1.5, Double.NEGATIVE_INFINITY}).toString());
        assertEquals("[nan inf]", NDArray.of(new double[] {Double.NaN, Double.POSITIVE_INFINITY}).toString());
        assertEquals("[1.0e-05 1.5e+00    -inf]", NDArray.of(new double[] {1e-5, 1.5, Double.NEGATIVE_INFINITY}).toString());
    }

    @Test
    void toStringWrapsAndSummarizesLikeNumpy() {
        assertEquals("[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n"
                + " 18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.]", NDArray.of(range(30)).toString());
        assertEquals("[[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n  18. 19.]\n"
                        + " [20. 21. 22. 23. 24. 25. 26. 27. 28. 29. 30. 31. 32. 33. 34. 35. 36. 37.\n  38. 39.]]",
                NDArray.fromFlat(DType.FLOAT64, new int[] {2, 20}, range(40)).toString());
        assertEquals("[   0    1    2 ... 1997 1998 1999]", NDArray.fromFlat(DType.INT64, new int[] {2000}, range(2000)).toString());
        double[] centered = IntStream.range(-600, 600).asDoubleStream().toArray();
        assertEquals("[[-600 -599 -598 ... -573 -572 -571]\n [-570 -569 -568 ... -543 -542 -541]\n"
                        + " [-540 -539 -538 ... -513 -512 -511]\n ...\n [ 510  511  512 ...  537  538  539]\n"
                        + " [ 540  541  542 ...  567  568  569]\n [ 570  571  572 ...  597  598  599]]",
                NDArray.fromFlat(DType.INT32, new int[] {40, 30}, centered).toString());
        String expected3d = "[[[0.000e+00 1.000e+00 2.000e+00 ... 9.700e+01 9.800e+01 9.900e+01]\n"
                + "  [1.000e+02 1.010e+02 1.020e+02 ... 1.970e+02 1.980e+02 1.990e+02]\n"
                + "  [2.000e+02 2.010e+02 2.020e+02 ... 2.970e+02 2.980e+02 2.990e+02]\n"
                + "  ...\n"
                + "  [7.000e+02 7.010e+02 7.020e+02 ... 7.970e+02 7.980e+02 7.990e+02]\n"
                + "  [8.000e+02 8.010e+02 8.020e+02 ... 8.970e+02 8.980e+02 8.990e+02]\n"
                + "  [9.000e+02 9.010e+02 9.020e+02 ... 9.970e+02 9.980e+02 9.990e+02]]\n"
                + "\n"
                + " [[1.000e+03 1.001e+03 1.002e+03 ... 1.097e+03 1.098e+03 1.099e+03]\n"
                + "  [1.100e+03 1.101e+03 1.102e+03 ... 1.197e+03 1.198e+03 1.199e+03]\n"
                + "  [1.200e+03 1.201e+03 1.202e+03 ... 1.297e+03 1.298e+03 1.299e+03]\n"
                + "  ...\n"
                + "  [1.700e+03 1.701e+03 1.702e+03 ... 1.797e+03 1.798e+03 1.799e+03]\n"
                + "  [1.800e+03 1.801e+03 1.802e+03 ... 1.897e+03 1.898e+03 1.899e+03]\n"
                + "  [1.900e+03 1.901e+03 1.902e+03 ... 1.997e+03 1.998e+03 1.999e+03]]]";
        assertEquals(expected3d, NDArray.fromFlat(DType.FLOAT64, new int[] {2, 10, 100}, range(2000)).toString());
    }

    @Test
    void zeroDimensionalArraysPrintAsNumpyScalars() {
        assertEquals("3.0", NDArray.scalar(DType.FLOAT32, 3.0).toString());
        assertEquals("3.0", NDArray.scalar(3.0).toString());
        assertEquals("0.1", NDArray.scalar(DType.FLOAT32, 0.1).toString());
        assertEquals("0.3", NDArray.scalar(0.3).toString());
        assertEquals("-1.375", NDArray.scalar(-1.375).toString());
        assertEquals("-0.0", NDArray.scalar(-0.0).toString());
        assertEquals("1000000000000000.0", NDArray.scalar(1e15).toString());
        assertEquals("1e+15", NDArray.scalar(DType.FLOAT32, 1e15).toString());
        assertEquals("999999.0", NDArray.scalar(DType.FLOAT32, 999999).toString());
        assertEquals("1e+06", NDArray.scalar(DType.FLOAT32, 1e6).toString());
        assertEquals("1.2345679e+08", NDArray.scalar(DType.FLOAT32, 123456789).toString());
        assertEquals("123456789.0", NDArray.scalar(123456789).toString());
        assertEquals("1e+16", NDArray.scalar(1e16).toString());
        assertEquals("1.5e-07", NDArray.scalar(1.5e-7).toString());
        assertEquals("0.0001", NDArray.scalar(1e-4).toString());
        assertEquals("1e-04", NDArray.scalar(DType.FLOAT32, 1e-4).toString());
        assertEquals("1e+20", NDArray.scalar(1e20).toString());
        assertEquals("nan", NDArray.scalar(Double.NaN).toString());
        assertEquals("-inf", NDArray.scalar(Double.NEGATIVE_INFINITY).toString());
        assertEquals("5", NDArray.scalar(DType.INT64, 5).toString());
        assertEquals("True", NDArray.scalar(DType.BOOL, 1).toString());
        assertEquals("False", NDArray.scalar(DType.BOOL, 0).toString());
    }

    @Test
    void shapeStringIsPythonTuple() {
        assertEquals("()", NDArray.shapeString());
        assertEquals("(3,)", NDArray.shapeString(3));
        assertEquals("(3, 4)", NDArray.shapeString(3, 4));
    }
}
