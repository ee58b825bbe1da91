package dev.tcc.bench;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.Outputs;
import dev.tcc.Rng;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import dev.tcc.backend.cpu.Blas;
import dev.tcc.backend.cpu.CpuBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU backend against numpy, side by side in one run on this machine (scripts/bench cpu):
 * (a) the seed MLP's train step, (b) the lecture's scalar chain over 10⁷ float32 elements,
 * (c) GEMM 400×784 · 784×300 and 1024³; then the MLP's first call including C compilation, and
 * from the cache, each in a fresh JVM ({@link CpuFirstCall}). numpy's figures come from
 * {@code scripts/cpu_bench_numpy.py}, started from here. Prints a Markdown table.
 *
 * <p>Arguments: {@code [--quick] [--numpy PATH_TO_SCRIPT] [--out FILE.md]}.
 */
public final class CpuBench {
    record Timing(double medianMs, double minMs, double maxMs, int reps) {}

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path numpyScript = Path.of(arg(args, "--numpy", "scripts/cpu_bench_numpy.py"));
        String out = arg(args, "--out", null);
        double scale = quick ? 0.3 : 1.0;

        long t0 = System.nanoTime();
        String cc = CpuBackend.compiler().versionLine();
        String blas = Blas.get().config();
        System.err.printf(Locale.ROOT, "tcc: C compiler %s (vector math %s), %s; started in %.0f ms%n", cc,
                CpuBackend.compiler().vectorMath() ? "on" : "off", blas, (System.nanoTime() - t0) / 1e6);

        double loadBefore = load();
        // the four cases, each a tcc timing and a numpy timing back to back (numpy in its own
        // process, one per case and round), in ROUNDS rounds; each side keeps its best median,
        // so that a burst of load from other processes hits both sides alike or neither
        CpuMlp mlp = new CpuMlp(Backend.CPU);
        Var xs = T.vector("x"), ys = T.vector("y");
        Var a = T.sqrt(xs.add(ys).mul(xs));
        Function chain = Tcc.function("chain").inputs(xs, ys).outputs(T.log(a.pow(T.exp(a)))).backend(Backend.CPU).build();
        Rng rng = new Rng(7);
        NDArray cx = rng.uniform(0.1, 1.0, 10_000_000), cy = rng.uniform(0.1, 1.0, 10_000_000);
        Var ma = T.matrix("a"), mb = T.matrix("b");
        Function gemm = Tcc.function("gemm").inputs(ma, mb).outputs(T.dot(ma, mb)).backend(Backend.CPU).build();
        NDArray g1a = rng.randn(400, 784), g1b = rng.randn(784, 300), g2a = rng.randn(1024, 1024), g2b = rng.randn(1024, 1024);

