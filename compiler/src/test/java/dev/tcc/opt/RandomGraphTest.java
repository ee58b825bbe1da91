package dev.tcc.opt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import dev.tcc.ops.ScalarOp;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test: hundreds of random well-typed graphs (seeded) give the same values optimized
 * (rewritten only, and fully with fusion) and unoptimized, on the reference interpreter. The
 * generator favours the patterns the rules look for (constants 0, 1, -1, 2, 0.5; x-x; log of
 * sigmoid; exp of log; shared subexpressions; casts; reductions over broadcast axes) and mixes
 * shapes that broadcast (matrix, row, column, vector, scalar). Failures name the seed.
 */
class RandomGraphTest {
    static final int ROWS = 3, COLS = 4;

    /** A value in the pool with its run-time shape. */
    record Item(Var v, int[] shape) {}

    static final class Gen {
        final SplittableRandom rnd;
        final DType dt;
        final List<Item> pool = new ArrayList<>();
        final List<Var> inputs = new ArrayList<>();

        Gen(long seed, DType dt) {
            this.rnd = new SplittableRandom(seed);
            this.dt = dt;
            input("m", new int[] {-1, -1}, new int[] {ROWS, COLS});
            input("m2", new int[] {-1, -1}, new int[] {ROWS, COLS});
            input("row", new int[] {1, -1}, new int[] {1, COLS});
            input("col", new int[] {-1, 1}, new int[] {ROWS, 1});
            input("v", new int[] {-1}, new int[] {COLS});
            input("s", new int[] {}, new int[] {});
        }

        void input(String name, int[] type, int[] shape) {
            Var v = T.tensor(name, dt, type);
            inputs.add(v);
            pool.add(new Item(v, shape));
        }

        Item pick() {
            // prefer recent values, so graphs get deep
            int n = pool.size();
            int i = rnd.nextInt(4) == 0 ? rnd.nextInt(n) : n - 1 - rnd.nextInt(Math.min(n, 6));
            return pool.get(i);
        }

        double constant() {
            double[] special = {0, 1, -1, 2, 0.5, 3, -2};
            return rnd.nextInt(3) == 0 ? Math.round((rnd.nextDouble() * 4 - 2) * 8) / 8.0 : special[rnd.nextInt(special.length)];
        }

        /** numpy broadcasting with tcc's rule (only static size 1 stretches); null if incompatible. */
        static int[] broadcast(Item a, Item b) {
            int nd = Math.max(a.shape.length, b.shape.length);
            int[] out = new int[nd];
            for (int i = 0; i < nd; i++) {
                int ia = i - (nd - a.shape.length), ib = i - (nd - b.shape.length);
                int sa = ia < 0 ? 1 : a.shape[ia], sb = ib < 0 ? 1 : b.shape[ib];
                boolean stretchA = ia < 0 || a.v.type().size(ia) == 1, stretchB = ib < 0 || b.v.type().size(ib) == 1;
                if (sa == sb) out[i] = sa;
                else if (sa == 1 && stretchA) out[i] = sb;
                else if (sb == 1 && stretchB) out[i] = sa;
                else return null;
            }
            return out;
        }

