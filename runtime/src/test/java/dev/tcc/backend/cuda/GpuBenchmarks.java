package dev.tcc.backend.cuda;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.Outputs;
import dev.tcc.Rng;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The GPU benchmarks that scripts/gpu-check runs from the bundle (no Maven there):
 * <ol>
 *   <li>{@code mlp}: the seed MLP (400×784 inputs, 300 hidden units), 10,000 {@code train} steps:
 *       once as the seed writes it (inputs passed from the host each call), once with the data
 *       resident on the device (givens of shared variables);</li>
 *   <li>{@code elementwise}: a fused elementwise update over 10^8 float32
 *       ({@code y := 0.9·y + 0.5·tanh(x)}, 12 bytes an element) as a fraction of a device-to-device
 *       copy (8 bytes an element) measured in the same run, both timed by host wall-clock per
 *       call including the synchronize ({@code fraction_of_copy}); also against the copy timed by
 *       events alone ({@code fraction_of_copy_events}, the stricter figure);</li>
 *   <li>{@code sgemm}: {@code c := a·b} for 4096×4096 float32, in GFLOP/s.</li>
 * </ol>
 * Prints one {@code key: value} line per figure and exits 1 when a result check fails (each
 * benchmark checks its results against host arithmetic), 2 when no device is usable.
 * Arguments: {@code --only mlp,elementwise,sgemm}, {@code --mlp-steps N}, {@code --elements N},
 * {@code --gemm N}.
 */
public final class GpuBenchmarks {
    private static boolean failed;

    public static void main(String[] args) {
        List<String> only = List.of("mlp", "elementwise", "sgemm");
        int steps = 10_000, elements = 100_000_000, gemm = 4096;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--mlp-steps" -> steps = Integer.parseInt(args[++i]);
                case "--elements" -> elements = Integer.parseInt(args[++i]);
                case "--gemm" -> gemm = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (!CudaBackend.isAvailable()) {
            System.out.println("error: no usable CUDA device: " + CudaBackend.unavailableReason());
            System.exit(2);
        }
        line("device", CudaBackend.describe());
        line("cuda_graphs", String.valueOf(CudaOptions.current().graphs()));
        final int mlpSteps = steps, n = elements, g = gemm;
        if (only.contains("mlp")) guard("mlp", () -> { mlp(mlpSteps, false); mlp(mlpSteps, true); });
        if (only.contains("elementwise")) guard("elementwise", () -> elementwise(n));
        if (only.contains("sgemm")) guard("sgemm", () -> sgemm(g));
        line("result", failed ? "MISMATCH" : "ok");
        System.exit(failed ? 1 : 0);
    }

