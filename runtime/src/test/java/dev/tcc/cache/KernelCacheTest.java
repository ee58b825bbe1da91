package dev.tcc.cache;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KernelCacheTest {
    private static final String KEY = "extern \"C\" __global__ void k() {}|--gpu-architecture=sm_90|nvrtc 13.0|sm_90";
    private static final byte[] CUBIN = "\u007fELF pretend cubin".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir Path tmp;

    private final AtomicInteger compiles = new AtomicInteger();

    private byte[] compile() {
        compiles.incrementAndGet();
        return CUBIN.clone();
    }

    @Test
    void missThenHit() {
        KernelCache cache = new KernelCache(tmp);
        assertArrayEquals(CUBIN, cache.getOrCompute("cubin", KEY, this::compile));
        assertArrayEquals(CUBIN, cache.getOrCompute("cubin", KEY, this::compile));
        assertArrayEquals(CUBIN, cache.getOrCompute("cubin", KEY, this::compile));
        assertEquals(1, compiles.get());
        assertEquals(1, cache.misses());
        assertEquals(2, cache.hits());
        assertEquals(0, cache.rebuilds());
        assertTrue(Files.isRegularFile(tmp.resolve("cubin").resolve(KernelCache.key(KEY) + ".cubin")));
    }

    @Test
    void keyMaterialAndKindSeparateEntries() {
        KernelCache cache = new KernelCache(tmp);
        cache.getOrCompute("cubin", KEY, this::compile);
        cache.getOrCompute("cubin", KEY + " -O2", this::compile);
        cache.getOrCompute("so", KEY, this::compile);
        assertEquals(3, compiles.get());
        assertEquals(3, cache.misses());
    }

    @Test
    void truncatedEntryIsRebuilt() throws Exception {
        Path file = fill();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5);
        }
        assertRebuilt(file);
    }

    @Test
    void entryCutInsideThePayloadIsRebuilt() throws Exception {
        Path file = fill();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(3);
        }
        assertRebuilt(file);
    }

    @Test
    void flippedByteIsRebuilt() throws Exception {
        Path file = fill();
        byte[] raw = Files.readAllBytes(file);
        raw[2] ^= 0x01;
        Files.write(file, raw);
        assertRebuilt(file);
    }

    @Test
    void corruptionWarnsOnceOnStderr() throws IOException {
        Path file = fill();
        Files.write(file, new byte[] {1, 2, 3});
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            new KernelCache(tmp).getOrCompute("cubin", KEY, this::compile);
        } finally {
            System.setErr(saved);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(file.toString()) && lines.get(0).contains("corrupt"), lines.get(0));
    }

    @Test
    void compilerExceptionsPropagateAndStoreNothing() {
        KernelCache cache = new KernelCache(tmp);
        IllegalStateException unchecked = new IllegalStateException("nvrtc said no");
        assertSame(unchecked, assertThrows(IllegalStateException.class,
                () -> cache.getOrCompute("cubin", KEY, () -> { throw unchecked; })));
        IOException checked = new IOException("cc not found");
        assertSame(checked, assertThrows(KernelCache.CompileException.class,
                () -> cache.getOrCompute("cubin", KEY, () -> { throw checked; })).getCause());
        assertFalse(Files.exists(cache.pathFor("cubin", KEY)));
    }

    @Test
    void rejectsKindsThatAreNotPlainNames() {
        KernelCache cache = new KernelCache(tmp);
        assertThrows(IllegalArgumentException.class, () -> cache.getOrCompute("../x", KEY, this::compile));
    }

    @Test
    void cacheDirComesFromEnvThenPropertyThenHome() {
        Properties props = new Properties();
        props.setProperty("user.home", "/home/u");
        assertEquals(Path.of("/home/u/.cache/tcc"), KernelCache.defaultRoot(Map.of(), props));
        props.setProperty("tcc.cache.dir", "/p");
        assertEquals(Path.of("/p"), KernelCache.defaultRoot(Map.of(), props));
        assertEquals(Path.of("/e"), KernelCache.defaultRoot(Map.of("TCC_CACHE_DIR", "/e"), props));
    }

    @Test
    void secondProcessReusesTheEntryWithoutCompiling() throws Exception {
        byte[] payload = CacheProbeMain.payload(42, 100_000);
        new KernelCache(tmp).getOrCompute("cubin", KEY, () -> payload);
        Outcome child = await(start(tmp, "cubin", KEY, "42", "100000"));
        assertEquals(CacheProbeMain.SERVED, child.exit, child.output);
        assertTrue(child.output.contains("sha256=" + CacheProbeMain.sha256Hex(payload)), child.output);
    }

    @Test
    void twoProcessesCompilingTheSameKeyAtOnceBothSucceed() throws Exception {
        Path rendezvous = Files.createDirectories(tmp.resolve("rendezvous"));
        Path cacheDir = tmp.resolve("cache");
        String size = String.valueOf(8 << 20); // large enough that the two writes overlap
        Child a = start(cacheDir, "cubin", KEY, "7", size, rendezvous.toString(), "a");
        Child b = start(cacheDir, "cubin", KEY, "7", size, rendezvous.toString(), "b");
        Outcome ra = await(a);
        Outcome rb = await(b);
        assertEquals(CacheProbeMain.COMPILED, ra.exit, ra.output);
        assertEquals(CacheProbeMain.COMPILED, rb.exit, rb.output);
        String expected = "sha256=" + CacheProbeMain.sha256Hex(CacheProbeMain.payload(7, 8 << 20));
        assertTrue(ra.output.contains(expected), ra.output);
        assertTrue(rb.output.contains(expected), rb.output);

        KernelCache cache = new KernelCache(cacheDir);
        assertEquals(expected, "sha256=" + CacheProbeMain.sha256Hex(cache.getOrCompute("cubin", KEY, this::compile)));
        assertEquals(1, cache.hits());
        try (var left = Files.list(cache.pathFor("cubin", KEY).getParent())) {
            assertEquals(1, left.count(), "no temporary files left behind");
        }
    }

    @Test
    void cachedSharedLibraryLoadsFromItsPath() throws Exception {
        Path src = Files.writeString(tmp.resolve("answer.c"), "int tcc_answer(void) { return 42; }\n");
        Path so = tmp.resolve("answer.so");
        assumeTrue(runsOk(List.of("cc", "-shared", "-fPIC", "-o", so.toString(), src.toString())),
                "no working C compiler (cc)");
        KernelCache cache = new KernelCache(tmp.resolve("cache"));
        Path entry = cache.getOrComputeFile("so", "answer.c|cc -shared", () -> Files.readAllBytes(so));
        assertEquals(entry, cache.getOrComputeFile("so", "answer.c|cc -shared", this::compile));
        assertEquals(1, cache.hits());
        NativeLibrary lib = NativeLibrary.getInstance(entry.toString());
        Function answer = lib.getFunction("tcc_answer");
        assertEquals(42, answer.invokeInt(new Object[0]), "dlopen ignores the trailer after the ELF file");
    }

    private Path fill() {
        KernelCache cache = new KernelCache(tmp);
        cache.getOrCompute("cubin", KEY, this::compile);
        return cache.pathFor("cubin", KEY);
    }

    private void assertRebuilt(Path file) throws Exception {
        KernelCache cache = new KernelCache(tmp);
        assertArrayEquals(CUBIN, cache.getOrCompute("cubin", KEY, this::compile));
        assertEquals(2, compiles.get(), "compiled again");
        assertEquals(1, cache.rebuilds());
        assertEquals(0, cache.misses());
        assertArrayEquals(CacheEntry.decode(Files.readAllBytes(file)), CUBIN);
        cache.getOrCompute("cubin", KEY, this::compile);
        assertEquals(1, cache.hits());
    }

    private record Outcome(int exit, String output) {}

    private record Child(Process process, Path log) {}

    /** Starts {@link CacheProbeMain} in a new JVM with this test's class path. */
    private Child start(Path cacheDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                CacheProbeMain.class.getName(), cacheDir.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "child", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Child(p, log);
    }

    private static Outcome await(Child child) throws Exception {
        if (!child.process.waitFor(60, TimeUnit.SECONDS)) {
            child.process.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s:\n" + Files.readString(child.log));
        }
        return new Outcome(child.process.exitValue(), Files.readString(child.log));
    }

    private static boolean runsOk(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