        void step() {
            Item a = pick();
            Var r = null;
            int[] shape = a.shape;
            int kind = rnd.nextInt(20);
            ScalarOp[] unary = {ScalarOp.EXP, ScalarOp.LOG, ScalarOp.SQRT, ScalarOp.SIGMOID, ScalarOp.TANH, ScalarOp.NEG,
                ScalarOp.ABS, ScalarOp.SQR, ScalarOp.SOFTPLUS, ScalarOp.RELU, ScalarOp.LOG1P, ScalarOp.EXPM1, ScalarOp.SIN};
            ScalarOp[] binary = {ScalarOp.ADD, ScalarOp.SUB, ScalarOp.MUL, ScalarOp.DIV, ScalarOp.MAXIMUM, ScalarOp.MINIMUM, ScalarOp.POW};
            if (kind < 5) {
                r = T.elemwise(unary[rnd.nextInt(unary.length)], a.v);
            } else if (kind < 10) {
                Item b = pick();
                int[] s = broadcast(a, b);
                if (s == null) return;
                ScalarOp op = binary[rnd.nextInt(binary.length)];
                if (op == ScalarOp.POW) { r = T.pow(T.abs(a.v), b.v); }
                else r = T.elemwise(op, a.v, b.v);
                shape = s;
            } else if (kind < 13) {
                ScalarOp op = binary[rnd.nextInt(binary.length)];
                double c = constant();
                r = rnd.nextBoolean() ? T.elemwise(op, a.v, c) : T.elemwise(op, c, a.v);
            } else if (kind == 13) {
                switch (rnd.nextInt(6)) {
                    case 0: r = a.v.sub(a.v); break;
                    case 1: r = T.log(T.sigmoid(a.v)); break;
                    case 2: r = T.log(T.sub(1.0, T.sigmoid(a.v))); break;
                    case 3: r = T.exp(T.log(a.v)); break;
                    case 4: r = T.log(T.add(1.0, T.exp(a.v))); break;
                    default: r = T.exp(a.v).sub(1.0); break;
                }
            } else if (kind == 14) {
                Item b = pick(), c = pick();
                int[] s1 = broadcast(a, b);
                if (s1 == null) return;
                Item ab = new Item(a.v.add(b.v), s1);
                int[] s2 = broadcast(ab, c);
                if (s2 == null) return;
                r = T.where(T.gt(a.v, b.v), ab.v, c.v);     // where(cond, a+b, c)
                shape = s2;
            } else if (kind == 15 && a.shape.length > 0) {
                int axis = rnd.nextInt(a.shape.length);
                boolean keep = rnd.nextBoolean();
                switch (rnd.nextInt(4)) {
                    case 0: r = T.sum(a.v, new int[] {axis}, keep); break;
                    case 1: r = T.mean(a.v, new int[] {axis}, keep); break;
                    case 2: r = T.max(a.v, new int[] {axis}, keep); break;
                    default: r = T.sum(a.v.mul(constant()), new int[] {axis}, keep); break;
                }
                shape = reduced(a.shape, axis, keep);
            } else if (kind == 16 && a.shape.length == 2) {
                r = a.v.T().T().add(a.v);                  // transposes of transposes
            } else if (kind == 17) {
                DType other = dt == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
                r = rnd.nextBoolean() ? a.v.cast(other).cast(dt) : T.stopGradient(a.v).mul(1.0);
            } else if (kind == 18 && a.shape.length == 2 && a.shape[0] == ROWS && a.shape[1] == COLS) {
                r = T.softmax(a.v);
                if (rnd.nextBoolean()) r = T.log(r);
            } else if (kind == 19) {
                Item b = pick();
                int[] s = broadcast(a, b);
                if (s == null) return;
                Var common = a.v.mul(b.v);                 // the same expression built twice: CSE
                r = common.add(a.v.mul(b.v).mul(0.0)).sub(T.mul(b.v, a.v));
                shape = s;
            }
            if (r == null) return;
            pool.add(new Item(r, shape));
        }

