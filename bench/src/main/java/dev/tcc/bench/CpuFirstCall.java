package dev.tcc.bench;

import dev.tcc.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Run in a fresh JVM by {@link CpuBench}, with {@code TCC_CACHE_DIR} set: the time from building
 * the seed MLP's graph to the end of its first {@code train} call on the CPU backend, measured
 * inside the process (JVM start-up excluded, reported separately). With an empty cache this
 * includes C compilation; with a filled one, loading the cached library.
 * Prints {@code first_call_ms=...} and {@code breakdown=...}.
 */
public final class CpuFirstCall {
    public static void main(String[] args) {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long startMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        CpuMlp mlp = new CpuMlp(Backend.CPU);                // graph, gradient, optimize, schedule, compile, load
        long t1 = System.nanoTime();
        mlp.train.call(mlp.x, mlp.y);
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "first_call_ms=%.0f%n", (t2 - t0) / 1e6);
        System.out.printf(Locale.ROOT, "breakdown=JVM start to main %d ms, build %.0f ms, first call %.0f ms%n",
                startMs - jvmStart, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    /** Runs this class in a new JVM with the given cache folder; returns its output. */
    static String runChild(Path cacheDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CpuFirstCall.class.getName())).redirectErrorStream(true);
        pb.environment().put("TCC_CACHE_DIR", cacheDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("first-call run failed:\n" + out);
        return out;
    }

    private CpuFirstCall() {}
}
