package dev.tcc.opt;

import static dev.tcc.opt.OptTesting.assertSameValues;
import static dev.tcc.opt.OptTesting.countScalar;
import static dev.tcc.opt.OptTesting.fg;
import static dev.tcc.opt.OptTesting.randomEnv;
import static dev.tcc.opt.OptTesting.rewriteOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ops.ScalarOp;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The rewrite engine itself: merging, dead code, sites, names, the round cap, deep graphs. */
class EngineTest {

    @Test
    void identicalNodesMerge() {
        Var x = T.matrix("x"), y = T.matrix("y");
        Var out = x.exp().add(y).mul(x.exp().add(y)).add(T.add(y, x).sub(x.add(y)));   // x+y and y+x merge too
        FunctionGraph g = fg(List.of(x, y), List.of(out));
        OptimizedGraph o = new Optimizer(Optimizer.Options.defaults().skip("canonicalize", "stabilize", "specialize", "fuse")).run(g);
        assertTrue(o.report().phases().get(0).count("merge.nodes") >= 3, o.report().format());
        assertEquals(1, countScalar(o, ScalarOp.EXP));
        assertEquals(3, countScalar(o, ScalarOp.ADD));          // exp(x)+y, x+y (y+x merged into it), the outer add
        assertSameValues(g, o.graph(), randomEnv(g, 1, -2, 2), "merge");
    }

