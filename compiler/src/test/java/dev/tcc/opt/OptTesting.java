package dev.tcc.opt;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.interp.Interpreter;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.TensorType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Helpers shared by the optimizer tests: graphs, random inputs, and comparison with the interpreter. */
final class OptTesting {
    private OptTesting() {}

    static FunctionGraph fg(List<Var> inputs, List<Var> outputs) {
        return FunctionGraph.build("test", inputs, outputs, List.of(), Map.of());
    }

    static FunctionGraph fg(List<Var> inputs, List<Var> outputs, List<Map.Entry<SharedVar, Var>> updates) {
        return FunctionGraph.build("test", inputs, outputs, updates, Map.of());
    }

    /** Rewrites only (no fusion), so tests can look at the rewritten nodes. */
    static OptimizedGraph rewriteOnly(FunctionGraph g) {
        return new Optimizer(Optimizer.Options.defaults().skip("fuse")).run(g);
    }

    /** A random array of this type; unknown sizes become {@code unknownSize}. */
    static NDArray random(SplittableRandom rnd, TensorType t, int unknownSize, double lo, double hi) {
        int[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) if (shape[i] == TensorType.UNKNOWN) shape[i] = unknownSize;
        NDArray a = NDArray.zeros(t.dtype(), shape);
        for (int i = 0; i < a.size(); i++) {
            double v;
            switch (t.dtype()) {
                case BOOL: v = rnd.nextBoolean() ? 1 : 0; break;
                case INT32: case INT64: v = rnd.nextInt((int) Math.floor(lo), (int) Math.floor(hi) + 1); break;
                default: v = lo + (hi - lo) * rnd.nextDouble();
            }
            a.setFlat(i, v);
        }
        return a;
    }

    static Map<Var, NDArray> randomEnv(FunctionGraph g, long seed, double lo, double hi) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Var, NDArray> env = new IdentityHashMap<>();
        for (Var in : g.inputs()) env.put(in, random(rnd, in.type(), 3, lo, hi));
        return env;
    }

    /**
     * Evaluates the original and the optimized function with the interpreter on the same inputs and
     * requires equal values wherever the original's value is finite (rewrites may turn inf/NaN into
     * finite values: that is what stabilization is for), and equal dtypes and shapes everywhere.
     */
    static void assertSameValues(FunctionGraph original, FunctionGraph optimized, Map<Var, NDArray> env, String label) {
        List<NDArray> want = Interpreter.evaluate(original.allResults(), env);
        List<NDArray> got = Interpreter.evaluate(optimized.allResults(), env);
        for (int k = 0; k < want.size(); k++) {
            NDArray w = want.get(k), o = got.get(k);
            if (w.dtype() != o.dtype() || !java.util.Arrays.equals(w.shape(), o.shape()))
                fail(label + ": result " + k + " is " + o.dtype() + TensorType.shapeString(o.shape()) + ", want "
                        + w.dtype() + TensorType.shapeString(w.shape()));
            double rtol = w.dtype() == DType.FLOAT32 ? 2e-4 : 1e-9;
            double atol = w.dtype() == DType.FLOAT32 ? 1e-5 : 1e-12;
            for (int i = 0; i < w.size(); i++) {
                double a = w.getFlat(i), b = o.getFlat(i);
                if (!Double.isFinite(a)) continue;
                if (!(Math.abs(a - b) <= atol + rtol * Math.abs(a)))
                    fail(label + ": result " + k + " element " + i + " is " + b + ", want " + a + "\n  want " + w + "\n  got  " + o);
            }
        }
    }

    /** How many nodes of the optimized graph have an op of this class. */
    static int countOps(OptimizedGraph o, Class<?> op) {
        int n = 0;
        for (var node : o.nodes()) if (op.isInstance(node.op())) n++;
        return n;
    }

    /** How many elementwise nodes of this scalar op the optimized graph has. */
    static int countScalar(OptimizedGraph o, dev.tcc.ops.ScalarOp s) {
        int n = 0;
        for (var node : o.nodes()) if (node.op() instanceof dev.tcc.ops.Elemwise e && e.scalar() == s) n++;
        return n;
    }

    static List<Var> vars(Var... v) { return new ArrayList<>(List.of(v)); }
}