        static int[] reduced(int[] s, int axis, boolean keep) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < s.length; i++) if (i != axis) out.add(s[i]); else if (keep) out.add(1);
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        Map<Var, NDArray> env(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            Map<Var, NDArray> env = new IdentityHashMap<>();
            for (int k = 0; k < inputs.size(); k++) {
                Var in = inputs.get(k);
                int[] shape = pool.get(k).shape;
                env.put(in, OptTesting.random(r, new TensorType(dt, shape), 1, -2, 2));
            }
            return env;
        }
    }

    /**
     * Whether an inf or NaN of the unoptimized evaluation reaches an op that can turn it into a
     * finite value: a comparison or logic op, the condition of a where, pow (x**0 is 1 even for NaN),
     * a cast to an integer or bool, argmax/argmin. Rewrites such as x-x -> 0 hold for finite x only
     * (as in Theano), so there the two graphs may legitimately differ in finite values.
     */
    static boolean nanMasked(FunctionGraph f, Map<Var, NDArray> env) {
        List<dev.tcc.ir.Node> order = dev.tcc.ir.Graphs.toposort(f.allResults());
        List<Var> all = new ArrayList<>();
        for (dev.tcc.ir.Node n : order) all.addAll(n.outputs());
        List<NDArray> values = dev.tcc.interp.Interpreter.evaluate(all, env);
        Map<Var, NDArray> value = new IdentityHashMap<>(env);
        for (int i = 0; i < all.size(); i++) value.put(all.get(i), values.get(i));
        for (dev.tcc.ir.Node n : order) {
            boolean masking;
            List<Var> watched = n.inputs();
            if (n.op() instanceof dev.tcc.ops.Elemwise e) {
                ScalarOp s = e.scalar();
                masking = s.isPredicate() || s == ScalarOp.POW || (s == ScalarOp.CAST && !e.castTo().isFloat());
                if (s == ScalarOp.WHERE) { masking = true; watched = List.of(n.input(0)); }
            } else {
                masking = n.op() instanceof dev.tcc.ops.Reduce r && r.kind().isArg();
            }
            if (!masking) continue;
            for (Var in : watched) {
                NDArray a = value.get(in);
                if (a == null) continue;                   // a constant: finite
                for (int i = 0; i < a.size(); i++) if (!Double.isFinite(a.getFlat(i))) return true;
            }
        }
        return false;
    }

    /** Returns whether the graph was compared (false when an inf/NaN reached a masking op). */
    static boolean runOne(long seed, DType dt) {
        Gen g = new Gen(seed, dt);
        int steps = 5 + g.rnd.nextInt(30);
        for (int i = 0; i < steps; i++) {
            try {
                g.step();
            } catch (TypeError e) {
                // the generator tried something ill-typed: skip it
            }
        }
        List<Var> outs = new ArrayList<>();
        int nOut = 1 + g.rnd.nextInt(3);
        for (int i = 0; i < nOut; i++) outs.add(g.pool.get(g.pool.size() - 1 - g.rnd.nextInt(Math.min(g.pool.size(), 8))).v());
        FunctionGraph f = OptTesting.fg(g.inputs, outs);
        Map<Var, NDArray> env = g.env(seed * 7 + 1);
        String label = "random graph seed " + seed + " (" + dt + ")";
        if (nanMasked(f, env)) return false;
        try {
            OptimizedGraph rewritten = OptTesting.rewriteOnly(f);
            OptTesting.assertSameValues(f, rewritten.graph(), env, label + ", rewritten");
            // the rewrite phases reached their fixpoint: doing it again changes nothing
            OptimizedGraph again = OptTesting.rewriteOnly(rewritten.graph());
            int fired = 0;
            for (PassReport.Phase p : again.report().phases()) for (int c : p.counts().values()) fired += c;
            assertTrue(fired == 0, label + ": a second optimization still rewrote:\n" + again.report().format()
                    + "\nafter the first:\n" + Dump.graph(rewritten.graph().allResults()));
            OptimizedGraph full = Optimizer.optimize(f);
            full.report().totals().forEach((k, v) -> FIRED.merge(k, v, Integer::sum));
            OptTesting.assertSameValues(f, full.graph(), env, label + ", fused");
            assertTrue(full.nodesAfter() <= full.nodesBefore() + 2, label + ": the graph grew from " + full.nodesBefore() + " to " + full.nodesAfter());
            return true;
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + Dump.graph(f.allResults()), e);
        } catch (TccException e) {
            throw new AssertionError(label + ": " + e.getMessage() + "\n" + Dump.graph(f.allResults()), e);
        }
    }

    static final Map<String, Integer> FIRED = new java.util.TreeMap<>();

    @org.junit.jupiter.api.AfterAll
    static void printStats() { System.out.println("rules fired over the random graphs: " + FIRED); }

    @Test
    void float64Graphs() {
        int compared = 0, total = 300;
        for (long seed = 1; seed <= total; seed++) if (runOne(seed, DType.FLOAT64)) compared++;
        System.out.println("float64: compared " + compared + " of " + total);
        assertTrue(compared >= total * 8 / 10, "only " + compared + " of " + total + " graphs could be compared");
    }

    @Test
    void float32Graphs() {
        int compared = 0, total = 200;
        for (long seed = 1001; seed < 1001 + total; seed++) if (runOne(seed, DType.FLOAT32)) compared++;
        System.out.println("float32: compared " + compared + " of " + total);
        assertTrue(compared >= total * 8 / 10, "only " + compared + " of " + total + " graphs could be compared");
    }
}