    @Test
    void constantsMergeByDtypeShapeAndContents() {
        Var x = T.matrix("x");
        Var a = x.add(T.constant(2.0)), b = x.add(T.constant(2.0));                 // equal: merge, and so do the adds
        Var c = T.cast(x, DType.FLOAT64).add(T.constant(2.0, DType.FLOAT64));        // other dtype: stays
        Var d = x.add(T.constant(NDArray.of(new float[] {2f})));                     // other shape: stays
        Var e = x.add(T.constant(NDArray.of(new float[] {2f})));
        FunctionGraph g = fg(List.of(x), List.of(a, b, c, d, e));
        OptimizedGraph o = new Optimizer(Optimizer.Options.defaults().skip("canonicalize", "stabilize", "specialize", "fuse")).run(g);
        List<Var> r = o.graph().outputs();
        assertSame(r.get(0), r.get(1));
        assertSame(r.get(3), r.get(4));
        assertFalse(r.get(0) == r.get(3));
        assertEquals(2, o.report().count("merge.constants"), o.report().format());
        java.util.Set<Constant> consts = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Node n : o.nodes()) for (Var v : n.inputs()) if (v instanceof Constant k) consts.add(k);
        assertEquals(3, consts.size());
    }

    @Test
    void deadCodeIsDroppedAndCounted() {
        Var x = T.matrix("x");
        Var out = x.exp().log().add(x.sin().mul(0)).sigmoid();
        FunctionGraph g = fg(List.of(x), List.of(out));
        OptimizedGraph o = rewriteOnly(g);
        assertTrue(o.report().count("dce.nodes") >= 4, o.report().format());
        assertEquals(0, countScalar(o, ScalarOp.SIN));
        assertEquals(0, countScalar(o, ScalarOp.EXP));
        assertTrue(o.nodesAfter() < o.nodesBefore());
    }

    @Test
    void rewrittenNodesKeepTheSiteOfTheNodeTheyReplace() {
        Var x = T.matrix("x");
        Var out = x.sigmoid().log();                    // this line is the site of the log node
        Site site = out.site();
        FunctionGraph g = fg(List.of(x), List.of(out));
        OptimizedGraph o = Optimizer.optimize(g);
        for (Node n : o.nodes()) assertEquals(site, n.site(), n.toString());
        assertTrue(site.file().equals("EngineTest.java"), site.toString());
        for (Node n : o.nodes()) for (Site s : o.sitesOf(n)) assertEquals(site, s);
    }

    @Test
    void resultsKeepTheirNames() {
        Var x = T.matrix("x");
        Var out = x.mul(1).add(0).sigmoid().log().named("logp");
        FunctionGraph g = fg(List.of(x), List.of(out));
        assertEquals("logp", rewriteOnly(g).graph().outputs().get(0).name());
        assertEquals("logp", Optimizer.optimize(g).graph().outputs().get(0).name());
        assertEquals("x", x.name());
    }

    /**
     * {@code (t - x) + t*0} with {@code t = x + y}: when the walk reaches {@code t - x}, t still has two
     * readers, so add_chain declines; then {@code t*0} becomes zeros and t is left with one reader.
     * Only a second round simplifies {@code t - x} to y.
     */
    @Test
    void aSecondRoundRunsWhenAUseCountDropsAndTheCapIsHonoured() {
        Var x = T.matrix("x"), y = T.matrix("y");
        Var t = x.add(y);
        FunctionGraph g = fg(List.of(x, y), List.of(t.sub(x).add(t.mul(0))));
        OptimizedGraph full = rewriteOnly(g);
        PassReport.Phase canon = full.report().phases().get(1);
        assertEquals("canonicalize", canon.name());
        assertEquals(2, canon.rounds(), full.report().format());
        assertEquals(1, canon.count("add_chain"));
        assertFalse(canon.roundCapHit());

        OptimizedGraph capped = new Optimizer(Optimizer.Options.defaults().withMaxRounds(1).skip("fuse")).run(g);
        PassReport.Phase c1 = capped.report().phases().get(1);
        assertEquals(1, c1.rounds());
        assertTrue(c1.roundCapHit());
        assertEquals(0, c1.count("add_chain"));
        assertTrue(capped.report().format().contains("round cap hit"));
        assertSameValues(g, capped.graph(), randomEnv(g, 2, -1, 1), "cap");
        assertSameValues(g, full.graph(), randomEnv(g, 2, -1, 1), "two rounds");
    }

    /**
     * Like the above, but t has three readers ({@code t - x}, {@code t*y} and {@code t*0}, a second
     * result): after {@code t*0} goes t still has two, so add_chain would decline again, and no
     * second round runs.
     */
    @Test
    void noSecondRoundWhileTheVariableKeepsSeveralReaders() {
        Var x = T.matrix("x"), y = T.matrix("y");
        Var t = x.add(y);
        FunctionGraph g = fg(List.of(x, y), List.of(t.sub(x).add(t.mul(y)), t.mul(0)));
        OptimizedGraph full = rewriteOnly(g);
        PassReport.Phase canon = full.report().phases().get(1);
        assertEquals("canonicalize", canon.name());
        assertEquals(1, canon.rounds(), full.report().format());
        assertEquals(0, canon.count("add_chain"));
        assertSameValues(g, full.graph(), randomEnv(g, 2, -1, 1), "one round");
    }

    @Test
    void optimizingTwiceChangesNothing() {
        Var x = T.matrix("x"), y = T.matrix("y");
        Var out = T.log(T.sub(1.0, x.add(y).sigmoid())).add(x.mul(2).mul(3)).sub(y.exp().sub(1)).div(2);
        FunctionGraph g = fg(List.of(x, y), List.of(out));
        OptimizedGraph once = rewriteOnly(g);
        OptimizedGraph twice = rewriteOnly(once.graph());
        int fired = 0;
        for (PassReport.Phase p : twice.report().phases()) for (int n : p.counts().values()) fired += n;
        assertEquals(0, fired, twice.report().format());
        assertEquals(once.nodesAfter(), twice.nodesAfter());
        for (PassReport.Phase p : twice.report().phases()) assertEquals(1, p.rounds());
    }

    @Test
    void reportListsEveryPhase() {
        Var x = T.matrix("x");
        OptimizedGraph o = Optimizer.optimize(fg(List.of(x), List.of(x.sigmoid().log())));
        List<String> names = o.report().phases().stream().map(PassReport.Phase::name).toList();
        assertEquals(Optimizer.PHASES, names);
        String text = o.report().format();
        assertTrue(text.contains("log_sigmoid") && text.contains("fuse.kernels"), text);
    }

    @Test
    void foldingRespectsTheSizeCap() {
        Var x = T.matrix("x");
        Var big = T.constant(NDArray.ones(DType.FLOAT32, 300, 300));
        FunctionGraph g = fg(List.of(x), List.of(big.exp().sum().add(x)));
        OptimizedGraph small = new Optimizer(Optimizer.Options.defaults().withFoldLimit(1000).skip("fuse")).run(g);
        assertEquals(1, countScalar(small, ScalarOp.EXP));            // exp of 90000 elements is not materialised
        OptimizedGraph large = rewriteOnly(g);
        assertEquals(0, countScalar(large, ScalarOp.EXP));            // under the default cap it folds, sum too
        assertSameValues(g, small.graph(), randomEnv(g, 3, -1, 1), "fold cap");
        assertSameValues(g, large.graph(), randomEnv(g, 3, -1, 1), "fold");
    }

    @Test
    void deepGraphsNeedNoDeepStack() throws Exception {
        Var x = T.vector("x");
        // built at one site: finding each node's creation site on the stack is the slow part otherwise
        Var h = Site.with(new Site("EngineTest.java", 1, 0), () -> {
            Var c = x;
            for (int i = 0; i < 10_000; i++) c = (i % 3 == 0) ? c.mul(1.0001) : (i % 3 == 1) ? c.add(0.5).sub(0.5) : c.tanh();
            return c;
        });
        FunctionGraph g = fg(List.of(x), List.of(h));
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                long t0 = System.nanoTime();
                OptimizedGraph o = Optimizer.optimize(g);
                System.out.printf("deep graph: %d -> %d nodes in %.0f ms%n%s", o.nodesBefore(), o.nodesAfter(), (System.nanoTime() - t0) / 1e6, o.report().format());
                result.set(o);
            } catch (Throwable e) { result.set(e); }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (result.get() instanceof Throwable e) throw new AssertionError("optimizer failed on a deep graph", e);
        OptimizedGraph o = (OptimizedGraph) result.get();
        assertTrue(o.nodesAfter() < o.nodesBefore() / 2, o.nodesBefore() + " -> " + o.nodesAfter());
    }
}
