package dev.tcc.opt;

import static dev.tcc.opt.OptTesting.assertSameValues;
import static dev.tcc.opt.OptTesting.fg;
import static dev.tcc.opt.OptTesting.randomEnv;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ops.ElementCount;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.ScalarOp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * For every rewrite rule: a graph where it must fire; the rule's count in the pass report must be
 * positive, and the optimized graph (rewritten only, and fully optimized with fusion) must give the
 * unoptimized graph's values on random inputs (seeded; the seed is in the failure message).
 */
class RuleTest {

    /** One case: the rule that must fire, a graph, and the range of its random inputs. */
    record Case(String rule, Supplier<FunctionGraph> graph, double lo, double hi) {
        Case(String rule, Supplier<FunctionGraph> graph) { this(rule, graph, -3, 3); }
    }

    static Var m(String n) { return T.matrix(n); }
    static Var v(String n) { return T.vector(n); }
    static Var s(String n) { return T.scalar(n); }

    static FunctionGraph one(Var in, Var out) { return fg(List.of(in), List.of(out)); }
    static FunctionGraph two(Var a, Var b, Var out) { return fg(List.of(a, b), List.of(out)); }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- canonicalize
        c.add(new Case("constant_fold", () -> { Var x = m("x"); return one(x, x.add(T.constant(2.0).mul(3.0).exp())); }));
        c.add(new Case("stop_gradient", () -> { Var x = m("x"); return one(x, T.stopGradient(x).mul(2.0)); }));
        c.add(new Case("identity", () -> { Var x = m("x"); return one(x, Elemwise.of(ScalarOp.IDENTITY).apply(x).get(0).exp()); }));
        c.add(new Case("cast_noop", () -> { Var x = m("x"); return one(x, Elemwise.cast(DType.FLOAT32).apply(x).get(0).exp()); }));
        c.add(new Case("cast_cast", () -> { Var x = m("x"); return one(x, x.cast(DType.FLOAT64).cast(DType.FLOAT32)); }));
        c.add(new Case("cast_cast", () -> { Var x = T.matrix("i", DType.INT32); return one(x, x.cast(DType.INT64).cast(DType.FLOAT64)); }, -50, 50));
        c.add(new Case("count_static", () -> {
            Var x = T.tensor("x", DType.FLOAT32, new int[] {3, 4});
            return one(x, x.mul(new ElementCount(List.of(0, 1), DType.FLOAT32).apply(x).get(0)));
        }));
        c.add(new Case("constants_right", () -> { Var x = m("x"); return one(x, T.mul(2.0, x).exp()); }));
        c.add(new Case("add_zero", () -> { Var x = m("x"); return one(x, x.add(0).exp()); }));
        c.add(new Case("add_zero", () -> { Var x = m("x"); return one(x, x.add(T.constant(0.0, DType.FLOAT64))); }));   // with a cast
        c.add(new Case("sub_zero", () -> { Var x = m("x"); return one(x, x.sub(0).exp()); }));
        c.add(new Case("zero_sub", () -> { Var x = m("x"); return one(x, T.sub(0, x).exp()); }));
        c.add(new Case("sub_self", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.exp().sub(x.exp()).add(y)); }));
        c.add(new Case("add_neg_self", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.add(x.neg()).mul(y)); }));
        c.add(new Case("neg_neg", () -> { Var x = m("x"); return one(x, x.neg().neg().exp()); }));
        c.add(new Case("sub_neg", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.sub(y.neg())); }));
        c.add(new Case("add_neg", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.add(y.neg())); }));
        c.add(new Case("add_neg", () -> { Var x = m("x"), y = m("y"); return two(x, y, y.neg().add(x)); }));
        c.add(new Case("neg_sub", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.sub(y).neg()); }));
        c.add(new Case("sub_const", () -> { Var x = m("x"); return one(x, x.sub(2.5)); }));
        c.add(new Case("add_const_assoc", () -> { Var x = m("x"); Var a = x.add(1.0); return one(x, a.add(2.0).mul(a)); }));
        c.add(new Case("add_chain", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.add(y).sub(x)); }));
        c.add(new Case("add_chain", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.add(1.0).add(y.add(2.0))); }));
        c.add(new Case("mul_one", () -> { Var x = m("x"); return one(x, x.mul(1).exp()); }));
        c.add(new Case("div_one", () -> { Var x = m("x"); return one(x, x.div(1).exp()); }));
        c.add(new Case("mul_minus_one", () -> { Var x = m("x"); return one(x, x.mul(-1).exp()); }));
        c.add(new Case("mul_zero", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.exp().mul(0).add(y)); }));
        c.add(new Case("mul_neg_neg", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.neg().mul(y.neg())); }));
        c.add(new Case("div_self", () -> { Var x = m("x"), y = m("y"); Var e = x.sigmoid().add(1.0); return two(x, y, e.div(e).mul(y)); }));
        c.add(new Case("mul_const_assoc", () -> { Var x = m("x"); Var a = x.mul(2.0); return one(x, a.mul(3.0).add(a)); }));
        c.add(new Case("mul_chain", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.mul(2.0).mul(y.mul(3.0))); }));
        c.add(new Case("mul_chain", () -> { Var x = m("x"), y = m("y"); Var e = y.tanh().add(2.0); return two(x, y, x.mul(e).div(e)); }));
        c.add(new Case("pow_2", () -> { Var x = m("x"); return one(x, x.pow(2)); }));
        c.add(new Case("pow_half", () -> { Var x = m("x"); return one(x, x.pow(0.5)); }, 0, 4));
        c.add(new Case("pow_1", () -> { Var x = m("x"); return one(x, x.pow(1).exp()); }));
        c.add(new Case("pow_0", () -> { Var x = m("x"); return one(x, x.pow(0)); }));
        c.add(new Case("pow_minus_1", () -> { Var x = m("x"); return one(x, x.pow(-1)); }, 0.5, 3));
        c.add(new Case("log_exp", () -> { Var x = m("x"); return one(x, x.exp().log()); }));
        c.add(new Case("exp_log", () -> { Var x = m("x"); return one(x, x.sqr().log().exp()); }));
        c.add(new Case("exp_log", () -> { Var x = m("x"); return one(x, x.log().exp()); }));
        c.add(new Case("inv_1_plus_exp", () -> { Var x = m("x"); return one(x, T.div(1.0, T.add(1.0, x.neg().exp()))); }));
        c.add(new Case("sqr_neg", () -> { Var x = m("x"); return one(x, x.neg().sqr()); }));
        c.add(new Case("abs_neg", () -> { Var x = m("x"); return one(x, x.neg().abs()); }));
        c.add(new Case("abs_nonneg", () -> { Var x = m("x"); return one(x, x.exp().abs()); }));
        c.add(new Case("not_not", () -> { Var b = T.matrix("b", DType.BOOL); return one(b, b.not().not()); }));
        c.add(new Case("where_same", () -> { Var b = T.matrix("b", DType.BOOL), x = m("x"); return two(b, x, T.where(b, x.exp(), x.exp())); }));
        c.add(new Case("where_const", () -> { Var x = m("x"), y = m("y"); return two(x, y, T.where(T.constant(1, DType.BOOL), x, y)); }));
        c.add(new Case("second_redundant", () -> { Var x = s("x"), y = m("y"); return two(x, y, T.elemwise(ScalarOp.SECOND, x, y).exp()); }));
        c.add(new Case("fill_elim", () -> { Var x = m("x"), y = m("y"), a = s("a"); return fg(List.of(x, y, a), List.of(T.elemwise(ScalarOp.SECOND, x, a).mul(y))); }));
        c.add(new Case("fill_sink", () -> { Var x = m("x"), a = s("a"); return two(x, a, T.elemwise(ScalarOp.SECOND, x, a).neg()); }));
        c.add(new Case("shape_carrier", () -> {
            Var x = m("x"), y = m("y");
            return two(x, y, y.mul(new ElementCount(List.of(0, 1), DType.FLOAT32).apply(x.exp().sin()).get(0)));
        }));
        c.add(new Case("shape_carrier", () -> { Var x = m("x"), a = s("a"); return two(x, a, T.elemwise(ScalarOp.SECOND, x.exp().tanh(), a)); }));
        c.add(new Case("dimshuffle_dimshuffle", () -> { Var x = m("x"); return one(x, x.T().T().exp()); }));
        c.add(new Case("dimshuffle_dimshuffle", () -> { Var x = m("x"); return one(x, x.dimshuffle("x", 0, 1).dimshuffle(2, 0, 1)); }));
        c.add(new Case("dimshuffle_identity", () -> { Var x = m("x"); return one(x, x.dimshuffle(0, 1).exp()); }));
        c.add(new Case("reduce_no_axes", () -> { Var x = s("x"); return one(x, T.sum(x).exp()); }));
        c.add(new Case("reduce_no_axes", () -> { Var x = T.scalar("i", DType.INT32); return one(x, T.sum(x)); }, -9, 9));
        c.add(new Case("reduce_broadcastable_axes", () -> { Var x = T.row("x"); return one(x, x.sum(0)); }));
        c.add(new Case("reduce_broadcastable_axes", () -> { Var x = T.col("x"); return one(x, x.mean(new int[] {0, 1}, true)); }));
        c.add(new Case("sum_fill", () -> { Var x = m("x"), a = s("a"); return two(x, a, T.sum(T.elemwise(ScalarOp.SECOND, x, a))); }));
        c.add(new Case("sum_fill", () -> { Var x = m("x"), a = s("a"); return two(x, a, T.mean(T.elemwise(ScalarOp.SECOND, x, a))); }));
        // ---- stabilize
        c.add(new Case("log_sigmoid", () -> { Var x = m("x"); return one(x, x.sigmoid().log()); }, -120, 120));
        c.add(new Case("log_1_minus_sigmoid", () -> { Var x = m("x"); return one(x, T.sub(1.0, x.sigmoid()).log()); }, -120, 120));
        c.add(new Case("log1p_exp", () -> { Var x = m("x"); return one(x, x.exp().log1p()); }, -100, 100));
        c.add(new Case("log_1_plus", () -> { Var x = m("x"); return one(x, x.add(1.0).log()); }, -0.9, 3));
        c.add(new Case("log_1_plus", () -> { Var x = m("x"); return one(x, T.add(1.0, x.exp()).log()); }, -100, 100));
        c.add(new Case("expm1", () -> { Var x = m("x"); return one(x, x.exp().sub(1.0)); }));
        c.add(new Case("log_softmax", () -> { Var x = m("x"); return one(x, T.softmax(x).log()); }, -50, 50));
        c.add(new Case("mul_div_cancel", () -> {
            Var z = m("z"), y = m("y");
            Var p = z.sigmoid(), q = T.sub(1.0, p);
            return two(z, y, y.neg().div(p).add(T.sub(1.0, y).div(q)).mul(p).mul(q));   // d/dz of the cross-entropy
        }, -30, 30));
        c.add(new Case("log_pow", () -> { Var x = m("x"), y = m("y"); return two(x, y, x.sqrt().pow(y).log()); }, 0.1, 3));
        // ---- specialize
        c.add(new Case("sum_mul_scalar", () -> { Var x = m("x"), a = s("a"); return two(x, a, x.mul(a).sum()); }));
        c.add(new Case("sum_mul_scalar", () -> { Var x = m("x"), a = s("a"); return two(x, a, x.exp().mul(a).mean(0)); }));
        c.add(new Case("div_pow2", () -> { Var x = m("x"); return one(x, x.div(4.0)); }));
        c.add(new Case("mul_neg_const", () -> { Var x = m("x"); return one(x, x.neg().mul(3.0)); }));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyRuleFiresAndKeepsValues() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (Case c : cases()) {
            int k = i++;
            tests.add(DynamicTest.dynamicTest(c.rule() + " #" + k, () -> check(c, 1000L + k)));
        }
        return tests.stream();
    }

    static void check(Case c, long seedBase) {
        FunctionGraph g = c.graph().get();
        OptimizedGraph rewritten = OptTesting.rewriteOnly(g);
        assertTrue(rewritten.report().count(c.rule()) > 0,
                () -> c.rule() + " did not fire on " + g.allResults() + "\n" + rewritten.report().format());
        OptimizedGraph full = Optimizer.optimize(g);
        for (int r = 0; r < 3; r++) {
            long seed = seedBase * 31 + r;
            var env = randomEnv(g, seed, c.lo(), c.hi());
            assertSameValues(g, rewritten.graph(), env, c.rule() + " (rewritten, seed " + seed + ")");
            assertSameValues(g, full.graph(), env, c.rule() + " (fused, seed " + seed + ")");
        }
    }

    /**
     * The lecture's scalar chain {@code d = log(a ** b)}, {@code a = sqrt((x+y)·x)}, {@code b = exp(a)}:
     * at x=5, y=2, {@code a**b} overflows float32 and the unoptimized d is inf; with log_pow it is
     * {@code b·log(a)}, finite and equal to the exact value (computed in double) within float32 rounding.
     */
    @Test
    void lectureChainStaysFiniteWherePowOverflows() {
        Var x = T.scalar("x"), y = T.scalar("y");
        Var a = T.sqrt(x.add(y).mul(x));
        Var d = T.log(a.pow(T.exp(T.sqrt(x.add(y).mul(x)))));
        FunctionGraph g = two(x, y, d);
        OptimizedGraph o = Optimizer.optimize(g);
        assertTrue(o.report().count("log_pow") == 1, o.report().format());
        var env = new java.util.IdentityHashMap<Var, dev.tcc.NDArray>();
        env.put(x, dev.tcc.NDArray.scalar(DType.FLOAT32, 5));
        env.put(y, dev.tcc.NDArray.scalar(DType.FLOAT32, 2));
        double before = dev.tcc.interp.Interpreter.evaluate(d, env).scalar();
        double after = dev.tcc.interp.Interpreter.evaluate(o.graph().outputs().get(0), env).scalar();
        double av = Math.sqrt(35), exact = Math.exp(av) * Math.log(av);
        assertTrue(Double.isInfinite(before), "a**b overflows float32: " + before);
        assertTrue(Math.abs(after - exact) <= 1e-5 * exact, after + " vs " + exact);
    }

    @Test
    void everyRuleHasACase() {
        Set<String> covered = new LinkedHashSet<>();
        for (Case c : cases()) covered.add(c.rule());
        Set<String> missing = new LinkedHashSet<>(Optimizer.allRules().keySet());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "rules without a test case: " + missing);
    }

    @Test
    void seedIsReproducible() {
        var g = cases().get(0).graph().get();
        assertTrue(randomEnv(g, 7, -1, 1).values().iterator().next().equals(randomEnv(g, 7, -1, 1).values().iterator().next()));
        assertTrue(new SplittableRandom(1).nextLong() == new SplittableRandom(1).nextLong());
    }
}