    private static void guard(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            failed = true;
            line(what + ".error", e.toString().replace('\n', ' '));
            e.printStackTrace();
        }
    }

    static void line(String key, String value) {
        System.out.println(key + ": " + value);
        System.out.flush();
    }

    static String f(String fmt, Object... a) { return String.format(Locale.ROOT, fmt, a); }

    static void check(String what, boolean ok, String detail) {
        if (!ok) {
            failed = true;
            line(what + ".mismatch", detail);
        }
    }

    /** The seed MLP as DESIGN.md §5 writes it; resident = data as shared variables through givens. */
    static void mlp(int steps, boolean resident) {
        String p = resident ? "mlp_resident" : "mlp";
        Rng rng = new Rng(1234);
        NDArray xv = rng.randn(400, 784);
        NDArray yv = rng.randint(0, 2, 400).astype(DType.FLOAT32);
        SharedVar w1 = Tcc.shared(rng.randn(784, 300), "w1");
        SharedVar b1 = Tcc.shared(NDArray.zeros(DType.FLOAT32, 300), "b1");
        SharedVar w2 = Tcc.shared(rng.randn(300), "w2");
        SharedVar b2 = Tcc.shared(0.0, "b2");
        Var x = T.matrix("x"), y = T.vector("y");
        Var p1 = T.sigmoid(T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2));
        Var prediction = p1.gt(0.5);
        Var xent = y.neg().mul(T.log(p1)).sub(T.sub(1, y).mul(T.log(T.sub(1, p1))));
        Var cost = xent.mean().add(T.mul(0.01, w1.sqr().sum().add(w2.sqr().sum()).add(b1.sqr().sum()).add(b2.sqr())));
        List<Var> g = T.grad(cost, w1, b1, w2, b2);
        long t0 = System.nanoTime();
        var builder = Tcc.function("train").outputs(prediction, xent)
                .update(w1, w1.sub(g.get(0).mul(0.1))).update(b1, b1.sub(g.get(1).mul(0.1)))
                .update(w2, w2.sub(g.get(2).mul(0.1))).update(b2, b2.sub(g.get(3).mul(0.1)))
                .backend(Backend.CUDA);
        Object[] args;
        if (resident) {
            builder.givens(x, Tcc.shared(xv, "x_data")).givens(y, Tcc.shared(yv, "y_data"));
            args = new Object[0];
        } else {
            builder.inputs(x, y);
            args = new Object[] {xv, yv};
        }
        Function train = builder.build();
        long t1 = System.nanoTime();
        Outputs first = train.call(args);
        long t2 = System.nanoTime();
        Outputs last = first;
        for (int i = 1; i < steps; i++) last = train.call(args);
        long t3 = System.nanoTime();
        line(p + ".build_s", f("%.3f", (t1 - t0) / 1e9));
        line(p + ".first_call_s", f("%.3f", (t2 - t1) / 1e9));
        line(p + ".steps", String.valueOf(steps));
        line(p + ".total_s", f("%.3f", (t3 - t1) / 1e9));
        line(p + ".per_step_us", f("%.1f", (t3 - t2) / 1e3 / Math.max(1, steps - 1)));
        double meanXent = 0;
        int correct = 0;
        NDArray pred = last.get(0), xe = last.get(1);
        for (int i = 0; i < 400; i++) {
            meanXent += xe.getFlat(i) / 400;
            if ((pred.getFlat(i) != 0) == (yv.getFlat(i) != 0)) correct++;
        }
        line(p + ".final_mean_xent", f("%.6f", meanXent));
        line(p + ".train_accuracy", f("%.4f", correct / 400.0));
        check(p, Double.isFinite(meanXent), "the mean cross-entropy after " + steps + " steps is " + meanXent);
    }

    /** y := 0.9·y + 0.5·tanh(x) over n float32, against a device-to-device copy of n float32. */
    static void elementwise(int n) {
        SplittableRandom r = new SplittableRandom(42);
        NDArray xv = NDArray.zeros(DType.FLOAT32, n), yv = NDArray.zeros(DType.FLOAT32, n);
        for (int i = 0; i < n; i++) {
            xv.setFlat(i, r.nextDouble(-2, 2));
            yv.setFlat(i, r.nextDouble(-1, 1));
        }
        SharedVar x = Tcc.shared(xv, "x"), y = Tcc.shared(yv, "y");
        Function f = Tcc.function("axpy_tanh").update(y, y.mul(0.9).add(T.tanh(x).mul(0.5))).backend(Backend.CUDA).build();
        f.call();
        NDArray y1 = y.getValue();
        int bad = 0;
        for (int k = 0; k < 10_000; k++) {
            int i = r.nextInt(n);
            double want = (float) (0.9f * yv.getFlat(i)) + (float) (0.5f * Math.tanh(xv.getFlat(i)));
            if (Math.abs(y1.getFlat(i) - want) > 1e-5 * Math.abs(want) + 1e-6) bad++;
        }
        check("elementwise", bad == 0, bad + " of 10000 sampled elements differ from the host's result");
        int reps = 20;
        for (int i = 0; i < 3; i++) f.call();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            f.call();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double elemMs = median(ms);
        CudaContext ctx = CudaBackend.context();
        // the copy timed both ways: between events on the stream (the device's time alone), and
        // like the function call above, host wall-clock around enqueue and synchronize, so that
        // the ratio compares like with like (each includes one launch and one synchronize)
        double copyMs, copyWallMs;
        synchronized (ctx) {
            ctx.makeCurrent();
            var a = ctx.allocate(4L * n);
            var b = ctx.allocate(4L * n);
            try {
                ctx.zero(a, 4L * n);
                for (int i = 0; i < 3; i++) ctx.copy(b, a, 4L * n);
                double[] c = new double[reps], w = new double[reps];
                for (int i = 0; i < reps; i++) c[i] = ctx.timeMillis(() -> ctx.copy(b, a, 4L * n));
                for (int i = 0; i < reps; i++) {
                    long t = System.nanoTime();
                    ctx.copy(b, a, 4L * n);
                    ctx.synchronize();
                    w[i] = (System.nanoTime() - t) / 1e6;
                }
                copyMs = median(c);
                copyWallMs = median(w);
            } finally {
                ctx.release(a);
                ctx.release(b);
                ctx.allocator().trim();
            }
        }
        double elemGBs = 12.0 * n / (elemMs / 1e3) / 1e9, copyGBs = 8.0 * n / (copyMs / 1e3) / 1e9;
        double copyWallGBs = 8.0 * n / (copyWallMs / 1e3) / 1e9;
        line("elementwise.elements", String.valueOf(n));
        line("elementwise.median_ms", f("%.3f", elemMs));
        line("elementwise.GB_per_s", f("%.1f", elemGBs));
        line("copy.median_ms", f("%.3f", copyMs));
        line("copy.GB_per_s", f("%.1f", copyGBs));
        line("copy.wall_median_ms", f("%.3f", copyWallMs));
        line("copy.wall_GB_per_s", f("%.1f", copyWallGBs));
        line("elementwise.fraction_of_copy", f("%.3f", elemGBs / copyWallGBs));
        line("elementwise.fraction_of_copy_events", f("%.3f", elemGBs / copyGBs));
    }

    /** c := a·b, n×n float32. */
    static void sgemm(int n) {
        Rng rng = new Rng(5);
        NDArray av = rng.randn(DType.FLOAT32, n, n), bv = rng.randn(DType.FLOAT32, n, n);
        SharedVar a = Tcc.shared(av, "a"), b = Tcc.shared(bv, "b"), c = Tcc.shared(NDArray.zeros(DType.FLOAT32, n, n), "c");
        Function f = Tcc.function("sgemm").update(c, T.dot(a, b)).backend(Backend.CUDA).build();
        f.call();
        NDArray cv = c.getValue();
        SplittableRandom r = new SplittableRandom(9);
        int bad = 0;
        double worst = 0;
        for (int s = 0; s < 64; s++) {
            int i = r.nextInt(n), j = r.nextInt(n);
            double want = 0, scale = 0;
            for (int k = 0; k < n; k++) {
                double p = av.getFlat(i * n + k) * bv.getFlat(k * n + j);
                want += p;
                scale += Math.abs(p);
            }
            double err = Math.abs(cv.getFlat(i * n + j) - want);
            worst = Math.max(worst, err / scale);
            if (err > 1e-5 * scale + 1e-5) bad++;
        }
        check("sgemm", bad == 0, bad + " of 64 sampled entries differ from the host's float64 result (worst relative error "
                + worst + ")");
        for (int i = 0; i < 2; i++) f.call();
        int reps = 10;
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            f.call();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double m = median(ms);
        line("sgemm.n", String.valueOf(n));
        line("sgemm.median_ms", f("%.3f", m));
        line("sgemm.GFLOP_per_s", f("%.1f", 2.0 * n * n * (double) n / (m / 1e3) / 1e9));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

}