        Map<String, Supplier<Timing>> cases = new LinkedHashMap<>();
        cases.put("mlp_step", () -> time(() -> mlp.train.call(mlp.x, mlp.y), reps(200, scale), 20));
        cases.put("chain_1e7", () -> time(() -> chain.call(cx, cy), reps(15, scale), 2));
        cases.put("gemm_400x784x300", () -> time(() -> gemm.call(g1a, g1b), reps(100, scale), 5));
        cases.put("gemm_1024", () -> time(() -> gemm.call(g2a, g2b), reps(30, scale), 5));
        Map<String, Timing> tcc = new LinkedHashMap<>();
        Map<String, Map<String, Double>> np = new LinkedHashMap<>();
        int rounds = quick ? 1 : 2;
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Supplier<Timing>> c : cases.entrySet()) {
                Timing t = c.getValue().get();
                tcc.merge(c.getKey(), t, (x, y) -> x.medianMs <= y.medianMs ? x : y);
                Map<String, Double> n = runNumpy(numpyScript, quick, c.getKey()).get(c.getKey());
                np.merge(c.getKey(), n, (x, y) -> x.get("median_ms") <= y.get("median_ms") ? x : y);
                System.err.printf(Locale.ROOT, "round %d %-18s tcc %8.2f ms   numpy %8.2f ms%n", round + 1, c.getKey(), t.medianMs, n.get("median_ms"));
            }
        }
        String[] names = {"gemm_400x784x300", "gemm_1024"};
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put(names[0], String.format(Locale.ROOT, "%.0f GFLOP/s", 2.0 * 400 * 784 * 300 / (tcc.get(names[0]).medianMs * 1e6)));
        notes.put(names[1], String.format(Locale.ROOT, "%.0f GFLOP/s", 2.0 * 1024 * 1024 * 1024 / (tcc.get(names[1]).medianMs * 1e6)));

        // first call of the MLP, in fresh JVMs: an empty cache (compiles), then the same cache
        Path cache = Files.createTempDirectory("tcc-bench-cache-");
        String cold = CpuFirstCall.runChild(cache);
        String warm = CpuFirstCall.runChild(cache);
        // and in this (warm) JVM: a second, identical MLP function, served by the cache
        long b0 = System.nanoTime();
        CpuMlp again = new CpuMlp(Backend.CPU);
        again.train.call(again.x, again.y);
        double inProcess = (System.nanoTime() - b0) / 1e6;

        StringBuilder md = new StringBuilder();
        md.append("| case | tcc CPU median (ms) | numpy median (ms) | tcc / numpy | target | notes |\n");
        md.append("|---|---:|---:|---:|---|---|\n");
        row(md, "(a) MLP train step, N=400, 784→300→1", tcc.get("mlp_step"), np.get("mlp_step"), "≤ 0.70", "");
        row(md, "(b) scalar chain over 10⁷ float32", tcc.get("chain_1e7"), np.get("chain_1e7"), "≤ 0.33", "IEEE math (no -ffast-math)");
        row(md, "(c) GEMM 400×784 · 784×300 float32", tcc.get(names[0]), np.get(names[0]), "≤ 1.11",
                notes.get(names[0]) + " vs " + gflops(np.get(names[0])));
        row(md, "(c) GEMM 1024³ float32", tcc.get(names[1]), np.get(names[1]), "≤ 1.11",
                notes.get(names[1]) + " vs " + gflops(np.get(names[1])));
        md.append('\n');
        md.append("| MLP first call (build + first `train` call) | ms | target |\n|---|---:|---|\n");
        md.append("| fresh JVM, empty cache (includes C compilation) | ").append(field(cold, "first_call_ms"))
          .append(" | ≤ 2000 |\n");
        md.append("| fresh JVM, library from the cache | ").append(field(warm, "first_call_ms")).append(" | ≤ 150 |\n");
        md.append(String.format(Locale.ROOT, "| warm JVM, a second identical function, from the cache | %.0f | |%n", inProcess));
        md.append('\n').append("Fresh-JVM breakdown, empty cache: ").append(field(cold, "breakdown"))
          .append("; from the cache: ").append(field(warm, "breakdown")).append('\n');
        md.append(String.format(Locale.ROOT, "%nload average (1 min) at the start %.2f, at the end %.2f%n", loadBefore, load()));
        md.append("\nmachine: ").append(machine()).append("; ").append(cc).append("; ").append(blas)
          .append("; ").append(numpyEnv).append('\n');
        System.out.print(md);
        if (out != null) Files.writeString(Path.of(out), md.toString());
    }

    private static String numpyEnv = "";

    private static int reps(int n, double scale) { return Math.max(3, (int) (n * scale)); }

    /**
     * Median of {@code reps} timed calls after {@code warmup}. Each call's Outputs are closed inside
     * the timed region, handing their memory to the next call as numpy's reference counting frees
     * an unused result at once.
     */
    static Timing time(Supplier<Outputs> call, int reps, int warmup) {
        for (int i = 0; i < warmup; i++) call.get().close();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            call.get().close();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new Timing(ms[reps / 2], ms[0], ms[reps - 1], reps);
    }

    private static void row(StringBuilder md, String name, Timing t, Map<String, Double> np, String target, String note) {
        double n = np == null ? Double.NaN : np.get("median_ms");
        md.append(String.format(Locale.ROOT, "| %s | %.2f (min %.2f) | %.2f | **%.2f** | %s | %s |%n",
                name, t.medianMs, t.minMs, n, t.medianMs / n, target, note));
    }

    private static String gflops(Map<String, Double> np) {
        return np == null ? "?" : String.format(Locale.ROOT, "numpy %.0f GFLOP/s", np.get("gflops"));
    }

    private static String field(String childOutput, String key) {
        Matcher m = Pattern.compile("^" + key + "=(.*)$", Pattern.MULTILINE).matcher(childOutput);
        return m.find() ? m.group(1).trim() : "?";
    }

    /** Runs the numpy script; returns case → numbers. */
    static Map<String, Map<String, Double>> runNumpy(Path script, boolean quick, String caseName) {
        try {
            return runNumpyProcess(script, quick, caseName);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("numpy benchmark failed: " + e, e);
        }
    }

    static Map<String, Map<String, Double>> runNumpyProcess(Path script, boolean quick, String caseName) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "--case", caseName));
        if (quick) cmd.add("--quick");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Map<String, Double>> result = new LinkedHashMap<>();
        Pattern casePattern = Pattern.compile("\"case\": \"([^\"]+)\"");
        Pattern number = Pattern.compile("\"([a-z_]+)\": ([-0-9.eE+]+)");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                Matcher c = casePattern.matcher(line);
                if (!c.find()) continue;
                if (c.group(1).equals("env")) { numpyEnv = line.replaceAll("[{}\"]", "").replace("case: env, ", ""); continue; }
                Map<String, Double> nums = new LinkedHashMap<>();
                Matcher m = number.matcher(line);
                while (m.find()) nums.put(m.group(1), Double.parseDouble(m.group(2)));
                result.put(c.group(1), nums);
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException("numpy benchmark failed: " + cmd);
        return result;
    }

    private static String machine() {
        String cpu = "?";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (l.startsWith("model name")) { cpu = l.substring(l.indexOf(':') + 1).trim(); break; }
        } catch (IOException ignored) {
            // not Linux
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return dflt;
    }

    private CpuBench() {}
}
