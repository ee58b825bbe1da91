package dev.tcc.opt;

import static dev.tcc.opt.OptTesting.assertSameValues;
import static dev.tcc.opt.OptTesting.fg;
import static dev.tcc.opt.OptTesting.randomEnv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Rng;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-place analysis of updates. */
class InplaceTest {

    static SharedVar shared(String name, int... shape) {
        return new SharedVar(new Rng(name.hashCode()).randn(shape), name, Site.here());
    }

    static Map.Entry<SharedVar, Var> upd(SharedVar s, Var v) { return new AbstractMap.SimpleImmutableEntry<>(s, v); }

    @Test
    void gradientStepsAreInPlace() {
        SharedVar w = shared("w", 4, 3), b = shared("b", 3);
        Var x = T.matrix("x");
        Var y = T.dot(x, w).add(b).sigmoid();
        Var gw = T.dot(x.T(), y), gb = y.sum(0);
        FunctionGraph g = fg(List.of(x), List.of(y), List.of(upd(w, w.sub(gw.mul(0.1))), upd(b, b.sub(gb.mul(0.1)))));
        OptimizedGraph o = Optimizer.optimize(g);
        InplacePlan plan = o.inplace();
        assertEquals(Set.of(0, 1), plan.updateIndices(), plan.format(o.graph()));
        InplacePlan.Entry e = plan.entry(0);
        assertSame(w, e.node().input(e.operand()));
        assertSame(o.graph().updates().get(0).value(), e.node().outputs().get(e.output()));
        // the forward dot reads w: it must run before the update's kernel
        assertTrue(e.runFirst().stream().anyMatch(n -> n.op() instanceof dev.tcc.ops.Dot), e.runFirst().toString());
        assertEquals(2, o.report().count("inplace.updates"));
        var env = randomEnv(g, 21, -1, 1);
        env.get(x);
        assertSameValues(g, o.graph(), Map.of(x, NDArray.ones(DType.FLOAT32, 5, 4)), "train step");
    }

    @Test
    void aReaderThatNeedsTheNewValueForcesDoubleBuffering() {
        SharedVar w = shared("w", 3, 3);
        Var w2 = w.mul(2.0);
        Var out = T.dot(w2, w);                        // reads the old w and the new value: cannot run before
        FunctionGraph g = fg(List.of(), List.of(out), List.of(upd(w, w2)));
        InplacePlan plan = Optimizer.optimize(g).inplace();
        assertFalse(plan.inPlace(0));
        assertTrue(plan.reason(0).contains("must run after"), plan.reason(0));
    }

    @Test
    void readingTheOldValueThroughATransposeIsNotElementwise() {
        SharedVar w = shared("w", 3, 3);
        FunctionGraph g = fg(List.of(), List.of(), List.of(upd(w, w.add(w.T()))));
        InplacePlan plan = Optimizer.optimize(g).inplace();
        assertFalse(plan.inPlace(0));
        assertTrue(plan.reason(0).contains("view"), plan.reason(0));
    }

    @Test
    void anOldValueThatIsAnOutputIsKept() {
        SharedVar w = shared("w", 3);
        FunctionGraph g = fg(List.of(), List.of(w), List.of(upd(w, w.add(1.0))));
        InplacePlan plan = Optimizer.optimize(g).inplace();
        assertFalse(plan.inPlace(0));
        assertTrue(plan.reason(0).contains("output"), plan.reason(0));
    }

    @Test
    void aValueFromANonElementwiseOpIsDoubleBuffered() {
        SharedVar w = shared("w", 3, 3);
        FunctionGraph g = fg(List.of(), List.of(), List.of(upd(w, T.dot(w, w))));
        InplacePlan plan = Optimizer.optimize(g).inplace();
        assertFalse(plan.inPlace(0));
        assertTrue(plan.reason(0).contains("not elementwise"), plan.reason(0));
    }

    @Test
    void anUpdateThatDoesNotReadItsTargetWritesIntoItWhenItsReadersRunFirst() {
        SharedVar w = shared("w", 3);
        Var x = T.vector("x");
        FunctionGraph g = fg(List.of(x), List.of(w.sum()), List.of(upd(w, x.exp())));
        InplacePlan plan = Optimizer.optimize(g).inplace();
        assertTrue(plan.inPlace(0), plan.format(g));
        assertEquals(-1, plan.entry(0).operand());
        assertEquals(1, plan.entry(0).runFirst().size());              // the sum of the old w
        // ... but not when that reader needs the new value
        SharedVar u = shared("u", 3);
        Var nu = x.exp();
        FunctionGraph h = fg(List.of(x), List.of(T.dot(u, nu)), List.of(upd(u, nu)));
        InplacePlan p2 = Optimizer.optimize(h).inplace();
        assertFalse(p2.inPlace(0));
        assertNotNull(p2.reason(0));
    }

    @Test
    void oneValueIsWrittenInPlaceIntoOneTargetOnly() {
        SharedVar a = shared("a", 3), b = shared("b", 3);
        Var v = a.add(b);
        FunctionGraph g = fg(List.of(), List.of(), List.of(upd(a, v), upd(b, v)));
        InplacePlan plan = Optimizer.optimize(g).inplace();
        // v reads both a and b; a's other reader is nobody, b is read by v itself only
        assertEquals(1, plan.updateIndices().size(), plan.format(g));
    }

    @Test
    void crossedUpdatesAreNotBothInPlace() {
        SharedVar a = shared("a", 3), b = shared("b", 3);
        FunctionGraph g = fg(List.of(), List.of(), List.of(upd(a, b.mul(2.0)), upd(b, a.mul(2.0))));
        InplacePlan plan = Optimizer.optimize(g).inplace();
        // a <- 2b needs "b's reader (2a) before 2b"; b <- 2a needs "a's reader (2b) before 2a": only one can hold
        assertEquals(Set.of(0), plan.updateIndices(), plan.format(g));
        assertTrue(plan.reason(1).contains("must run after"), plan.reason(1));
    }

    @Test
    void swappingTwoVariablesIsNotInPlace() {
        SharedVar a = shared("a", 3), b = shared("b", 3);
        FunctionGraph g = fg(List.of(), List.of(), List.of(upd(a, b), upd(b, a)));
        InplacePlan plan = Optimizer.optimize(g).inplace();
        assertTrue(plan.updateIndices().isEmpty());
        assertTrue(plan.reason(0).contains("not computed"));
    }

    @Test
    void analysisWorksOnAnUnoptimizedGraphToo() {
        SharedVar w = shared("w", 2, 2);
        FunctionGraph g = fg(List.of(), List.of(), List.of(upd(w, w.mul(0.5).add(1.0))));
        InplacePlan plan = InplacePlan.analyze(g);
        assertTrue(plan.inPlace(0));
        Node n = plan.entry(0).node();
        assertSame(g.updates().get(0).value().owner(), n);
    }
}
