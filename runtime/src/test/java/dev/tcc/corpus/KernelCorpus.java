package dev.tcc.corpus;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import dev.tcc.ops.ConcatSlice;
import dev.tcc.ops.ElementCount;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.ScalarOp;
import java.util.ArrayList;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The code generator's test corpus: every op of the core (each scalar op over each dtype mix,
 * reductions over each axis, every dot form, shape ops, softmax, ...), hand-fused kernels of the
 * kind the optimizer makes, functions with updates of every kind, and the seed's examples
 * (the lecture's scalar chain and vector/matrix examples, the MLP of DESIGN.md §5).
 * Each case has a function graph and arguments to call it with. Lives outside tcc's internal
 * packages so that creation sites name the lines below.
 */
public final class KernelCorpus {
    private KernelCorpus() {}

    /** One function of the corpus, with arguments for a call. */
    public record Case(String name, FunctionGraph graph, List<NDArray> args) {
        @Override public String toString() { return name; }
    }

    static final long SEED = 20261203L;

    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(SEED);
        elementwise(cases, rnd);
        reductions(cases, rnd);
        products(cases, rnd);
        shapes(cases, rnd);
        fused(cases, rnd);
        updates(cases, rnd);
        seedExamples(cases, rnd);
        return cases;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static NDArray random(SplittableRandom rnd, DType dtype, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case BOOL: v[i] = rnd.nextBoolean() ? 1 : 0; break;
                case INT32: case INT64: v[i] = rnd.nextInt(-6, 7); break;
                default: v[i] = Math.round(rnd.nextDouble(-2.5, 2.5) * 64) / 64.0 + (rnd.nextInt(8) == 0 ? 0.5 / 64 : 0);
            }
        }
        return NDArray.fromFlat(dtype, shape, v);
    }

    static NDArray positive(SplittableRandom rnd, DType dtype, int... shape) {
        NDArray a = random(rnd, dtype, shape);
        for (int i = 0; i < a.size(); i++) a.setFlat(i, Math.abs(a.getFlat(i)) + (dtype.isFloat() ? 0.25 : 1));
        return a;
    }

    static FunctionGraph fn(String name, List<Var> inputs, List<Var> outputs) {
        return FunctionGraph.build(name, inputs, outputs, List.of(), Map.of());
    }

    static FunctionGraph fn(String name, List<Var> inputs, List<Var> outputs, Map<SharedVar, Var> updates) {
        List<Map.Entry<SharedVar, Var>> ups = new ArrayList<>();
        for (Map.Entry<SharedVar, Var> e : updates.entrySet()) ups.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        return FunctionGraph.build(name, inputs, outputs, ups, Map.of());
    }

    static SharedVar shared(NDArray value, String name) { return new SharedVar(value, name, Site.here()); }

    static Var apply(ScalarOp op, Var... in) {
        try {
            return Elemwise.of(op).applyAt(Site.here(), List.of(in)).output();
        } catch (TypeError e) {
            return null;
        }
    }

    // ---- elementwise -----------------------------------------------------------------------------

    static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL};

    static void elementwise(List<Case> cases, SplittableRandom rnd) {
        for (DType dt : DTYPES) {
            Var x = T.matrix("x", dt);
            List<Var> outs = new ArrayList<>();
            for (ScalarOp op : ScalarOp.values()) {
                if (op.arity != 1 || op == ScalarOp.CAST) continue;
                Var o = apply(op, x);
                if (o != null) outs.add(o.named(op.lowerName()));
            }
            for (DType to : DTYPES) if (to != dt) outs.add(T.cast(x, to).named("cast_" + to));
            cases.add(new Case("unary_" + dt, fn("unary_" + dt, List.of(x), outs), List.of(random(rnd, dt, 5, 7))));
        }
        DType[][] pairs = {
            {DType.FLOAT32, DType.FLOAT32}, {DType.FLOAT64, DType.FLOAT32}, {DType.INT32, DType.INT64},
            {DType.INT64, DType.FLOAT64}, {DType.BOOL, DType.BOOL}, {DType.INT32, DType.FLOAT32}, {DType.BOOL, DType.INT32},
        };
        for (DType[] p : pairs) {
            // y is a row: static size 1 on axis 0, so it broadcasts over x's rows
            Var x = T.matrix("x", p[0]);
            Var y = T.tensor("y", p[1], new int[] {1, TensorType.UNKNOWN});
            List<Var> outs = new ArrayList<>();
            for (ScalarOp op : ScalarOp.values()) {
                if (op.arity != 2 || op == ScalarOp.POW) continue;
                Var o = apply(op, x, y);
                if (o != null) outs.add(o.named(op.lowerName()));
            }
            String name = "binary_" + p[0] + "_" + p[1];
            cases.add(new Case(name, fn(name, List.of(x, y), outs), List.of(random(rnd, p[0], 4, 6), random(rnd, p[1], 1, 6))));
            // pow with non-negative integer exponents (numpy refuses negative ones)
            Var px = T.matrix("px", p[0]);
            Var py = T.vector("py", p[1]);
            Var pw = apply(ScalarOp.POW, px, py);
            if (pw != null) {
                String pn = "pow_" + p[0] + "_" + p[1];
                cases.add(new Case(pn, fn(pn, List.of(px, py), List.of(pw)), List.of(random(rnd, p[0], 3, 4), positive(rnd, p[1], 4))));
            }
        }
        // ternary: where with a bool condition and mixed operands, clip with scalar and tensor bounds
        Var c = T.matrix("c", DType.BOOL);
        Var a = T.matrix("a", DType.FLOAT32);
        Var b = T.vector("b", DType.INT32);
        Var lo = T.scalar("lo", DType.FLOAT32);
        Var wf = T.where(c, a, b).named("where_mixed");
        Var ws = T.where(c, a, 0.5).named("where_weak");
        Var cl = T.clip(a, -1.0, 1.0).named("clip_numbers");
        Var ct = T.clip(a, lo, a.abs()).named("clip_tensors");
        Var ci = T.clip(b, -2, 3).named("clip_int");
        cases.add(new Case("ternary", fn("ternary", List.of(c, a, b, lo), List.of(wf, ws, cl, ct, ci)),
                List.of(random(rnd, DType.BOOL, 3, 5), random(rnd, DType.FLOAT32, 3, 5), random(rnd, DType.INT32, 5),
                        NDArray.scalar(DType.FLOAT32, -0.5))));
        // broadcasting patterns: scalar, row, column, 'x' axes, rank-1 against rank-3
        Var m = T.tensor3("m");
        Var s = T.scalar("s");
        Var r = T.row("r");
        Var col = T.col("col");
        Var v = T.vector("v");
        List<Var> bo = List.of(m.add(s).named("m_plus_s"), m.mul(v).named("m_times_v"), r.add(col).named("row_plus_col"),
                m.sub(r.dimshuffle("x", 0, 1)).named("m_minus_r"), s.add(1.5).named("s_plus_weak"),
                m.add(m.dimshuffle(0, 2, 1).dimshuffle(0, 2, 1)).named("m_plus_double_transpose"));
        cases.add(new Case("broadcasting", fn("broadcasting", List.of(m, s, r, col, v), bo),
                List.of(random(rnd, DType.FLOAT32, 2, 3, 4), NDArray.scalar(DType.FLOAT32, 0.75), random(rnd, DType.FLOAT32, 1, 4),
                        random(rnd, DType.FLOAT32, 3, 1), random(rnd, DType.FLOAT32, 4))));
        // the second operand of Theano's second(a, b)
        Var sa = T.matrix("sa");
        Var sb = T.scalar("sb");
        Var second = Elemwise.of(ScalarOp.SECOND).applyAt(Site.here(), List.of(sa, sb)).output().named("second");
        cases.add(new Case("second", fn("second", List.of(sa, sb), List.of(second)),
                List.of(random(rnd, DType.FLOAT32, 2, 3), NDArray.scalar(DType.FLOAT32, 4))));
    }

    // ---- reductions ------------------------------------------------------------------------------

    static void reductions(List<Case> cases, SplittableRandom rnd) {
        int[][] axesList = {{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.BOOL}) {
            Var x = T.tensor3("x", dt);
            List<Var> outs = new ArrayList<>();
            for (int[] axes : axesList) {
                boolean keep = axes.length == 1;
                String ax = axes.length == 0 ? "all" : java.util.Arrays.toString(axes).replaceAll("[^0-9]", "");
                outs.add(T.sum(x, axes, keep).named("sum_" + ax));
                outs.add(T.mean(x, axes, !keep).named("mean_" + ax));
                outs.add(T.max(x, axes, keep).named("max_" + ax));
                outs.add(T.min(x, axes, false).named("min_" + ax));
                outs.add(T.prod(x, axes, false).named("prod_" + ax));
            }
            for (int a = 0; a < 3; a++) {
                outs.add(T.argmax(x, a, a == 1).named("argmax_" + a));
                outs.add(T.argmin(x, a).named("argmin_" + a));
            }
            outs.add(T.argmax(x).named("argmax_all"));
            outs.add(T.argmin(x).named("argmin_all"));
            NDArray arg = random(rnd, dt, 3, 4, 5);
            if (dt == DType.FLOAT32) { arg.setFlat(7, Double.NaN); arg.setFlat(8, Double.NaN); }
            cases.add(new Case("reduce_" + dt, fn("reduce_" + dt, List.of(x), outs), List.of(arg)));
        }
        // a reduction over a transposed view, and reductions with fused prologues
        Var x = T.matrix("x");
        Var y = T.row("y");
        List<Var> outs = List.of(x.T().sum(0).named("sum_of_transpose"),
                T.exp(x).mul(y).sum(1).named("sum_exp_times_row"),
                x.sub(y).sqr().mean().named("mean_sq_diff"),
                x.gt(0.5).sum().named("count_gt"),
                x.T().add(1.0).max(1).named("max_of_transpose_plus_one"));
        cases.add(new Case("reduce_prologue", fn("reduce_prologue", List.of(x, y), outs),
                List.of(random(rnd, DType.FLOAT32, 6, 5), random(rnd, DType.FLOAT32, 1, 5))));
        // a large-ish single-output reduction (the C kernel splits it among threads)
        Var big = T.vector("big");
        cases.add(new Case("reduce_large", fn("reduce_large", List.of(big), List.of(big.sum().named("s"), big.max().named("mx"),
                big.argmin().named("amin"), T.sqr(big).mean().named("msq"))), List.of(random(rnd, DType.FLOAT32, 100_003))));
    }

    // ---- matrix products -------------------------------------------------------------------------

    static void products(List<Case> cases, SplittableRandom rnd) {
        Var a = T.vector("a");
        Var b = T.vector("b");
        Var m = T.matrix("m");
        Var n = T.matrix("n");
        List<Var> outs = List.of(T.dot(a, b).named("vv"), T.dot(m, b).named("mv"), T.dot(a, n).named("vm"),
                T.dot(m, b).add(a.sum()).named("mv_epilogue"), T.dot(a, n).mul(b.max()).named("vm_epilogue"),
                T.dot(m, n).mul(T.dot(m, b).dimshuffle(0, "x")).named("mm_times_col"),
                T.dot(n.T(), m.T()).sub(T.dot(m, b)).named("mTnT_minus_row"),
                T.dot(m, n).named("mm"), T.dot(n.T(), m.T()).named("mTnT"), T.dot(m.T(), m).named("mTm"),
                T.dot(m, m.T()).named("mmT"), T.outer(a, b).named("outer"));
        // m: 5x7, n: 7x5 so that every product above is defined
        cases.add(new Case("dot_forms", fn("dot_forms", List.of(a, b, m, n), outs),
                List.of(random(rnd, DType.FLOAT32, 7), random(rnd, DType.FLOAT32, 7), random(rnd, DType.FLOAT32, 5, 7),
                        random(rnd, DType.FLOAT32, 7, 5))));
        Var ia = T.matrix("ia", DType.INT32);
        Var ib = T.matrix("ib", DType.INT64);
        Var da = T.matrix("da", DType.FLOAT64);
        Var fb = T.matrix("fb", DType.FLOAT32);
        cases.add(new Case("dot_dtypes", fn("dot_dtypes", List.of(ia, ib, da, fb),
                List.of(T.dot(ia, ib).named("int"), T.dot(da, fb).named("f64_f32"), T.dot(ia, fb).named("int_f32"))),
                List.of(random(rnd, DType.INT32, 3, 4), random(rnd, DType.INT64, 4, 2), random(rnd, DType.FLOAT64, 3, 4),
                        random(rnd, DType.FLOAT32, 4, 2))));
        // an odd-sized product that spans several 64x64 tiles, with a bias+relu epilogue
        Var x = T.matrix("x");
        SharedVar w = shared(random(rnd, DType.FLOAT32, 70, 131), "w");
        SharedVar bias = shared(random(rnd, DType.FLOAT32, 131), "bias");
        Var h = T.relu(T.dot(x, w).add(bias)).named("h");
        Var hT = T.tanh(T.dot(w.T(), x.T()).mul(2.0)).named("hT");
        cases.add(new Case("gemm_epilogue", fn("gemm_epilogue", List.of(x), List.of(h, hT)), List.of(random(rnd, DType.FLOAT32, 67, 70))));
        // batched matmul with broadcast batch axes
        Var s = T.tensor("s", DType.FLOAT32, new int[] {2, 1, -1, -1});
        Var t = T.tensor("t", DType.FLOAT32, new int[] {1, 3, -1, -1});
        cases.add(new Case("matmul_batched", fn("matmul_batched", List.of(s, t), List.of(T.matmul(s, t).named("st"),
                T.sigmoid(T.matmul(s, t)).named("sig_st"),
                T.matmul(s, t).mul(T.constant(NDArray.of(new float[] {1, -2, 3, -4, 5}))).named("st_times_row"))), List.of(random(rnd, DType.FLOAT32, 2, 1, 3, 4), random(rnd, DType.FLOAT32, 1, 3, 4, 5))));
    }

    // ---- shapes, softmax and the rest ------------------------------------------------------------

    static void shapes(List<Case> cases, SplittableRandom rnd) {
        Var x = T.tensor3("x");
        Var m = T.matrix("m");
        Var v = T.vector("v", DType.INT32);
        List<Var> outs = new ArrayList<>(List.of(
                x.dimshuffle(2, 0, 1).named("perm"),
                x.reshape(-1, 4).named("reshape"),
                x.flatten().named("flatten"),
                x.flatten(2).named("flatten2"),
                x.dimshuffle(2, 0, 1).reshape(4, -1).named("reshape_of_perm"),
                m.T().named("transpose"),
                v.dimshuffle("x", 0).named("x_axis"),
                T.concatenate(List.of(m, m.mul(2.0)), 0).named("concat0"),
                T.concatenate(List.of(m, v.dimshuffle(0, "x"), m.T().T()), 1).named("concat1_promote"),
                T.stopGradient(m).add(1.0).named("stop_gradient"),
                T.softmax(m).named("softmax"),
                T.logSoftmax(m).named("log_softmax"),
                T.softmax(x, 1).named("softmax_axis1"),
                T.softmax(m.T(), 0).named("softmax_of_transpose")));
        Var cat = T.concatenate(List.of(m, m.mul(3.0)), 1);
        outs.add(new ConcatSlice(1, 1).applyAt(Site.here(), List.of(cat, m, m)).output().named("concat_slice"));
        outs.add(new ElementCount(List.of(0, 2), DType.FLOAT32).applyAt(Site.here(), List.of(x)).output().named("count"));
        outs.add(m.sum().div(new ElementCount(List.of(0, 1), DType.FLOAT32).applyAt(Site.here(), List.of(m)).output()).named("mean_by_count"));
        cases.add(new Case("shapes", fn("shapes", List.of(x, m, v), outs),
                List.of(random(rnd, DType.FLOAT32, 3, 2, 4), random(rnd, DType.FLOAT32, 3, 3), random(rnd, DType.INT32, 3))));
        // outputs that are inputs, constants, shared variables, repeated, and an empty function
        Var i = T.matrix("i");
        SharedVar sv = shared(random(rnd, DType.FLOAT64, 2, 2), "sv");
        Var k = T.constant(random(rnd, DType.FLOAT32, 3));
        Var twice = i.add(1.0).named("twice");
        cases.add(new Case("passthrough", fn("passthrough", List.of(i), List.of(i, k, sv, twice, twice, T.constant(2.5).named("scalar_const"))),
                List.of(random(rnd, DType.FLOAT32, 2, 3))));
        cases.add(new Case("empty", fn("empty", List.of(), List.of()), List.of()));
    }

    // ---- hand-made fused kernels (what the optimizer produces) ----------------------------------

    static FusedElemwise.Instr instr(ScalarOp op, DType dt, Integer... args) {
        return new FusedElemwise.Instr(op, op == ScalarOp.CAST ? dt : null, dt, List.of(args));
    }

    static void fused(List<Case> cases, SplittableRandom rnd) {
        DType f = DType.FLOAT32;
        // inputs: 0 x (?,?), 1 b (1,?) row, 2 constant 0.5; outputs: sigmoid(x*b + 0.5) and (x*b)^2
        Var x = T.matrix("x");
        Var b = T.row("b");
        Var half = T.constant(0.5);
        FusedElemwise op = new FusedElemwise(3, List.of(
                instr(ScalarOp.MUL, f, 0, 1),      // 3
                instr(ScalarOp.ADD, f, 3, 2),      // 4
                instr(ScalarOp.SIGMOID, f, 4),     // 5
                instr(ScalarOp.SQR, f, 3),         // 6
                instr(ScalarOp.GT, DType.BOOL, 5, 2)), // 7
                List.of(2, 3, 4));
        List<Var> outs = op.applyAt(Site.here(), List.of(x, b, half)).outputs();
        // a fused producer of a reduction (the prologue) and a fused epilogue of a product
        Var y = T.matrix("y");
        FusedElemwise pro = new FusedElemwise(2, List.of(instr(ScalarOp.SUB, f, 0, 1), instr(ScalarOp.SQR, f, 2)), List.of(1));
        Var sq = pro.applyAt(Site.here(), List.of(x, y)).output();
        Var loss = T.mean(sq);
        SharedVar w = shared(random(rnd, f, 6, 6), "w");
        Var prod = T.dot(x, w);
        FusedElemwise epi = new FusedElemwise(2, List.of(instr(ScalarOp.ADD, f, 0, 1), instr(ScalarOp.TANH, f, 2),
                instr(ScalarOp.MUL, f, 3, 3)), List.of(1, 2));
        List<Var> eo = epi.applyAt(Site.here(), List.of(prod, b)).outputs();
        List<Var> all = new ArrayList<>(outs);
        all.add(loss.named("loss"));
        all.addAll(eo);
        cases.add(new Case("fused", fn("fused", List.of(x, b, y), all),
                List.of(random(rnd, f, 4, 6), random(rnd, f, 1, 6), random(rnd, f, 4, 6))));
    }

    // ---- updates ---------------------------------------------------------------------------------

    static void updates(List<Case> cases, SplittableRandom rnd) {
        // the lecture's accumulator: output the old state, add the increment (in place)
        SharedVar state = shared(NDArray.scalar(DType.FLOAT32, 0), "state");
        Var inc = T.scalar("inc");
        cases.add(new Case("accumulator", fn("accumulator", List.of(inc), List.of(state), Map.of(state, state.add(inc))),
                List.of(NDArray.scalar(DType.FLOAT32, 1.5))));
        // swap two variables (each update reads the other's old value), and assignments from an input,
        // a constant, a transpose (not elementwise: double-buffered), and w <- w
        SharedVar p = shared(random(rnd, DType.FLOAT32, 3, 3), "p");
        SharedVar q = shared(random(rnd, DType.FLOAT32, 3, 3), "q");
        SharedVar r = shared(random(rnd, DType.FLOAT32, 3, 3), "r");
        SharedVar s = shared(random(rnd, DType.FLOAT32, 3, 3), "s");
        SharedVar t = shared(random(rnd, DType.FLOAT32, 3), "t");
        SharedVar u = shared(random(rnd, DType.FLOAT32, 3), "u");
        Var in = T.tensor("in", DType.FLOAT32, new int[] {3, 3});
        Map<SharedVar, Var> ups = new LinkedHashMap<>();
        ups.put(p, q);
        ups.put(q, p);
        ups.put(r, in);
        ups.put(s, s.T());
        ups.put(t, T.constant(NDArray.of(new float[] {1, 2, 3})));
        ups.put(u, u);
        cases.add(new Case("update_kinds", fn("update_kinds", List.of(in), List.of(p.add(q).named("p_plus_q")), ups),
                List.of(random(rnd, DType.FLOAT32, 3, 3))));
        // an update whose old value is read after it could be computed: w1 <- w1*2 while a later
        // kernel needs the old w1 (the scheduler defers update kernels so this is still in place)
        SharedVar w1 = shared(random(rnd, DType.FLOAT32, 4), "w1");
        Var z = T.vector("z");
        Var late = T.exp(w1.mul(z)).sum().named("late");
        Map<SharedVar, Var> ups2 = new LinkedHashMap<>();
        ups2.put(w1, w1.mul(2.0));
        cases.add(new Case("update_deferred", fn("update_deferred", List.of(z), List.of(late, w1.mul(2.0).named("new_w1")), ups2),
                List.of(random(rnd, DType.FLOAT32, 4))));
    }

    // ---- the seed's examples ---------------------------------------------------------------------

    static void seedExamples(List<Case> cases, SplittableRandom rnd) {
        // the lecture's scalar chain
        Var x = T.scalar("x");
        Var y = T.scalar("y");
        Var z = x.add(y);
        Var w = z.mul(x);
        Var a = T.sqrt(w);
        Var b = T.exp(a);
        Var c = a.pow(b).named("c");
        Var d = T.log(c).named("d");
        cases.add(new Case("lecture_scalar_chain", fn("lecture_scalar_chain", List.of(x, y), List.of(d, c)),
                List.of(NDArray.scalar(DType.FLOAT32, 1.0), NDArray.scalar(DType.FLOAT32, 2.0))));
        Var ev = T.vector("ev");
        Var xv = T.vector("xv");
        cases.add(new Case("lecture_scalar_chain_vector", fn("lecture_scalar_chain_vector", List.of(ev, xv),
                List.of(T.log(T.sqrt(ev.add(xv).mul(ev)).pow(T.exp(T.sqrt(ev.add(xv).mul(ev))))).named("d"))),
                List.of(positive(rnd, DType.FLOAT32, 1000), positive(rnd, DType.FLOAT32, 1000))));
        // the vector and matrix examples
        Var mx = T.matrix("mx");
        Var my = T.matrix("my");
        Var va = T.vector("va");
        Var vb = T.vector("vb");
        Var f = T.scalar("f");
        cases.add(new Case("lecture_matrix_vector", fn("lecture_matrix_vector", List.of(mx, my, va, vb, f),
                List.of(T.dot(mx, my).named("xy"), T.dot(mx, va).named("xa"), T.dot(va, vb).named("ab"),
                        va.mul(vb).named("a_times_b"), va.add(f).named("a_plus_f"), T.dot(va, vb).add(va.mul(vb)).named("e"))),
                List.of(NDArray.of(new float[][] {{1, 2}, {3, 4}}), NDArray.of(new float[][] {{5, 6}, {7, 8}}),
                        NDArray.of(new float[] {1, 2}), NDArray.of(new float[] {3, 4}), NDArray.scalar(DType.FLOAT32, 2.5))));
        cases.add(mlp(rnd, 40));
        cases.addAll(mlpTrain(rnd, 40));
    }

    /**
     * The seed's network exactly as DESIGN.md §5 writes it (784 → 300 → 1, float32): {@code train}
     * (outputs prediction and xent; updates every parameter with its gradient) and {@code predict}.
     */
    public static List<Case> mlpTrain(SplittableRandom rnd, int n) {
        dev.tcc.Rng rng = new dev.tcc.Rng(1234);
        Var x = T.matrix("x");
        Var y = T.vector("y");
        SharedVar w1 = shared(rng.randn(784, 300), "w1");
        SharedVar b1 = shared(NDArray.zeros(DType.FLOAT32, 300), "b1");
        SharedVar w2 = shared(rng.randn(300), "w2");
        SharedVar b2 = shared(NDArray.scalar(DType.FLOAT32, 0), "b2");
        Var p1 = T.sigmoid(T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2)).named("p1");
        Var prediction = p1.gt(0.5).named("prediction");
        Var xent = y.neg().mul(T.log(p1)).sub(T.sub(1, y).mul(T.log(T.sub(1, p1)))).named("xent");
        Var cost = xent.mean().add(T.mul(0.01, T.sqr(w1).sum().add(T.sqr(w2).sum()).add(T.sqr(b1).sum()).add(T.sqr(b2)))).named("cost");
        List<Var> g = T.grad(cost, w1, b1, w2, b2);
        Map<SharedVar, Var> ups = new LinkedHashMap<>();
        ups.put(w1, w1.sub(g.get(0).mul(0.1)));
        ups.put(b1, b1.sub(g.get(1).mul(0.1)));
        ups.put(w2, w2.sub(g.get(2).mul(0.1)));
        ups.put(b2, b2.sub(g.get(3).mul(0.1)));
        NDArray xs = rng.randn(n, 784);
        NDArray ys = NDArray.zeros(DType.FLOAT32, n);
        for (int i = 0; i < n; i++) ys.setFlat(i, rnd.nextBoolean() ? 1 : 0);
        return List.of(new Case("mlp_train", fn("train", List.of(x, y), List.of(prediction, xent), ups), List.of(xs, ys)),
                new Case("mlp_predict", fn("predict", List.of(x), List.of(prediction)), List.of(xs)));
    }

    /** The MLP of DESIGN.md §5 (784 → 300 → 1), forward pass and cost, on a batch of {@code n} rows. */
    public static Case mlp(SplittableRandom rnd, int n) {
        dev.tcc.Rng rng = new dev.tcc.Rng(1234);
        Var x = T.matrix("x");
        Var y = T.vector("y");
        SharedVar w1 = shared(rng.randn(784, 300), "w1");
        SharedVar b1 = shared(NDArray.zeros(DType.FLOAT32, 300), "b1");
        SharedVar w2 = shared(rng.randn(300), "w2");
        SharedVar b2 = shared(NDArray.scalar(DType.FLOAT32, 0), "b2");
        Var p1 = T.sigmoid(T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2)).named("p1");
        Var prediction = p1.gt(0.5).named("prediction");
        Var xent = y.neg().mul(T.log(p1)).sub(T.sub(1.0, y).mul(T.log(T.sub(1.0, p1)))).named("xent");
        Var cost = xent.mean().add(T.sqr(w1).sum().add(T.sqr(w2).sum()).add(T.sqr(b1).sum()).add(T.sqr(b2)).mul(0.01)).named("cost");
        NDArray xs = rng.randn(n, 784);
        NDArray ys = NDArray.zeros(DType.FLOAT32, n);
        for (int i = 0; i < n; i++) ys.setFlat(i, rnd.nextBoolean() ? 1 : 0);
        return new Case("mlp_forward", fn("mlp_forward", List.of(x, y), List.of(prediction, xent, cost)), List.of(xs, ys));
    }
}
