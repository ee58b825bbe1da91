package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled library cache across processes: TCC_CC is a wrapper script that logs each time it
 * is started and then runs the real compiler, so the log says exactly when a process used it.
 */
class CpuCacheProcessTest {
    @TempDir Path tmp;

    @BeforeAll
    static void needsCompiler() {
        assumeTrue(CpuBackend.available(), "no working C compiler: " + CpuBackend.unavailableReason());
    }

    @Test
    void secondProcessReusesTheLibraryWithoutStartingTheCompiler() throws Exception {
        Path cache = tmp.resolve("cache"), log = tmp.resolve("cc.log");
        Path cc = wrapper(log);
        String first = run(CpuCacheProbeMain.class, cache, cc);
        assertTrue(first.contains("result=[2.0, 4.0, 6.0]"), first);
        List<String> calls = Files.readAllLines(log);
        assertTrue(calls.stream().anyMatch(l -> l.contains("kernels.c")), "the first process compiled: " + calls);

        Files.writeString(log, "");
        String second = run(CpuCacheProbeMain.class, cache, cc);
        assertTrue(second.contains("result=[2.0, 4.0, 6.0]"), second);
        assertEquals(List.of(), Files.readAllLines(log), "the second process never started the compiler (not even --version)");
        assertTrue(second.contains("misses=0 rebuilds=0"), second);
    }

    @Test
    void corruptedLibraryIsRebuilt() throws Exception {
        Path cache = tmp.resolve("cache"), log = tmp.resolve("cc.log");
        Path cc = wrapper(log);
        run(CpuCacheProbeMain.class, cache, cc);
        List<Path> libs;
        try (Stream<Path> s = Files.list(cache.resolve("so"))) {
            libs = s.filter(p -> p.toString().endsWith(".so")).toList();
        }
        assertTrue(libs.size() >= 2, "probe library and kernels: " + libs);
        for (Path lib : libs) {                      // cut every cached library in half
            try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 2);
            }
        }
        Files.writeString(log, "");
        String out = run(CpuCacheProbeMain.class, cache, cc);
        assertTrue(out.contains("result=[2.0, 4.0, 6.0]"), out);
        assertTrue(out.contains("is corrupt"), "one warning per rebuilt entry: " + out);
        assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.contains("kernels.c")), "compiled again");
        Files.writeString(log, "");
        String again = run(CpuCacheProbeMain.class, cache, cc);
        assertTrue(again.contains("misses=0 rebuilds=0"), again);
        assertEquals(List.of(), Files.readAllLines(log));
    }

    /** A TCC_CC that appends its arguments to {@code log} and runs the real compiler. */
    static Path wrapper(Path log) throws IOException {
        String real = System.getenv().getOrDefault("TCC_CC", "cc");
        Path w = log.resolveSibling("logging-cc");
        Files.writeString(w, "#!/bin/sh\necho \"$@\" >> '" + log + "'\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(log, "");
        return w;
    }

    /** Runs {@code main} in a new JVM with this test's class path; returns its output (it must exit 0). */
    static String run(Class<?> main, Path cacheDir, Path cc, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TCC_CACHE_DIR", cacheDir.toString());
        pb.environment().put("TCC_CC", cc.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
