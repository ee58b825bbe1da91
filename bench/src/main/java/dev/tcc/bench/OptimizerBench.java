package dev.tcc.bench;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Rng;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Site;
import dev.tcc.opt.OptimizedGraph;
import dev.tcc.opt.Optimizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Optimizer scaling: optimizes generated graphs of about 10k, 100k and 200k nodes and prints, per
 * graph family and size, the minimum and median wall time and the median thread CPU time of
 * {@link Optimizer#optimize} over the repetitions, node counts before and after, and
 * time(200k)/time(100k) of the minimum wall times (the least disturbed by other load on the machine).
 * For scale it also times, in the same repetitions, a plain topological sort of each input graph
 * ({@link Graphs#toposort}, linear time): the ratio of its times shows how much of a pass's growth
 * beyond 2x per doubling is the machine's memory hierarchy (a bigger graph spills further out of the
 * caches) rather than the algorithm.
 * The repetitions take the sizes in turn, so that the machine's slower and faster minutes fall on
 * every size alike.
 *
 * <pre>
 *   scripts/bench optimizer [--sizes 10000,100000,200000] [--reps 5] [--family mlp,elemwise,grad]
 * </pre>
 * Families:
 * <ul>
 * <li>{@code mlp}: a deep stack of small dense layers, {@code h = sigmoid(dot(h, W) + b)}, with the
 *     redundancy gradients and hand-written code typically have ({@code *1}, {@code +0}, a sigmoid
 *     computed twice, {@code log(sigmoid)}), 11 nodes per layer;</li>
 * <li>{@code elemwise}: a deep elementwise chain with constants to fold and chains to flatten,
 *     10 nodes per step; it fuses into kernels of at most 512 instructions;</li>
 * <li>{@code grad}: a whole train step — a deep stack of dense sigmoid layers, the literal
 *     cross-entropy, {@code T.grad} with respect to all parameters, and their updates.</li>
 * </ul>
 */
public final class OptimizerBench {
    private OptimizerBench() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int[] sizes = {10_000, 100_000, 200_000};
        int reps = 5;
        List<String> families = List.of("mlp", "elemwise", "grad");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes": sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--family": families = List.of(args[++i].split(",")); break;
                default:
                    System.err.println("usage: OptimizerBench [--sizes N,N,...] [--reps R] [--family mlp,elemwise,grad]");
                    System.exit(2);
            }
        }
        System.out.printf(Locale.ROOT, "# Optimizer scaling (%s, %d CPUs, java %s, max heap %d MB)%n%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        // warm up the JIT on a small graph of every family
        for (String f : families) for (int w = 0; w < 4; w++) Optimizer.optimize(build(f, 10_000));
        System.out.println("| graph | nodes before | nodes after | fused kernels | wall ms (min) | wall ms (median) | thread cpu ms (median) | toposort ms (min) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String f : families) {
            // every size's graph is built and optimized once untimed, then the repetitions visit the
            // sizes in turn (10k, 100k, 200k, 10k, ...), so that a slow minute of the machine (other
            // processes' memory traffic in the shared L3) falls on every size alike, not on one
            FunctionGraph[] graphs = new FunctionGraph[sizes.length];
            int[] nodes = new int[sizes.length];
            for (int s = 0; s < sizes.length; s++) {
                graphs[s] = build(f, sizes[s]);
                nodes[s] = Graphs.countNodes(graphs[s].allResults());
                Optimizer.optimize(graphs[s]);
            }
            double[][] wall = new double[sizes.length][reps], cpu = new double[sizes.length][reps], walk = new double[sizes.length][reps];
            OptimizedGraph[] last = new OptimizedGraph[sizes.length];
            for (int r = 0; r < reps; r++) {
                for (int s = 0; s < sizes.length; s++) {
                    System.gc();
                    long c0 = THREADS.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                    last[s] = Optimizer.optimize(graphs[s]);
                    wall[s][r] = (System.nanoTime() - t0) / 1e6;
                    cpu[s][r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
                    t0 = System.nanoTime();
                    if (Graphs.toposort(graphs[s].allResults()).size() > nodes[s]) throw new AssertionError();
                    walk[s][r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            for (int s = 0; s < sizes.length; s++)
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %.0f | %.0f | %.1f |%n", f, nodes[s], last[s].nodesAfter(),
                        last[s].fusedKernels(), min(wall[s]), median(wall[s]), median(cpu[s]), min(walk[s]));
            for (int s = 1; s < sizes.length; s++)
                System.out.printf(Locale.ROOT, "%n%s: time(%d)/time(%d) = %.2f (min wall); toposort of the same graphs: %.2f", f, sizes[s], sizes[s - 1],
                        min(wall[s]) / min(wall[s - 1]), min(walk[s]) / min(walk[s - 1]));
            System.out.println();
            System.out.println();
        }
    }

    static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    /** A function graph of about {@code nodes} nodes of the given family. */
    public static FunctionGraph build(String family, int nodes) {
        IntFunction<FunctionGraph> b;
        switch (family) {
            case "mlp": b = OptimizerBench::mlp; break;
            case "elemwise": b = OptimizerBench::elemwise; break;
            case "grad": b = OptimizerBench::grad; break;
            default: throw new IllegalArgumentException("unknown graph family '" + family + "'; use mlp, elemwise or grad");
        }
        // Build at a fixed site: walking the stack for every node's creation site is slow, and irrelevant here.
        return Site.with(new Site("OptimizerBench.java", 1, 0), () -> b.apply(nodes));
    }

    /** Deep stack of 16-wide dense layers with typical redundancy; 11 nodes per layer. */
    static FunctionGraph mlp(int nodes) {
        Rng rng = new Rng(1);
        int width = 16, distinct = 8;
        List<SharedVar> ws = new ArrayList<>(), bs = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            ws.add(new SharedVar(rng.randn(width, width), "W" + i, Site.here()));
            bs.add(new SharedVar(NDArray.zeros(DType.FLOAT32, width), "b" + i, Site.here()));
        }
        Var x = T.matrix("x");
        Var h = x;
        int layers = Math.max(1, nodes / 11);
        for (int l = 0; l < layers; l++) {
            Var z = T.dot(h, ws.get(l % distinct)).add(bs.get(l % distinct));
            Var a = T.sigmoid(z).mul(1).add(0);                  // x*1, x+0
            Var logp = T.log(T.sigmoid(z));                      // sigmoid merges with the one above; stabilized
            h = a.mul(0.5).add(T.exp(logp).mul(0.5));
        }
        return FunctionGraph.build("mlp", List.of(x), List.of(h.sum()), List.of(), Map.of());
    }

    /** A train step of a deep dense stack: forward, cross-entropy, T.grad, updates; about 13 nodes per layer. */
    static FunctionGraph grad(int nodes) {
        Rng rng = new Rng(2);
        int width = 16, distinct = 8;
        List<SharedVar> params = new ArrayList<>();
        List<SharedVar> ws = new ArrayList<>(), bs = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            ws.add(new SharedVar(rng.randn(width, width), "W" + i, Site.here()));
            bs.add(new SharedVar(NDArray.zeros(DType.FLOAT32, width), "b" + i, Site.here()));
        }
        params.addAll(ws);
        params.addAll(bs);
        Var x = T.matrix("x"), y = T.matrix("y");
        Var h = x;
        int layers = Math.max(1, nodes / 13);
        for (int l = 0; l < layers; l++) h = T.sigmoid(T.dot(h, ws.get(l % distinct)).add(bs.get(l % distinct)));
        Var xent = y.neg().mul(T.log(h)).sub(T.sub(1, y).mul(T.log(T.sub(1, h))));
        Var cost = xent.mean();
        List<Var> g = T.grad(cost, new ArrayList<Var>(params));
        List<Map.Entry<SharedVar, Var>> updates = new ArrayList<>();
        for (int i = 0; i < params.size(); i++)
            updates.add(new java.util.AbstractMap.SimpleImmutableEntry<>(params.get(i), params.get(i).sub(g.get(i).mul(0.1))));
        return FunctionGraph.build("train", List.of(x, y), List.of(xent), updates, Map.of());
    }

    /** Deep elementwise chain; 10 nodes per step. */
    static FunctionGraph elemwise(int nodes) {
        Var x = T.vector("x");
        Var h = x;
        int steps = Math.max(1, nodes / 10);
        for (int i = 0; i < steps; i++) {
            Var a = h.mul(1.0001).add(0.5).sub(0.5);             // constants cancel (add chain)
            Var c = T.tanh(a).mul(2).mul(0.5);                   // constants fold (mul chain)
            h = c.add(x.mul(0)).sub(h.mul(0.001));                // x*0 drops
        }
        return FunctionGraph.build("elemwise", List.of(x), List.of(h), List.of(), Map.of());
    }
}
