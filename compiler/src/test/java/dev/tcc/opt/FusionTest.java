package dev.tcc.opt;

import static dev.tcc.opt.OptTesting.assertSameValues;
import static dev.tcc.opt.OptTesting.countOps;
import static dev.tcc.opt.OptTesting.fg;
import static dev.tcc.opt.OptTesting.randomEnv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Node;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.FusedElemwise;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Elementwise fusion: maximal groups, multi-output nodes, no cycles, the operand budget. */
class FusionTest {

    static List<Node> fused(OptimizedGraph o) {
        List<Node> l = new ArrayList<>();
        for (Node n : o.nodes()) if (n.op() instanceof FusedElemwise) l.add(n);
        return l;
    }

    @Test
    void aChainBecomesOneKernel() {
        Var x = T.matrix("x"), y = T.matrix("y");
        Var out = T.exp(T.sin(x).add(y)).mul(2.0).sub(y.sqr());
        FunctionGraph g = fg(List.of(x, y), List.of(out));
        OptimizedGraph o = Optimizer.optimize(g);
        assertEquals(1, o.nodesAfter());
        FusedElemwise f = (FusedElemwise) o.nodes().get(0).op();
        assertEquals(6, f.program().size());
        assertEquals(o.sitesOf(o.nodes().get(0)).size(), f.program().size());
        assertSameValues(g, o.graph(), randomEnv(g, 11, -2, 2), "chain");
    }

    @Test
    void aBroadcastOperandIsFusedAsAnInternalValue() {
        Var m = T.matrix("m"), b = T.vector("b");
        Var out = m.add(b.exp().mul(3.0)).tanh();
        FunctionGraph g = fg(List.of(m, b), List.of(out));
        OptimizedGraph o = Optimizer.optimize(g);
        assertEquals(1, fused(o).size());
        assertEquals(0, countOps(o, Elemwise.class));
        assertSameValues(g, o.graph(), randomEnv(g, 12, -2, 2), "broadcast");
    }

    @Test
    void aValueAlsoReadOutsideBecomesAnExtraOutput() {
        Var x = T.matrix("x");
        Var a = x.exp();
        Var out = a.mul(2.0).add(1.0);
        Var total = a.sum();                            // a is read by a reduction, after the group's root? no: before
        FunctionGraph g = fg(List.of(x), List.of(out, total));
        OptimizedGraph o = Optimizer.optimize(g);
        List<Node> f = fused(o);
        assertEquals(1, f.size(), Dump.graph(o.graph().allResults()));
        assertEquals(2, f.get(0).outputs().size());
        assertTrue(o.report().count("fuse.extra_outputs") + o.report().count("fuse.sibling_merges") > 0);
        assertSameValues(g, o.graph(), randomEnv(g, 13, -2, 2), "extra output");
    }

    @Test
    void groupsNeverFormACycleThroughAReduction() {
        Var x = T.matrix("x");
        Var a = x.exp();
        Var out = a.div(a.sum()).mul(3.0);              // softmax-like: a is needed before and after the sum
        FunctionGraph g = fg(List.of(x), List.of(out));
        OptimizedGraph o = Optimizer.optimize(g);
        assertEquals(2, fused(o).size(), Dump.graph(o.graph().allResults()));
        assertSameValues(g, o.graph(), randomEnv(g, 14, -2, 2), "no cycle");
    }

    @Test
    void siblingsReadingACommonFullShapeInputShareAKernel() {
        Var x = T.matrix("x"), y = T.matrix("y");
        Var a = x.exp().add(y), b = x.sin().mul(y), c = x.sqr();
        FunctionGraph g = fg(List.of(x, y), List.of(a, b, c));
        OptimizedGraph o = Optimizer.optimize(g);
        assertEquals(1, fused(o).size(), Dump.graph(o.graph().allResults()));
        assertEquals(3, fused(o).get(0).outputs().size());
        assertSameValues(g, o.graph(), randomEnv(g, 15, -2, 2), "siblings");
    }

    @Test
    void siblingsWhoseShapesMayDifferStayApart() {
        Var r = T.row("r"), y = T.matrix("y"), z = T.matrix("z");
        Var a = r.add(y).exp(), b = r.mul(z).sin();     // share only a broadcast row: y and z may differ in rows
        FunctionGraph g = fg(List.of(r, y, z), List.of(a, b));
        OptimizedGraph o = Optimizer.optimize(g);
        assertEquals(2, fused(o).size());
        SplittableRandom rnd = new SplittableRandom(16);
        Map<Var, NDArray> env = new IdentityHashMap<>();
        env.put(r, OptTesting.random(rnd, new dev.tcc.ir.TensorType(DType.FLOAT32, 1, 3), 3, -1, 1));
        env.put(y, OptTesting.random(rnd, new dev.tcc.ir.TensorType(DType.FLOAT32, 2, 3), 3, -1, 1));
        env.put(z, OptTesting.random(rnd, new dev.tcc.ir.TensorType(DType.FLOAT32, 5, 3), 3, -1, 1));
        assertSameValues(g, o.graph(), env, "different row counts");
    }

    @Test
    void theOperandBudgetSplitsWideGroups() {
        List<Var> ins = new ArrayList<>();
        Var acc = null;
        for (int i = 0; i < 100; i++) {
            Var v = T.vector("v" + i);
            ins.add(v);
            acc = acc == null ? v.exp() : acc.add(v.exp());
        }
        FunctionGraph g = fg(ins, List.of(acc));
        OptimizedGraph o = Optimizer.optimize(g);
        List<Node> f = fused(o);
        assertTrue(f.size() >= 2, "100 inputs cannot fit one kernel of 64 operands");
        for (Node n : f) assertTrue(n.inputs().size() + n.outputs().size() <= FusionBudget.DEFAULT.maxOperands());
        assertTrue(o.report().count("fuse.budget_splits") > 0);
        assertSameValues(g, o.graph(), randomEnv(g, 17, -1, 1), "budget");

        FusionBudget tiny = new FusionBudget(8, 4096, 4);
        OptimizedGraph t = new Optimizer(Optimizer.Options.defaults().withBudget(tiny)).run(g);
        for (Node n : fused(t)) {
            assertTrue(n.inputs().size() + n.outputs().size() <= 8);
            assertTrue(((FusedElemwise) n.op()).program().size() <= 4);
        }
        assertSameValues(g, t.graph(), randomEnv(g, 18, -1, 1), "tiny budget");
    }

    @Test
    void theParameterByteEstimateBindsForHighRanks() {
        FusionBudget b = FusionBudget.DEFAULT;
        assertTrue(b.fits(64, 4, 10));                  // 64 * (8 + 32) + 40 = 2600 bytes
        assertTrue(!b.fits(64, 8, 10));                 // 64 * 72 + 72 = 4680 > 4096
        assertTrue(b.fits(55, 8, 10));                  // 55 * 72 + 72 = 4032
    }

    @Test
    void singletonsCanStayPlainElemwise() {
        Var x = T.matrix("x");
        FunctionGraph g = fg(List.of(x), List.of(x.exp().sum()));
        OptimizedGraph plain = new Optimizer(Optimizer.Options.defaults().withFuseSingletons(false)).run(g);
        assertEquals(0, fused(plain).size());
        assertEquals(1, fused(Optimizer.optimize(g)).size());
    }
}
