package dev.tcc.opt;

import static dev.tcc.ops.ScalarOp.*;
import static dev.tcc.opt.Pattern.any;
import static dev.tcc.opt.Pattern.constant;
import static dev.tcc.opt.Pattern.elem;
import static dev.tcc.opt.Pattern.node;
import static dev.tcc.opt.Pattern.value;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.interp.Interpreter;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Node;
import dev.tcc.ir.TensorType;
import dev.tcc.ops.DimShuffle;
import dev.tcc.ops.ElementCount;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.Reduce;
import dev.tcc.ops.ReduceKind;
import dev.tcc.ops.ScalarOp;
import dev.tcc.ops.Softmax;
import dev.tcc.ops.StopGradient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rule sets of the local phases. Each rule's name is what the pass report counts. None of them
 * can grow the graph by more than a constant number of nodes per node it replaces, and the chain
 * rules only look through nodes with a single reader, so nothing is duplicated (no distributivity:
 * Theano's local_greedy_distributor lesson).
 *
 * <p>Rewrites treat NaN and infinities the way Theano and PyTensor do: {@code x*0 -> 0} and
 * {@code x-x -> 0} hold for finite x. Rewrites whose safety depends on values ({@code x/x},
 * {@code exp(log x)}, {@code log(a**b)}) ask the interval analysis ({@link Ranges}).
 */
public final class Rules {
    private Rules() {}

    /** Constant folding plus the algebraic canonical forms. */
    public static List<Rule> canonicalize() {
        List<Rule> r = new ArrayList<>();
        r.add(CONSTANT_FOLD);
        r.add(Rule.of("stop_gradient", node(StopGradient.class, any("x")), m -> m.x("x")));
        r.add(Rule.of("identity", elem(IDENTITY, any("x")).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.code("cast_noop", CAST, (n, c) -> n.input(0).dtype() == n.output().dtype() ? n.input(0) : null));
        r.add(Rule.code("cast_cast", CAST, Rules::castCast));
        r.add(Rule.code("count_static", ElementCount.class, Rules::countStatic));
        r.add(Rule.code("constants_right", Elemwise.class, Rules::constantsRight));
        // additive identities
        r.add(Rule.of("add_zero", elem(ADD, any("x"), value(0)).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.of("sub_zero", elem(SUB, any("x"), value(0)).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.of("zero_sub", elem(SUB, value(0), any("x")).as("out"), m -> like(T.neg(m.x("x")), m.x("out"))));
        r.add(Rule.of("sub_self", elem(SUB, any("x"), any("x")).as("out"), (m, c) -> zerosLike(c, m.x("x"), m.x("out"))));
        r.add(Rule.of("add_neg_self", elem(ADD, any("x"), elem(NEG, any("x"))).as("out"), (m, c) -> zerosLike(c, m.x("x"), m.x("out"))));
        r.add(Rule.of("neg_neg", elem(NEG, elem(NEG, any("x"))), m -> m.x("x")));
        r.add(Rule.of("sub_neg", elem(SUB, any("x"), elem(NEG, any("y"))), m -> T.add(m.x("x"), m.x("y"))));
        r.add(Rule.of("add_neg", elem(ADD, any("x"), elem(NEG, any("y"))), m -> T.sub(m.x("x"), m.x("y"))));
        r.add(Rule.of("neg_sub", elem(NEG, elem(SUB, any("x"), any("y"))), m -> T.sub(m.x("y"), m.x("x"))));
        r.add(Rule.code("sub_const", SUB, Rules::subConst));
        r.add(Rule.code("add_const_assoc", ADD, (n, c) -> constAssoc(n, ADD)));
        r.add(Rule.code("add_chain", Elemwise.class, Rules::addChain).readingUseCounts());
        // multiplicative identities
        r.add(Rule.of("mul_one", elem(MUL, any("x"), value(1)).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.of("div_one", elem(DIV, any("x"), value(1)).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.of("mul_minus_one", elem(MUL, any("x"), value(-1)).as("out"), m -> like(T.neg(m.x("x")), m.x("out"))));
        r.add(Rule.of("mul_zero", elem(MUL, any("x"), value(0)).as("out"), (m, c) -> zerosLike(c, m.x("x"), m.x("out"))));
        r.add(Rule.of("mul_neg_neg", elem(MUL, elem(NEG, any("x")), elem(NEG, any("y"))), m -> T.mul(m.x("x"), m.x("y"))));
        r.add(Rule.of("div_self", elem(DIV, any("x"), any("x")).as("out"),
                (m, c) -> c.ranges().of(m.x("x")).finiteNonZero() ? onesLike(c, m.x("x"), m.x("out")) : null));
        r.add(Rule.code("mul_const_assoc", MUL, (n, c) -> constAssoc(n, MUL)));
        r.add(Rule.code("mul_chain", Elemwise.class, Rules::mulChain).readingUseCounts());
        // powers, exp and log
        r.add(Rule.of("pow_2", elem(POW, any("x"), value(2)).as("out"), m -> like(T.sqr(m.x("x")), m.x("out"))));
        r.add(Rule.of("pow_half", elem(POW, any("x"), value(0.5)).as("out"), m -> like(T.sqrt(m.x("x")), m.x("out"))));
        r.add(Rule.of("pow_1", elem(POW, any("x"), value(1)).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.of("pow_0", elem(POW, any("x"), value(0)).as("out"), (m, c) -> onesLike(c, m.x("x"), m.x("out"))));
        r.add(Rule.of("pow_minus_1", elem(POW, any("x"), value(-1)).as("out"),
                m -> m.x("out").dtype().isFloat() ? like(T.div(1.0, m.x("x")), m.x("out")) : null));
        r.add(Rule.of("log_exp", elem(LOG, elem(EXP, any("x"))).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.of("exp_log", elem(EXP, elem(LOG, any("x"))).as("out"), (m, c) -> {
            Var x = m.x("x");
            if (x.dtype() != m.x("out").dtype()) return null;
            if (c.ranges().of(x).nonNegative()) return x;
            return T.where(T.ge(x, 0), x, Double.NaN);          // PyTensor's form: NaN where log(x) was NaN
        }));
        r.add(Rule.of("inv_1_plus_exp", elem(DIV, value(1), elem(ADD, elem(EXP, elem(NEG, any("x"))), value(1))).as("out"),
                m -> like(T.sigmoid(m.x("x")), m.x("out"))));
        // absolute values, squares, logic
        r.add(Rule.of("sqr_neg", elem(SQR, elem(NEG, any("x"))), m -> T.sqr(m.x("x"))));
        r.add(Rule.of("abs_neg", elem(ABS, elem(NEG, any("x"))), m -> T.abs(m.x("x"))));
        r.add(Rule.of("abs_nonneg", elem(ABS, any("x")), (m, c) -> c.ranges().of(m.x("x")).nonNegative() ? m.x("x") : null));
        r.add(Rule.of("not_not", elem(NOT, elem(NOT, any("x"))).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.of("where_same", elem(WHERE, any("c"), any("x"), any("x")).as("out"), m -> like(m.x("x"), m.x("out"))));
        r.add(Rule.of("where_const", elem(WHERE, constant("c"), any("a"), any("b")).as("out"), m -> {
            NDArray c = m.value("c");
            if (allNonZero(c)) return like(m.x("a"), m.x("out"));
            if (Pattern.allEqual(c, 0)) return like(m.x("b"), m.x("out"));
            return null;
        }));
        r.add(Rule.of("second_redundant", elem(SECOND, any("a"), any("b")).as("out"),
                m -> m.x("b").type().equals(m.x("out").type()) ? m.x("b") : null));
        r.add(Rule.code("fill_elim", Elemwise.class, Rules::fillElim));
        r.add(Rule.code("fill_sink", Elemwise.class, Rules::fillSink).readingUseCounts());
        r.add(Rule.code("shape_carrier", null, Rules::shapeCarrier));
        // shapes and reductions
        r.add(Rule.code("dimshuffle_dimshuffle", DimShuffle.class, Rules::dimshuffleCompose));
        r.add(Rule.code("dimshuffle_identity", DimShuffle.class, (n, c) -> isIdentity((DimShuffle) n.op()) ? n.input(0) : null));
        r.add(Rule.code("reduce_no_axes", Reduce.class, Rules::reduceNoAxes));
        r.add(Rule.code("reduce_broadcastable_axes", Reduce.class, Rules::reduceBroadcastableAxes));
        r.add(Rule.code("sum_fill", Reduce.class, Rules::sumFill));
        return r;
    }

    /** Numerically stable forms. */
    public static List<Rule> stabilize() {
        List<Rule> r = new ArrayList<>();
        r.add(CONSTANT_FOLD);
        r.add(Rule.of("log_sigmoid", elem(LOG, elem(SIGMOID, any("x"))), m -> T.neg(T.softplus(T.neg(m.x("x"))))));
        r.add(Rule.of("log_1_minus_sigmoid", elem(LOG, elem(SUB, value(1), elem(SIGMOID, any("x")))).as("out"),
                m -> like(T.neg(T.softplus(m.x("x"))), m.x("out"))));
        r.add(Rule.of("log1p_exp", elem(LOG1P, elem(EXP, any("x"))), m -> T.softplus(m.x("x"))));
        r.add(Rule.of("log_1_plus", elem(LOG, elem(ADD, any("x"), value(1))).as("out"),
                m -> m.x("x").dtype().isFloat() ? like(T.log1p(m.x("x")), m.x("out")) : null));
        r.add(Rule.of("expm1", elem(SUB, elem(EXP, any("x")), value(1)).as("out"),
                m -> m.x("x").dtype().isFloat() ? like(T.expm1(m.x("x")), m.x("out")) : null));
        r.add(Rule.of("expm1", elem(ADD, elem(EXP, any("x")), value(-1)).as("out"),
                m -> m.x("x").dtype().isFloat() ? like(T.expm1(m.x("x")), m.x("out")) : null));
        r.add(Rule.of("log_softmax", elem(LOG, node(Softmax.class, any("x")).as("s")), m -> {
            Softmax s = (Softmax) m.node("s").op();
            return s.log() ? null : T.logSoftmax(m.x("x"), s.axis());
        }));
        r.add(Rule.code("mul_div_cancel", MUL, Rules::mulDivCancel).readingUseCounts());
        r.add(Rule.of("log_pow", elem(LOG, elem(POW, any("a"), any("b")).as("p")).as("out"), (m, c) -> {
            Var a = m.x("a"), b = m.x("b"), out = m.x("out");
            if (!a.dtype().isFloat() || a.dtype() != b.dtype() || a.dtype() != out.dtype()) return null;
            if (!c.ranges().of(a).nonNegative()) return null;
            return T.mul(b, T.log(a));
        }));
        return r;
    }

    /** Cheaper equivalents of general operations. */
    public static List<Rule> specialize() {
        List<Rule> r = new ArrayList<>();
        r.add(CONSTANT_FOLD);
        r.add(Rule.code("sum_mul_scalar", Reduce.class, Rules::sumMulScalar).readingUseCounts());
        r.add(Rule.of("div_pow2", elem(DIV, any("x"), constant("c")).as("out"), m -> {
            Var x = m.x("x"), out = m.x("out");
            double c = uniformValue(m.value("c"));
            if (!out.dtype().isFloat() || x.dtype() != out.dtype() || !isPowerOfTwo(c)) return null;
            return T.mul(x, 1.0 / c);                         // exact: multiplying by 2^-k
        }));
        r.add(Rule.of("mul_neg_const", elem(MUL, elem(NEG, any("x")), constant("c")).as("out"), m -> {
            Var x = m.x("x"), c = m.x("c");
            if (c.dtype() != x.dtype()) return null;
            return T.mul(x, T.neg(c));
        }));
        return r;
    }

    // ================================================================ constant folding

    /** A node whose inputs are all constants becomes a constant, evaluated by the reference interpreter. */
    public static final Rule CONSTANT_FOLD = Rule.code("constant_fold", null, Rules::fold);

    private static Var fold(Node n, RewriteContext ctx) {
        if (n.outputs().size() != 1 || n.inputs().isEmpty()) return null;
        for (Var in : n.inputs()) if (!(in instanceof Constant)) return null;
        TensorType t = n.output().type();
        if (!t.fullyKnown() || elements(t) > ctx.foldLimit()) return null;
        NDArray value;
        try {
            value = Interpreter.evaluate(n.output(), Map.of());
        } catch (TccException | ArithmeticException e) {
            return null;                                    // fails at run time too; leave it there
        }
        return T.constant(value);
    }

    private static long elements(TensorType t) {
        long n = 1;
        for (int i = 0; i < t.ndim(); i++) n *= t.size(i);
        return n;
    }

    // ================================================================ helpers

    /** {@code x} as a value of {@code out}'s type: itself, or cast to its dtype; null if the shapes differ. */
    static Var like(Var x, Var out) {
        if (x.type().equals(out.type())) return x;
        if (x.dtype() != out.dtype() && java.util.Arrays.equals(x.type().shape(), out.type().shape())) return T.cast(x, out.dtype());
        return x;   // the engine refuses a replacement of another shape
    }

    /** Zeros of {@code out}'s type, with {@code x}'s run-time shape. */
    static Var zerosLike(RewriteContext ctx, Var x, Var out) { return filled(ctx, x, out, 0); }

    static Var onesLike(RewriteContext ctx, Var x, Var out) { return filled(ctx, x, out, 1); }

    private static Var filled(RewriteContext ctx, Var x, Var out, double v) {
        TensorType t = out.type();
        if (t.fullyKnown() && elements(t) <= ctx.foldLimit())
            return T.constant(NDArray.full(t.dtype(), v, t.shape()));
        return T.elemwise(SECOND, ctx.shapeCarrier(x), T.constant(v, out.dtype()));
    }

    private static boolean allNonZero(NDArray a) {
        if (a.size() == 0) return false;
        for (int i = 0; i < a.size(); i++) if (a.getFlat(i) == 0) return false;
        return true;
    }

    /** The value every element has, or NaN. */
    static double uniformValue(NDArray a) {
        if (a.size() == 0) return Double.NaN;
        double v = a.getFlat(0);
        for (int i = 1; i < a.size(); i++) if (a.getFlat(i) != v) return Double.NaN;
        return v;
    }

    private static boolean isPowerOfTwo(double c) {
        if (!(Math.abs(c) > 0) || Double.isInfinite(c)) return false;
        double a = Math.abs(c);
        return a == Math.scalb(1.0, Math.getExponent(a)) && Math.abs(Math.getExponent(a)) < 100;
    }

    /** Whether every value of dtype {@code from} is exactly representable in {@code to}. */
    static boolean lossless(DType from, DType to) {
        if (from == to || from == DType.BOOL) return true;
        switch (from) {
            case INT32: return to == DType.INT64 || to == DType.FLOAT64;
            case FLOAT32: return to == DType.FLOAT64;
            default: return false;
        }
    }

    // ================================================================ code rules

    private static Var castCast(Node n, RewriteContext ctx) {
        Node inner = n.input(0).owner();
        if (inner == null || !(inner.op() instanceof Elemwise e) || e.scalar() != CAST) return null;
        Var x = inner.input(0);
        DType mid = e.castTo(), to = n.output().dtype();
        if (!lossless(x.dtype(), mid)) return null;
        return x.dtype() == to ? x : T.cast(x, to);
    }

    private static Var countStatic(Node n, RewriteContext ctx) {
        ElementCount op = (ElementCount) n.op();
        TensorType t = n.input(0).type();
        long c = 1;
        for (int a : op.axes()) {
            if (t.size(a) == TensorType.UNKNOWN) return null;
            c *= t.size(a);
        }
        return T.constant((double) c, op.dtype());
    }

    /** Commutative ops take their constant operand second: {@code 2*x -> x*2}. */
    private static Var constantsRight(Node n, RewriteContext ctx) {
        if (!(n.op() instanceof Elemwise e) || !Pattern.isCommutative(e.scalar())) return null;
        if (n.input(0) instanceof Constant && !(n.input(1) instanceof Constant))
            return e.applyAt(n.site(), List.of(n.input(1), n.input(0))).output();
        return null;
    }

    /** {@code x - c -> x + (-c)} (exact), so that constants of add chains meet. */
    private static Var subConst(Node n, RewriteContext ctx) {
        if (!(n.input(1) instanceof Constant c) || n.input(0) instanceof Constant) return null;
        DType d = n.output().dtype();
        if (d == DType.BOOL || c.dtype() != d || n.input(0).dtype() != d) return null;
        return T.add(n.input(0), T.neg(c));
    }

    /** {@code (x + c1) + c2 -> x + (c1 + c2)} and the same for mul, when all dtypes agree. */
    private static Var constAssoc(Node n, ScalarOp op) {
        if (!(n.input(1) instanceof Constant c2)) return null;
        Node inner = n.input(0).owner();
        if (inner == null || !(inner.op() instanceof Elemwise e) || e.scalar() != op) return null;
        if (!(inner.input(1) instanceof Constant c1) || inner.input(0) instanceof Constant) return null;
        DType d = n.output().dtype();
        if (d == DType.BOOL || c1.dtype() != d || c2.dtype() != d || inner.input(0).dtype() != d) return null;
        Var folded = T.elemwise(op, c1, c2);
        return T.elemwise(op, inner.input(0), folded);
    }

    /**
     * Max terms (factors) a chain rule collects: a few levels of nesting. Every node of a long chain
     * is offered to the rule, so the bound keeps one application O(1) and a round linear; bigger
     * opportunities inside a long chain are found where they are, as the walk reaches them.
     */
    private static final int CHAIN_LIMIT = 8;

    /**
     * Flattens a chain of +, - and unary - through single-reader nodes of the same dtype into signed
     * terms; rebuilds it only if that combines constants or cancels a term against its negation.
     */
    private static Var addChain(Node n, RewriteContext ctx) {
        if (!(n.op() instanceof Elemwise e) || (e.scalar() != ADD && e.scalar() != SUB)) return null;
        DType d = n.output().dtype();
        if (d == DType.BOOL || !expandable(n, ctx, ADD, SUB, NEG)) return null;
        List<Var> terms = new ArrayList<>();
        List<Boolean> neg = new ArrayList<>();
        collect(n, false, d, ctx, terms, neg, true, ADD, SUB);
        if (terms.size() > CHAIN_LIMIT || terms.size() < 3) return null;
        // cancel x against -x
        boolean changed = false;
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) == null) continue;
            for (int j = i + 1; j < terms.size(); j++) {
                if (terms.get(j) == terms.get(i) && neg.get(j) != neg.get(i) && !(terms.get(i) instanceof Constant)) {
                    terms.set(i, null);
                    terms.set(j, null);
                    changed = true;
                    break;
                }
            }
        }
        // combine constants
        Var constSum = null;
        int constants = 0;
        for (int i = 0; i < terms.size(); i++) {
            if (!(terms.get(i) instanceof Constant c)) continue;
            constants++;
            Var t = neg.get(i) ? T.neg(c) : c;
            constSum = constSum == null ? t : T.add(constSum, t);
            terms.set(i, null);
        }
        if (constants >= 2) changed = true;
        if (!changed) return null;
        Var acc = null;
        for (int i = 0; i < terms.size(); i++) {
            Var t = terms.get(i);
            if (t == null || neg.get(i)) continue;
            acc = acc == null ? t : T.add(acc, t);
        }
        for (int i = 0; i < terms.size(); i++) {
            Var t = terms.get(i);
            if (t == null || !neg.get(i)) continue;
            acc = acc == null ? T.neg(t) : T.sub(acc, t);
        }
        if (constSum != null) acc = acc == null ? constSum : T.add(acc, constSum);
        return acc == null ? zerosLike(ctx, n.input(0), n.output()) : acc;
    }

    /**
     * Flattens a chain of * and / through single-reader float nodes of the same dtype into factors;
     * rebuilds it only if that combines constants or cancels {@code x / x} where x is provably finite
     * and non-zero.
     */
    private static Var mulChain(Node n, RewriteContext ctx) {
        if (!(n.op() instanceof Elemwise e) || (e.scalar() != MUL && e.scalar() != DIV)) return null;
        DType d = n.output().dtype();
        if (!d.isFloat() || !expandable(n, ctx, MUL, DIV, null)) return null;
        List<Var> fs = new ArrayList<>();
        List<Boolean> inv = new ArrayList<>();
        collect(n, false, d, ctx, fs, inv, true, MUL, DIV);
        if (fs.size() > CHAIN_LIMIT || fs.size() < 3) return null;
        boolean changed = false;
        for (int i = 0; i < fs.size(); i++) {
            Var x = fs.get(i);
            if (x == null || x instanceof Constant) continue;
            for (int j = i + 1; j < fs.size(); j++) {
                if (fs.get(j) == x && inv.get(j) != inv.get(i) && ctx.ranges().of(x).finiteNonZero()) {
                    fs.set(i, null);
                    fs.set(j, null);
                    changed = true;
                    break;
                }
            }
        }
        Var constProd = null;
        int constants = 0;
        for (int i = 0; i < fs.size(); i++) {
            if (!(fs.get(i) instanceof Constant c)) continue;
            constants++;
            Var t = inv.get(i) ? T.div(T.constant(1.0, d), c) : c;
            constProd = constProd == null ? t : T.mul(constProd, t);
            fs.set(i, null);
        }
        if (constants >= 2) changed = true;
        if (!changed) return null;
        Var acc = null;
        for (int i = 0; i < fs.size(); i++) {
            Var t = fs.get(i);
            if (t == null || inv.get(i)) continue;
            acc = acc == null ? t : T.mul(acc, t);
        }
        if (acc == null && constProd != null) { acc = constProd; constProd = null; }   // c / x, not (1 / x) * c
        for (int i = 0; i < fs.size(); i++) {
            Var t = fs.get(i);
            if (t == null || !inv.get(i)) continue;
            acc = acc == null ? T.div(T.constant(1.0, d), t) : T.div(acc, t);
        }
        if (constProd != null) acc = acc == null ? constProd : T.mul(acc, constProd);
        return acc == null ? onesLike(ctx, n.input(0), n.output()) : acc;
    }

    /**
     * Quick test before a chain rule collects anything: some operand is a single-reader node of one
     * of these scalar ops (otherwise the chain is just the node's two operands, which other rules handle).
     */
    private static boolean expandable(Node n, RewriteContext ctx, ScalarOp a, ScalarOp b, ScalarOp c) {
        for (Var in : n.inputs()) {
            Node p = in.owner();
            if (p == null || !(p.op() instanceof Elemwise e)) continue;
            ScalarOp s = e.scalar();
            if ((s == a || s == b || (c != null && s == c)) && ctx.hasOneReader(in)) return true;
        }
        return false;
    }

    /** Collects the signed terms (or factors) of {@code n} through single-use inner nodes of dtype {@code d}. */
    private static void collect(Node root, boolean rootNeg, DType d, RewriteContext ctx, List<Var> out, List<Boolean> negs,
                                boolean isRoot, ScalarOp plus, ScalarOp minus) {
        java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
        // items: {Var, Boolean negated, Boolean isRoot}
        stack.push(new Object[] {root.output(), rootNeg, isRoot});
        while (!stack.isEmpty()) {
            Object[] item = stack.pop();
            Var v = (Var) item[0];
            boolean ng = (Boolean) item[1];
            boolean top = (Boolean) item[2];
            Node n = v.owner();
            boolean expand = n != null && n.op() instanceof Elemwise e && v.dtype() == d
                    && (e.scalar() == plus || e.scalar() == minus || (plus == ADD && e.scalar() == NEG))
                    && (top || ctx.hasOneReader(v)) && out.size() + stack.size() < CHAIN_LIMIT;
            if (expand) for (Var in : n.inputs()) if (in.dtype() != d) { expand = false; break; }
            if (!expand) { out.add(v); negs.add(ng); continue; }
            ScalarOp s = ((Elemwise) n.op()).scalar();
            if (s == NEG) { stack.push(new Object[] {n.input(0), !ng, false}); continue; }
            // push right first so the left operand comes out first (keeps the original order)
            stack.push(new Object[] {n.input(1), s == minus ? !ng : ng, false});
            stack.push(new Object[] {n.input(0), ng, false});
        }
    }

    /**
     * {@code op(fill(a, c), b) -> op(c, b)} when b alone already has the result's type: the fill only
     * contributed a shape (Theano's local_useless_fill / fill sinking).
     */
    private static Var fillElim(Node n, RewriteContext ctx) {
        if (!(n.op() instanceof Elemwise e) || e.scalar() == SECOND || n.inputs().size() < 2) return null;
        for (int i = 0; i < n.inputs().size(); i++) {
            Node f = n.input(i).owner();
            if (f == null || !(f.op() instanceof Elemwise fe) || fe.scalar() != SECOND) continue;
            boolean otherHasShape = false;
            for (int j = 0; j < n.inputs().size(); j++)
                if (j != i && java.util.Arrays.equals(n.input(j).type().shape(), n.output().type().shape())) otherHasShape = true;
            if (!otherHasShape) continue;
            Var c = f.input(1);
            if (c.dtype() != f.output().dtype()) continue;
            List<Var> ins = new ArrayList<>(n.inputs());
            ins.set(i, c);
            return e.applyAt(n.site(), ins).output();
        }
        return null;
    }

    /** {@code f(fill(a, c)) -> fill(a, f(c))} for a unary f: the fill moves outward, towards a node that can drop it. */
    private static Var fillSink(Node n, RewriteContext ctx) {
        if (!(n.op() instanceof Elemwise e) || n.inputs().size() != 1 || e.scalar() == SECOND) return null;
        Node f = n.input(0).owner();
        if (f == null || !(f.op() instanceof Elemwise fe) || fe.scalar() != SECOND || !ctx.hasOneReader(n.input(0))) return null;
        Var inner = e.applyAt(n.site(), List.of(f.input(1))).output();
        return T.elemwise(SECOND, f.input(0), inner);
    }

    /**
     * Operands read only for their shape (the first operand of a fill, the input of an element
     * count) are replaced by a cheaper variable of the same run-time shape, so that they stop
     * depending on (and keeping alive, and ordering kernels after) the computation of the original.
     */
    private static Var shapeCarrier(Node n, RewriteContext ctx) {
        int k;
        if (n.op() instanceof Elemwise e && e.scalar() == SECOND) k = 0;
        else if (n.op() instanceof ElementCount) k = 0;
        else return null;
        Var a = n.input(k), c = ctx.shapeCarrier(a);
        if (c == a) return null;
        List<Var> ins = new ArrayList<>(n.inputs());
        ins.set(k, c);
        return n.op().applyAt(n.site(), ins).output();
    }

    /**
     * Stabilization of chain-rule products: {@code (sum_i ±a_i/d_i) * M -> sum_i ±a_i * (M/d_i)} where
     * M is a product (through single-reader muls) that contains every divisor d_i as a factor, so each
     * term's division cancels against the product instead of being computed. This is what the gradient
     * of {@code log(sigmoid(z))} and {@code log(1 - sigmoid(z))} needs: {@code (-y/p + (1-y)/(1-p)) * p * (1-p)}
     * becomes {@code -y*(1-p) + (1-y)*p}, which stays finite when p rounds to exactly 0 or 1. Wherever the
     * original is finite, the result is equal up to rounding; where {@code a/d} over- or underflowed or
     * was 0/0, the result is the limit. Fires only if it does not add operations, so it cannot explode.
     */
    private static Var mulDivCancel(Node n, RewriteContext ctx) {
        DType d = n.output().dtype();
        if (!d.isFloat() || !expandable(n, ctx, MUL, ADD, SUB)) return null;
        List<Var> factors = new ArrayList<>();
        List<Boolean> inv = new ArrayList<>();
        collect(n, false, d, ctx, factors, inv, true, MUL, DIV);
        if (factors.size() > CHAIN_LIMIT || factors.contains(null)) return null;
        for (boolean b : inv) if (b) return null;                 // a plain product
        for (int s = 0; s < factors.size(); s++) {
            Var sum = factors.get(s);
            Node sn = sum.owner();
            if (sn == null || !ctx.hasOneReader(sum) || !(sn.op() instanceof Elemwise se) || (se.scalar() != ADD && se.scalar() != SUB)) continue;
            List<Var> terms = new ArrayList<>();
            List<Boolean> neg = new ArrayList<>();
            collect(sn, false, d, ctx, terms, neg, true, ADD, SUB);
            if (terms.size() > CHAIN_LIMIT) continue;
            List<Var> others = new ArrayList<>(factors);
            others.remove(s);
            // each term must be a single-use a/d (possibly negated) with d among the other factors
            List<Var> nums = new ArrayList<>(), dens = new ArrayList<>();
            List<Boolean> signs = new ArrayList<>();
            boolean ok = true;
            for (int t = 0; t < terms.size() && ok; t++) {
                Var term = terms.get(t);
                boolean sign = neg.get(t);
                Node tn = term.owner();
                if (tn != null && tn.op() instanceof Elemwise te && te.scalar() == NEG && ctx.hasOneReader(term)) {
                    term = tn.input(0);
                    sign = !sign;
                    tn = term.owner();
                }
                if (tn == null || !(tn.op() instanceof Elemwise de) || de.scalar() != DIV || !ctx.hasOneReader(term)
                        || term.dtype() != d || !others.contains(tn.input(1))) { ok = false; break; }
                nums.add(tn.input(0));
                dens.add(tn.input(1));
                signs.add(sign);
            }
            if (!ok || terms.isEmpty()) continue;
            int k = terms.size(), f = others.size();
            int before = k + (k - 1) + f;                          // divisions, additions, the multiplications
            int after = k * (f - 1) + (k - 1);
            if (after > before) continue;
            Var acc = null;
            for (int t = 0; t < k; t++) {
                Var term = nums.get(t);
                boolean dropped = false;
                for (Var o : others) {
                    if (!dropped && o == dens.get(t)) { dropped = true; continue; }
                    term = T.mul(term, o);
                }
                if (acc == null) acc = signs.get(t) ? T.neg(term) : term;
                else acc = signs.get(t) ? T.sub(acc, term) : T.add(acc, term);
            }
            return acc;
        }
        return null;
    }

    private static boolean isIdentity(DimShuffle d) {
        if (!d.isTranspose()) return false;
        for (int i = 0; i < d.pattern().size(); i++) if (d.pattern().get(i) != i) return false;
        return true;
    }

    /** {@code dimshuffle(dimshuffle(x))} -> one dimshuffle (transposes of transposes cancel). */
    private static Var dimshuffleCompose(Node n, RewriteContext ctx) {
        Node inner = n.input(0).owner();
        if (inner == null || !(inner.op() instanceof DimShuffle in)) return null;
        DimShuffle outer = (DimShuffle) n.op();
        List<Integer> p = new ArrayList<>();
        for (int a : outer.pattern()) p.add(a == DimShuffle.NEW_AXIS ? DimShuffle.NEW_AXIS : in.pattern().get(a));
        DimShuffle composed = new DimShuffle(p, in.inputNdim());
        Var x = inner.input(0);
        if (isIdentity(composed)) return x;
        return composed.applyAt(n.site(), List.of(x)).output();
    }

    /** A reduction over no axes is the identity (up to its result dtype). */
    private static Var reduceNoAxes(Node n, RewriteContext ctx) {
        Reduce r = (Reduce) n.op();
        if (!r.axes().isEmpty() || r.kind().isArg()) return null;
        return like(n.input(0), n.output());
    }

    /** Axes of static size 1 need no reduction: {@code sum{0}(x: (1, n)) -> dimshuffle} (Theano's local_reduce_broadcastable). */
    private static Var reduceBroadcastableAxes(Node n, RewriteContext ctx) {
        Reduce r = (Reduce) n.op();
        if (r.kind().isArg()) return null;
        TensorType t = n.input(0).type();
        List<Integer> keep = new ArrayList<>(), drop = new ArrayList<>();
        for (int a : r.axes()) (t.size(a) == 1 ? drop : keep).add(a);
        if (drop.isEmpty()) return null;
        Var x = n.input(0);
        if (!keep.isEmpty()) {
            x = new Reduce(r.kind(), keep, true).applyAt(n.site(), List.of(x)).output();
        }
        if (!r.keepdims()) {
            List<Integer> pattern = new ArrayList<>();
            for (int a = 0; a < t.ndim(); a++) if (!r.axes().contains(a)) pattern.add(a);
            x = new DimShuffle(pattern, t.ndim()).applyAt(n.site(), List.of(x)).output();
        }
        return like(x, n.output());
    }

    /** {@code sum(fill(x, s)) -> s * count(x)} and {@code mean(fill(x, s)) -> s} for a full reduction of a broadcast scalar. */
    private static Var sumFill(Node n, RewriteContext ctx) {
        Reduce r = (Reduce) n.op();
        if (r.kind() != ReduceKind.SUM && r.kind() != ReduceKind.MEAN) return null;
        Node f = n.input(0).owner();
        if (f == null || !(f.op() instanceof Elemwise e) || e.scalar() != SECOND) return null;
        Var x = f.input(0), s = f.input(1);
        TensorType ft = f.output().type();
        if (r.axes().size() != ft.ndim() || r.keepdims() || !scalarLike(s) || !java.util.Arrays.equals(x.type().shape(), ft.shape())) return null;
        Var scalar = toScalar(s, n);
        if (r.kind() == ReduceKind.MEAN) return like(scalar, n.output());
        if (!n.output().dtype().isFloat()) return null;
        List<Integer> all = new ArrayList<>();
        for (int a = 0; a < x.ndim(); a++) all.add(a);
        Var count = new ElementCount(all, n.output().dtype()).applyAt(n.site(), List.of(x)).output();
        return T.mul(like(scalar, n.output()), count);
    }

    /** {@code sum(x * s) -> sum(x) * s} for a scalar-like s (same for mean). */
    private static Var sumMulScalar(Node n, RewriteContext ctx) {
        Reduce r = (Reduce) n.op();
        if (r.kind() != ReduceKind.SUM && r.kind() != ReduceKind.MEAN) return null;
        Node m = n.input(0).owner();
        if (m == null || !(m.op() instanceof Elemwise e) || e.scalar() != MUL || !ctx.hasOneReader(n.input(0))) return null;
        DType d = n.output().dtype();
        if (!d.isFloat()) return null;
        for (int k = 0; k < 2; k++) {
            Var x = m.input(k), s = m.input(1 - k);
            if (!scalarLike(s) || scalarLike(x) || x.dtype() != d || s.dtype() != d || !x.type().equals(m.output().type())) continue;
            Var reduced = r.applyAt(n.site(), List.of(x)).output();
            return T.mul(reduced, toScalar(s, n));           // a rank-0 operand broadcasts over any result
        }
        return null;
    }

    /** Rank 0, or every static size 1. */
    static boolean scalarLike(Var v) {
        for (int i = 0; i < v.ndim(); i++) if (v.type().size(i) != 1) return false;
        return true;
    }

    /** A scalar-like variable as a rank-0 one. */
    private static Var toScalar(Var s, Node at) {
        if (s.ndim() == 0) return s;
        return new DimShuffle(List.of(), s.ndim()).applyAt(at.site(), List.of(s)).output();
    }
}
