package dev.tcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir Path dir;

    /** Arrays of every dtype and several ranks; the Python literal after each is the same array in numpy. */
    private static Map<String, NDArray> samples() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("f4_0d", NDArray.scalar(DType.FLOAT32, 2.5));
        m.put("f4_2d", NDArray.of(new float[][] {{0.1f, -2f, 3.25f}, {1e-20f, 3e38f, -0f}}));
        m.put("f4_empty", NDArray.zeros(DType.FLOAT32, 0, 3));
        m.put("f4_wide_empty", NDArray.zeros(DType.FLOAT32, 1234567, 0));
        m.put("f8_1d", NDArray.of(new double[] {1.5, -2.25, 1e300, -0.0}));
        m.put("f8_3d", NDArray.fromFlat(DType.FLOAT64, new int[] {2, 3, 4}, IntStream.range(0, 24).mapToDouble(i -> i / 7.0).toArray()));
        m.put("i4_3d", NDArray.fromFlat(DType.INT32, new int[] {2, 3, 4}, IntStream.range(-10, 14).asDoubleStream().toArray()));
        m.put("i8_1d", NDArray.of(new long[] {-(1L << 62) - 1, (1L << 62) + 3, 0}));
        m.put("i8_0d", NDArray.scalar(DType.INT64, -7));
        m.put("b1_2d", NDArray.fromFlat(DType.BOOL, new int[] {2, 2}, new double[] {1, 0, 0, 1}));
        m.put("b1_0d", NDArray.scalar(DType.BOOL, 1));
        m.put("b1_empty", NDArray.zeros(DType.BOOL, 0));
        return m;
    }

    private static final String PY_SAMPLES = String.join("\n",
            "import sys, io, numpy as np",
            "d = sys.argv[1]",
            "samples = {",
            " 'f4_0d': np.array(2.5, np.float32),",
            " 'f4_2d': np.array([[0.1, -2, 3.25], [1e-20, 3e38, -0.0]], np.float32),",
            " 'f4_empty': np.zeros((0, 3), np.float32),",
            " 'f4_wide_empty': np.zeros((1234567, 0), np.float32),",
            " 'f8_1d': np.array([1.5, -2.25, 1e300, -0.0]),",
            " 'f8_3d': np.arange(24.).reshape(2, 3, 4) / 7,",
            " 'i4_3d': np.arange(-10, 14, dtype=np.int32).reshape(2, 3, 4),",
            " 'i8_1d': np.array([-(2**62) - 1, 2**62 + 3, 0], np.int64),",
            " 'i8_0d': np.array(-7, np.int64),",
            " 'b1_2d': np.array([[True, False], [False, True]]),",
            " 'b1_0d': np.array(True),",
            " 'b1_empty': np.zeros(0, bool),",
            "}",
            "");

    @Test
    void roundTripsEveryDtypeInJava() throws IOException {
        for (Map.Entry<String, NDArray> e : samples().entrySet()) {
            Path p = dir.resolve(e.getKey() + ".npy");
            e.getValue().save(p);
            assertEquals(0, (Files.size(p) - e.getValue().byteSize()) % 64, e.getKey() + ": data must start at a multiple of 64");
            NDArray back = NDArray.load(p);
            assertEquals(e.getValue(), back, e.getKey());
        }
    }

    @Test
    void headerIsPaddedLikeNumpy() throws IOException {
        Path p = dir.resolve("a.npy");
        NDArray.zeros(DType.FLOAT32, 3, 4).save(p);
        byte[] bytes = Files.readAllBytes(p);
        assertEquals(128 + 48, bytes.length);
        String header = new String(bytes, 10, 118, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }  "), header);
        assertTrue(header.endsWith(" \n"), header);
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        assertEquals(118, (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8);
    }

    @Test
    void tccFilesLoadInNumpyAndMatchNumpysOwnBytes() throws Exception {
        assumeNumpy();
        for (Map.Entry<String, NDArray> e : samples().entrySet()) e.getValue().save(dir.resolve(e.getKey() + ".npy"));
        String check = PY_SAMPLES + String.join("\n",
                "for name, e in samples.items():",
                "    p = f'{d}/{name}.npy'",
                "    a = np.load(p)",
                "    assert a.dtype == e.dtype and a.shape == e.shape, (name, a.dtype, a.shape)",
                "    assert np.array_equal(a, e), (name, a, e)",
                "    assert np.array_equal(np.signbit(a), np.signbit(e)) if a.dtype.kind == 'f' else True, name",
                "    b = io.BytesIO(); np.save(b, e)",
                "    assert open(p, 'rb').read() == b.getvalue(), (name, open(p, 'rb').read()[:128], b.getvalue()[:128])",
                "print('ok', len(samples))",
                "");
        String out = python(check, dir.toString());
        assertTrue(out.contains("ok " + samples().size()), out);
    }

    @Test
    void numpyFilesLoadInTcc() throws Exception {
        assumeNumpy();
        String write = PY_SAMPLES + String.join("\n",
                "for name, e in samples.items():",
                "    np.save(f'{d}/{name}.npy', e)",
                "np.lib.format.write_array(open(f'{d}/v2.npy', 'wb'), samples['f8_3d'], version=(2, 0))",
                "np.lib.format.write_array(open(f'{d}/v3.npy', 'wb'), samples['i4_3d'], version=(3, 0))",
                "np.save(f'{d}/nan.npy', np.array([np.nan, np.inf, -np.inf], np.float32))",
                "np.save(f'{d}/fortran1d.npy', np.asfortranarray(np.arange(3.)))",
                "np.save(f'{d}/fortran.npy', np.asfortranarray(np.ones((2, 3))))",
                "np.save(f'{d}/bigendian.npy', np.arange(3, dtype='>f8'))",
                "np.save(f'{d}/uint8.npy', np.arange(3, dtype=np.uint8))",
                "np.save(f'{d}/complex.npy', np.zeros(2, np.complex64))",
                "");
        python(write, dir.toString());
        for (Map.Entry<String, NDArray> e : samples().entrySet()) {
            assertEquals(e.getValue(), NDArray.load(dir.resolve(e.getKey() + ".npy")), e.getKey());
        }
        assertEquals(samples().get("f8_3d"), NDArray.load(dir.resolve("v2.npy")));
        assertEquals(samples().get("i4_3d"), NDArray.load(dir.resolve("v3.npy")));
        NDArray nan = NDArray.load(dir.resolve("nan.npy"));
        assertEquals(DType.FLOAT32, nan.dtype());
        assertTrue(Double.isNaN(nan.getFlat(0)));
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY},
                new double[] {nan.getFlat(1), nan.getFlat(2)});
        assertEquals(NDArray.of(new double[] {0, 1, 2}), NDArray.load(dir.resolve("fortran1d.npy")));

        assertLoadFails(dir.resolve("fortran.npy"), "Fortran");
        assertLoadFails(dir.resolve("bigendian.npy"), "'>f8'");
        assertLoadFails(dir.resolve("uint8.npy"), "'|u1'");
        assertLoadFails(dir.resolve("complex.npy"), "'<c8'");
    }

    // ---- malformed files, written by hand so these run without numpy

    /** A .npy file with {@code header} (padded like numpy) and raw little-endian {@code data}. */
    private Path writeNpy(String name, int major, String header, byte[] data) throws IOException {
        int lenBytes = major == 1 ? 2 : 4;
        int hlen = header.length() + 1;
        int pad = 64 - (8 + lenBytes + hlen) % 64;
        byte[] text = (header + " ".repeat(pad) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer pre = ByteBuffer.allocate(8 + lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (lenBytes == 2) pre.putShort((short) text.length); else pre.putInt(text.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(pre.array());
        out.write(text);
        out.write(data);
        Path p = dir.resolve(name);
        Files.write(p, out.toByteArray());
        return p;
    }

    private static void assertLoadFails(Path p, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> NDArray.load(p), p.toString());
        assertTrue(e.getMessage().contains(p.toString()), "message should name the file: " + e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
    }

    private static byte[] littleEndianFloats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    @Test
    void truncatedFilesGiveClearErrors() throws IOException {
        Path good = dir.resolve("good.npy");
        NDArray.zeros(DType.FLOAT32, 3, 4).save(good);
        byte[] bytes = Files.readAllBytes(good);

        Path data = dir.resolve("data.npy");
        Files.write(data, java.util.Arrays.copyOf(bytes, 128 + 10));
        assertLoadFails(data, "truncated", "(3, 4)", "48 bytes", "only 10");

        Path header = dir.resolve("header.npy");
        Files.write(header, java.util.Arrays.copyOf(bytes, 40));
        assertLoadFails(header, "truncated header");

        Path tiny = dir.resolve("tiny.npy");
        Files.write(tiny, java.util.Arrays.copyOf(bytes, 5));
        assertLoadFails(tiny, "truncated");

        Path empty = dir.resolve("empty.npy");
        Files.write(empty, new byte[0]);
        assertLoadFails(empty, "truncated");
    }

    @Test
    void badHeadersGiveClearErrors() throws IOException {
        byte[] twelve = new byte[12];
        assertLoadFails(writeNpy("u2.npy", 1, "{'descr': '<u2', 'fortran_order': False, 'shape': (6,), }", twelve),
                "unsupported dtype '<u2'");
        assertLoadFails(writeNpy("be.npy", 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }", twelve),
                "unsupported dtype '>f4'");
        assertLoadFails(writeNpy("struct.npy", 1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", twelve),
                "unsupported dtype");
        assertLoadFails(writeNpy("fortran.npy", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3), }", twelve),
                "Fortran");
        assertLoadFails(writeNpy("badshape.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, x), }", twelve),
                "malformed header");
        assertLoadFails(writeNpy("neg.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }", twelve),
                "malformed header");
        assertLoadFails(writeNpy("nokey.npy", 1, "{'descr': '<f4', 'fortran_order': False, }", twelve), "'shape'");
        assertLoadFails(writeNpy("notdict.npy", 1, "hello", twelve), "malformed header");
        assertLoadFails(writeNpy("open.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,", twelve),
                "malformed header");
        assertLoadFails(writeNpy("huge.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", twelve),
                "too large");
        assertLoadFails(writeNpy("v9.npy", 9, "{}", twelve), "version 9.0");

        Path magic = dir.resolve("magic.npy");
        Files.write(magic, "PK\u0003\u0004 this is a zip, not an npy file".getBytes(StandardCharsets.ISO_8859_1));
        assertLoadFails(magic, "not a .npy file");
    }

    @Test
    void readsOtherHeaderVariants() throws IOException {
        byte[] data = littleEndianFloats(1, 2, 3);
        NDArray expected = NDArray.of(new float[] {1, 2, 3});
        assertEquals(expected, NDArray.load(writeNpy("v2.npy", 2, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", data)));
        assertEquals(expected, NDArray.load(writeNpy("dq.npy", 1, "{\"shape\": (3L,), \"descr\": \"<f4\", \"fortran_order\": False}", data)));
        assertEquals(expected.reshape(1, 3),
                NDArray.load(writeNpy("2d.npy", 3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,3)}", data)));
        // Bytes other than 0/1 in a bool file read as true.
        NDArray b = NDArray.load(writeNpy("b.npy", 1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] {0, 7}));
        assertEquals(NDArray.of(new boolean[] {false, true}), b);
    }

    // ---- python helpers

    private static Boolean numpyAvailable;

    private static void assumeNumpy() {
        if (numpyAvailable == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                numpyAvailable = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                numpyAvailable = false;
            }
        }
        Assumptions.assumeTrue(numpyAvailable, "python3 with numpy is not available; skipping the numpy round trip");
    }

    /** Runs a Python script with arguments; fails the test with its output unless it exits 0. */
    private static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), "python failed:\n" + out + "\nscript:\n" + script);
        return out;
    }
}
