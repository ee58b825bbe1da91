package dev.tcc.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Rng;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.interp.Interpreter;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Site;
import java.util.AbstractMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.tcc.ir.Node;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.ScalarOp;
import org.junit.jupiter.api.Test;

/** The seed MLP's train function (DESIGN.md §5), optimized. */
class MlpTrainTest {
    static final int N = 400, FEATS = 784, HIDDEN = 300;

    record Mlp(FunctionGraph train, Var x, Var y, SharedVar w1, SharedVar b1, SharedVar w2, SharedVar b2) {}

    /** The network exactly as DESIGN.md §5 writes it, with the seed's data and weights (Rng(1234)). */
    static Mlp build() {
        Rng rng = new Rng(1234);
        Var x = T.matrix("x");
        Var y = T.vector("y");
        SharedVar w1 = new SharedVar(rng.randn(FEATS, HIDDEN), "w1", Site.here());
        SharedVar b1 = new SharedVar(NDArray.zeros(DType.FLOAT32, HIDDEN), "b1", Site.here());
        SharedVar w2 = new SharedVar(rng.randn(HIDDEN), "w2", Site.here());
        SharedVar b2 = new SharedVar(NDArray.scalar(DType.FLOAT32, 0), "b2", Site.here());
        Var p1 = T.sigmoid(T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2));
        Var prediction = p1.gt(0.5).named("prediction");
        Var xent = y.neg().mul(T.log(p1)).sub(T.sub(1, y).mul(T.log(T.sub(1, p1)))).named("xent");
        Var cost = xent.mean().add(T.mul(0.01, w1.sqr().sum().add(w2.sqr().sum()).add(b1.sqr().sum()).add(b2.sqr())));
        List<Var> g = T.grad(cost, w1, b1, w2, b2);
        FunctionGraph train = FunctionGraph.build("train", List.of(x, y), List.of(prediction, xent), List.of(
                upd(w1, w1.sub(g.get(0).mul(0.1))), upd(b1, b1.sub(g.get(1).mul(0.1))),
                upd(w2, w2.sub(g.get(2).mul(0.1))), upd(b2, b2.sub(g.get(3).mul(0.1)))), Map.of());
        return new Mlp(train, x, y, w1, b1, w2, b2);
    }

    static Map.Entry<SharedVar, Var> upd(SharedVar s, Var v) { return new AbstractMap.SimpleImmutableEntry<>(s, v); }

    /** Seed data: x (400×784) and y (400, 0/1) drawn after the weights from the same Rng, as in the seed. */
    static Map<Var, NDArray> seedInputs(Mlp m) {
        Rng rng = new Rng(99);
        NDArray x = rng.randn(N, FEATS);
        NDArray y = rng.randint(0, 2, N).astype(DType.FLOAT32);
        Map<Var, NDArray> env = new IdentityHashMap<>();
        env.put(m.x(), x);
        env.put(m.y(), y);
        return env;
    }

    /**
     * Node counts and kernels. Before: 71 nodes (forward, cost, gradients, 4 updates). After: 18 —
     * 4 GEMMs (2 forward, 2 backward), 2 reductions (b1's and b2's gradients), the element count of
     * the mean, 4 dimshuffles (transposes and broadcasts, views), and at most 7 fused kernels: one per
     * iteration space between GEMMs and reductions — the hidden layer forward (?×300); everything per
     * sample at the output (z, p, prediction, cross-entropy and its gradient: one kernel, three
     * outputs); the hidden layer backward (?×300); and one per update (784×300, 300, 300, scalar),
     * each the epilogue of a different GEMM or reduction. Fewer would need fusing across GEMMs and
     * reductions, which is the scheduler's job.
     */
    @Test
    void nodeCountsAndFusedKernels() {
        Mlp m = build();
        OptimizedGraph o = Optimizer.optimize(m.train());
        String info = "nodes " + o.nodesBefore() + " -> " + o.nodesAfter() + ", fused kernels " + o.fusedKernels()
                + "\n" + Dump.graph(o.graph().allResults()) + o.report().format();
        System.out.println("MLP train: " + info);
        assertEquals(71, o.nodesBefore(), info);
        assertTrue(o.nodesAfter() <= 18, info);
        assertTrue(o.fusedKernels() <= 7, info);
        assertEquals(Set.of(0, 1, 2, 3), o.inplace().updateIndices(), o.inplace().format(o.graph()));
        assertEquals(0, countDivisionsBy(o, ScalarOp.SIGMOID), "the gradient must not divide by the sigmoid");
    }

    /** Instructions of fused programs (or nodes) that divide by a sigmoid's value. */
    static int countDivisionsBy(OptimizedGraph o, ScalarOp op) {
        int n = 0;
        for (Node node : o.nodes()) {
            if (!(node.op() instanceof FusedElemwise f)) continue;
            for (FusedElemwise.Instr ins : f.program()) {
                if (ins.op() != ScalarOp.DIV) continue;
                int d = ins.args().get(1);
                if (d >= f.nInputs() && f.program().get(d - f.nInputs()).op() == op) n++;
            }
        }
        return n;
    }

    /**
     * On the seed's unscaled weights the output unit saturates: sigmoid rounds to exactly 0 or 1 in
     * float32, the literal cross-entropy is inf and its gradient NaN (unoptimized). Optimized, the
     * cross-entropy is finite everywhere, and the whole step (prediction, cross-entropy, the four
     * updates) equals the unoptimized step of the same network written in the stable form,
     * {@code y·softplus(-z) + (1-y)·softplus(z)}, differentiated by T.grad.
     */
    @Test
    void crossEntropyIsFiniteOnSaturatedInputs() {
        Mlp m = build();
        FunctionGraph g = m.train();
        OptimizedGraph o = Optimizer.optimize(g);
        Map<Var, NDArray> env = seedInputs(m);
        List<NDArray> before = Interpreter.evaluate(g.allResults(), env);
        List<NDArray> after = Interpreter.evaluate(o.graph().allResults(), env);
        NDArray xentBefore = before.get(1), xentAfter = after.get(1);
        int infBefore = 0;
        for (int i = 0; i < N; i++) if (!Double.isFinite(xentBefore.getFlat(i))) infBefore++;
        assertTrue(infBefore > 0, "the seed's network should saturate (unoptimized xent has inf)");
        assertTrue(!Double.isFinite(before.get(2).getFlat(0)), "and the unoptimized gradient step should be NaN");
        for (int i = 0; i < N; i++) assertTrue(Double.isFinite(xentAfter.getFlat(i)), "xent[" + i + "] = " + xentAfter.getFlat(i));
        for (int k = 2; k < after.size(); k++)
            for (int i = 0; i < after.get(k).size(); i++)
                assertTrue(Double.isFinite(after.get(k).getFlat(i)), "update " + (k - 2) + " element " + i + " is not finite");

        FunctionGraph stable = stableTrain(m);
        List<NDArray> want = Interpreter.evaluate(stable.allResults(), env);
        for (NDArray a : want) for (int i = 0; i < a.size(); i++) assertTrue(Double.isFinite(a.getFlat(i)));
        OptTesting.assertSameValues(stable, o.graph(), env, "optimized literal step vs unoptimized stable step");
    }

    /** The same train function with the cross-entropy written stably (the grad tests' form). */
    static FunctionGraph stableTrain(Mlp m) {
        Var x = m.x(), y = m.y();
        SharedVar w1 = m.w1(), b1 = m.b1(), w2 = m.w2(), b2 = m.b2();
        Var z = T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2);
        Var prediction = T.sigmoid(z).gt(0.5);
        Var xent = y.mul(T.softplus(z.neg())).add(T.sub(1, y).mul(T.softplus(z)));
        Var cost = xent.mean().add(T.mul(0.01, w1.sqr().sum().add(w2.sqr().sum()).add(b1.sqr().sum()).add(b2.sqr())));
        List<Var> g = T.grad(cost, w1, b1, w2, b2);
        return FunctionGraph.build("train_stable", List.of(x, y), List.of(prediction, xent), List.of(
                upd(w1, w1.sub(g.get(0).mul(0.1))), upd(b1, b1.sub(g.get(1).mul(0.1))),
                upd(w2, w2.sub(g.get(2).mul(0.1))), upd(b2, b2.sub(g.get(3).mul(0.1)))), Map.of());
    }

    /** With small weights nothing saturates: every output and update equals the unoptimized graph's. */
    @Test
    void sameValuesAsUnoptimizedWhenNotSaturated() {
        Mlp m = build();
        m.w1().setValue(scaled(m.w1().getValue(), 0.02));
        m.w2().setValue(scaled(m.w2().getValue(), 0.1));
        OptimizedGraph o = Optimizer.optimize(m.train());
        Map<Var, NDArray> env = seedInputs(m);
        List<NDArray> before = Interpreter.evaluate(m.train().allResults(), env);
        for (NDArray a : before) for (int i = 0; i < a.size(); i++) assertTrue(Double.isFinite(a.getFlat(i)));
        OptTesting.assertSameValues(m.train(), o.graph(), env, "MLP train, small weights");
    }

    static NDArray scaled(NDArray a, double s) {
        NDArray r = a.copy();
        for (int i = 0; i < r.size(); i++) r.setFlat(i, r.getFlat(i) * s);
        return r;
    }
}
