package dev.tcc;

import dev.tcc.ir.Constant;
import dev.tcc.ir.Op;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import dev.tcc.ops.Axes;
import dev.tcc.ops.BatchedMatMul;
import dev.tcc.ops.Concatenate;
import dev.tcc.ops.DimShuffle;
import dev.tcc.ops.Dot;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.Flatten;
import dev.tcc.ops.Reduce;
import dev.tcc.ops.ReduceKind;
import dev.tcc.ops.Reshape;
import dev.tcc.ops.ScalarOp;
import dev.tcc.ops.Softmax;
import dev.tcc.ops.StopGradient;
import java.util.ArrayList;
import java.util.List;

/**
 * The symbolic operations, mirroring {@code theano.tensor}. Binary operations take a {@link Var}
 * or a Java number on either side; numbers are weak scalars (they take the other side's dtype).
 * Broadcasting follows numpy, stretching only axes whose static size is 1.
 */
public final class T {
    private T() {}

    // ---- variables ------------------------------------------------------------------------------
    public static Var scalar() { return tensor(null, floatX(), 0); }
    public static Var scalar(String name) { return tensor(name, floatX(), 0); }
    public static Var scalar(String name, DType dtype) { return tensor(name, dtype, 0); }
    public static Var scalar(DType dtype) { return tensor(null, dtype, 0); }
    public static Var vector() { return tensor(null, floatX(), 1); }
    public static Var vector(String name) { return tensor(name, floatX(), 1); }
    public static Var vector(String name, DType dtype) { return tensor(name, dtype, 1); }
    public static Var vector(DType dtype) { return tensor(null, dtype, 1); }
    public static Var matrix() { return tensor(null, floatX(), 2); }
    public static Var matrix(String name) { return tensor(name, floatX(), 2); }
    public static Var matrix(String name, DType dtype) { return tensor(name, dtype, 2); }
    public static Var matrix(DType dtype) { return tensor(null, dtype, 2); }
    public static Var tensor3(String name) { return tensor(name, floatX(), 3); }
    public static Var tensor3(String name, DType dtype) { return tensor(name, dtype, 3); }
    public static Var tensor4(String name) { return tensor(name, floatX(), 4); }
    public static Var tensor4(String name, DType dtype) { return tensor(name, dtype, 4); }
    /** A row: a matrix whose first axis has static size 1 (broadcastable), like Theano's T.row. */
    public static Var row(String name) { return tensor(name, floatX(), new int[] {1, TensorType.UNKNOWN}); }
    /** A column: a matrix whose second axis has static size 1, like Theano's T.col. */
    public static Var col(String name) { return tensor(name, floatX(), new int[] {TensorType.UNKNOWN, 1}); }

    public static Var tensor(String name, DType dtype, int ndim) {
        return Var.input(TensorType.unknownShape(dtype, ndim), name, Site.here());
    }

    /** An input with static sizes ({@code -1} for unknown; 1 marks an axis broadcastable). */
    public static Var tensor(String name, DType dtype, int[] shape) {
        return Var.input(new TensorType(dtype, shape), name, Site.here());
    }

    public static Var constant(double value) { return constant(NDArray.scalar(floatX(), value)); }
    public static Var constant(double value, DType dtype) { return constant(NDArray.scalar(dtype, value)); }
    public static Var constant(NDArray value) { return new Constant(value, Site.here()); }

    private static DType floatX() { return Config.get().floatX(); }

    // ---- elementwise binary ---------------------------------------------------------------------
    public static Var add(Var a, Var b) { return binary(ScalarOp.ADD, a, b); }
    public static Var add(Var a, Number b) { return binary(ScalarOp.ADD, a, b); }
    public static Var add(Number a, Var b) { return binary(ScalarOp.ADD, a, b); }
    public static Var sub(Var a, Var b) { return binary(ScalarOp.SUB, a, b); }
    public static Var sub(Var a, Number b) { return binary(ScalarOp.SUB, a, b); }
    public static Var sub(Number a, Var b) { return binary(ScalarOp.SUB, a, b); }
    public static Var mul(Var a, Var b) { return binary(ScalarOp.MUL, a, b); }
    public static Var mul(Var a, Number b) { return binary(ScalarOp.MUL, a, b); }
    public static Var mul(Number a, Var b) { return binary(ScalarOp.MUL, a, b); }
    public static Var div(Var a, Var b) { return binary(ScalarOp.DIV, a, b); }
    public static Var div(Var a, Number b) { return binary(ScalarOp.DIV, a, b); }
    public static Var div(Number a, Var b) { return binary(ScalarOp.DIV, a, b); }
    public static Var mod(Var a, Var b) { return binary(ScalarOp.MOD, a, b); }
    public static Var mod(Var a, Number b) { return binary(ScalarOp.MOD, a, b); }
    public static Var mod(Number a, Var b) { return binary(ScalarOp.MOD, a, b); }
    public static Var pow(Var a, Var b) { return binary(ScalarOp.POW, a, b); }
    public static Var pow(Var a, Number b) { return binary(ScalarOp.POW, a, b); }
    public static Var pow(Number a, Var b) { return binary(ScalarOp.POW, a, b); }
    public static Var maximum(Var a, Var b) { return binary(ScalarOp.MAXIMUM, a, b); }
    public static Var maximum(Var a, Number b) { return binary(ScalarOp.MAXIMUM, a, b); }
    public static Var maximum(Number a, Var b) { return binary(ScalarOp.MAXIMUM, a, b); }
    public static Var minimum(Var a, Var b) { return binary(ScalarOp.MINIMUM, a, b); }
    public static Var minimum(Var a, Number b) { return binary(ScalarOp.MINIMUM, a, b); }
    public static Var minimum(Number a, Var b) { return binary(ScalarOp.MINIMUM, a, b); }
    public static Var gt(Var a, Var b) { return binary(ScalarOp.GT, a, b); }
    public static Var gt(Var a, Number b) { return binary(ScalarOp.GT, a, b); }
    public static Var gt(Number a, Var b) { return binary(ScalarOp.GT, a, b); }
    public static Var ge(Var a, Var b) { return binary(ScalarOp.GE, a, b); }
    public static Var ge(Var a, Number b) { return binary(ScalarOp.GE, a, b); }
    public static Var ge(Number a, Var b) { return binary(ScalarOp.GE, a, b); }
    public static Var lt(Var a, Var b) { return binary(ScalarOp.LT, a, b); }
    public static Var lt(Var a, Number b) { return binary(ScalarOp.LT, a, b); }
    public static Var lt(Number a, Var b) { return binary(ScalarOp.LT, a, b); }
    public static Var le(Var a, Var b) { return binary(ScalarOp.LE, a, b); }
    public static Var le(Var a, Number b) { return binary(ScalarOp.LE, a, b); }
    public static Var le(Number a, Var b) { return binary(ScalarOp.LE, a, b); }
    public static Var eq(Var a, Var b) { return binary(ScalarOp.EQ, a, b); }
    public static Var eq(Var a, Number b) { return binary(ScalarOp.EQ, a, b); }
    public static Var eq(Number a, Var b) { return binary(ScalarOp.EQ, a, b); }
    public static Var neq(Var a, Var b) { return binary(ScalarOp.NEQ, a, b); }
    public static Var neq(Var a, Number b) { return binary(ScalarOp.NEQ, a, b); }
    public static Var neq(Number a, Var b) { return binary(ScalarOp.NEQ, a, b); }
    /** Logical and (operands are true where non-zero); the result is BOOL. */
    public static Var and(Var a, Var b) { return binary(ScalarOp.AND, a, b); }
    public static Var or(Var a, Var b) { return binary(ScalarOp.OR, a, b); }

    /**
     * Applies a scalar op elementwise. Operands are Vars or Java numbers; a number becomes a
     * constant of the dtype NEP 50 gives it next to the Var operands.
     */
    public static Var elemwise(ScalarOp op, Object... operands) {
        Site site = Site.here();
        DType strong = null;
        for (Object o : operands) {
            if (o instanceof Var v) strong = strong == null ? v.dtype() : DType.promote(strong, v.dtype());
            else if (!(o instanceof Number)) throw new TccException(site + ": " + op.lowerName()
                    + " takes tensors (Var) or Java numbers, got " + (o == null ? "null" : o.getClass().getSimpleName()));
        }
        if (strong == null) throw new TccException(site + ": " + op.lowerName()
                + " of Java numbers only: compute it in Java, or make one operand a tensor with T.constant(...)");
        List<Var> in = new ArrayList<>();
        for (Object o : operands) in.add(o instanceof Var v ? v : weak((Number) o, strong, site));
        return Elemwise.of(op).applyAt(site, in).output();
    }

    private static Var binary(ScalarOp op, Object a, Object b) { return elemwise(op, a, b); }

    /** A Java number as a constant of the dtype it takes next to an operand of dtype {@code strong}. */
    static Var weak(Number n, DType strong, Site site) {
        boolean isFloat = n instanceof Double || n instanceof Float;
        DType d = DType.promoteWeak(strong, isFloat);
        return new Constant(NDArray.scalar(d, n.doubleValue()), site);
    }

    // ---- elementwise unary and others -----------------------------------------------------------
    public static Var neg(Var x) { return elemwise(ScalarOp.NEG, x); }
    public static Var abs(Var x) { return elemwise(ScalarOp.ABS, x); }
    public static Var sign(Var x) { return elemwise(ScalarOp.SIGN, x); }
    public static Var exp(Var x) { return elemwise(ScalarOp.EXP, x); }
    public static Var log(Var x) { return elemwise(ScalarOp.LOG, x); }
    public static Var log1p(Var x) { return elemwise(ScalarOp.LOG1P, x); }
    public static Var expm1(Var x) { return elemwise(ScalarOp.EXPM1, x); }
    public static Var sqrt(Var x) { return elemwise(ScalarOp.SQRT, x); }
    public static Var sqr(Var x) { return elemwise(ScalarOp.SQR, x); }
    public static Var sin(Var x) { return elemwise(ScalarOp.SIN, x); }
    public static Var cos(Var x) { return elemwise(ScalarOp.COS, x); }
    public static Var tanh(Var x) { return elemwise(ScalarOp.TANH, x); }
    public static Var sigmoid(Var x) { return elemwise(ScalarOp.SIGMOID, x); }
    public static Var softplus(Var x) { return elemwise(ScalarOp.SOFTPLUS, x); }
    public static Var relu(Var x) { return elemwise(ScalarOp.RELU, x); }
    public static Var floor(Var x) { return elemwise(ScalarOp.FLOOR, x); }
    public static Var ceil(Var x) { return elemwise(ScalarOp.CEIL, x); }
    public static Var round(Var x) { return elemwise(ScalarOp.ROUND, x); }
    public static Var not(Var x) { return elemwise(ScalarOp.NOT, x); }

    /** where(cond, a, b): a where cond is true (non-zero), else b. */
    public static Var where(Var cond, Object a, Object b) {
        Site site = Site.here();
        if (!(a instanceof Var) && !(b instanceof Var))
            throw new TccException(site + ": where needs a tensor for a or b; wrap one with T.constant(...)");
        DType strong = a instanceof Var va ? (b instanceof Var vb ? DType.promote(va.dtype(), vb.dtype()) : va.dtype()) : ((Var) b).dtype();
        Var av = a instanceof Var v ? v : weak((Number) a, strong, site);
        Var bv = b instanceof Var v ? v : weak((Number) b, strong, site);
        return Elemwise.of(ScalarOp.WHERE).applyAt(site, List.of(cond, av, bv)).output();
    }

    public static Var clip(Var x, Number lo, Number hi) { return elemwise(ScalarOp.CLIP, x, lo, hi); }
    public static Var clip(Var x, Var lo, Var hi) { return elemwise(ScalarOp.CLIP, x, lo, hi); }

    public static Var cast(Var x, DType to) {
        if (x.dtype() == to) return x;
        return Elemwise.cast(to).applyAt(Site.here(), List.of(x)).output();
    }

    /** Identity whose gradient is zero (Theano's consider_constant / zero_grad). */
    public static Var stopGradient(Var x) { return new StopGradient().applyAt(Site.here(), List.of(x)).output(); }

    // ---- reductions -----------------------------------------------------------------------------
    public static Var sum(Var x, int... axes) { return reduce(ReduceKind.SUM, x, axes, false); }
    public static Var sum(Var x, int[] axes, boolean keepdims) { return reduce(ReduceKind.SUM, x, axes, keepdims); }
    public static Var mean(Var x, int... axes) { return reduce(ReduceKind.MEAN, x, axes, false); }
    public static Var mean(Var x, int[] axes, boolean keepdims) { return reduce(ReduceKind.MEAN, x, axes, keepdims); }
    public static Var max(Var x, int... axes) { return reduce(ReduceKind.MAX, x, axes, false); }
    public static Var max(Var x, int[] axes, boolean keepdims) { return reduce(ReduceKind.MAX, x, axes, keepdims); }
    public static Var min(Var x, int... axes) { return reduce(ReduceKind.MIN, x, axes, false); }
    public static Var min(Var x, int[] axes, boolean keepdims) { return reduce(ReduceKind.MIN, x, axes, keepdims); }
    public static Var prod(Var x, int... axes) { return reduce(ReduceKind.PROD, x, axes, false); }
    public static Var prod(Var x, int[] axes, boolean keepdims) { return reduce(ReduceKind.PROD, x, axes, keepdims); }
    /** Index of the maximum in the flattened tensor, like numpy's argmax without an axis. */
    public static Var argmax(Var x) { return reduce(ReduceKind.ARGMAX, x, null, false); }
    public static Var argmax(Var x, int axis) { return reduce(ReduceKind.ARGMAX, x, new int[] {axis}, false); }
    public static Var argmax(Var x, int axis, boolean keepdims) { return reduce(ReduceKind.ARGMAX, x, new int[] {axis}, keepdims); }
    public static Var argmin(Var x) { return reduce(ReduceKind.ARGMIN, x, null, false); }
    public static Var argmin(Var x, int axis) { return reduce(ReduceKind.ARGMIN, x, new int[] {axis}, false); }
    public static Var argmin(Var x, int axis, boolean keepdims) { return reduce(ReduceKind.ARGMIN, x, new int[] {axis}, keepdims); }

    private static Var reduce(ReduceKind kind, Var x, int[] axes, boolean keepdims) {
        Site site = Site.here();
        return apply(site, () -> new Reduce(kind, Axes.normalizeAll(axes, x.ndim()), keepdims), x);
    }

    // ---- linear algebra -------------------------------------------------------------------------
    /** numpy's dot for vectors and matrices (vv, mv, vm, mm). */
    public static Var dot(Var a, Var b) { return new Dot().applyAt(Site.here(), List.of(a, b)).output(); }

    /** numpy's matmul: dot for rank ≤ 2, a batched product for stacks of matrices. */
    public static Var matmul(Var a, Var b) {
        Site site = Site.here();
        Op op = a.ndim() <= 2 && b.ndim() <= 2 ? new Dot() : new BatchedMatMul();
        return op.applyAt(site, List.of(a, b)).output();
    }

    /** Outer product of two vectors: {@code a[:, None] * b[None, :]}. */
    public static Var outer(Var a, Var b) {
        Site site = Site.here();
        if (a.ndim() != 1 || b.ndim() != 1) throw new TccException(site + ": outer takes two vectors, got "
                + a.describe() + " and " + b.describe() + "; flatten them first");
        Var col = new DimShuffle(List.of(0, DimShuffle.NEW_AXIS), 1).applyAt(site, List.of(a)).output();
        Var row = new DimShuffle(List.of(DimShuffle.NEW_AXIS, 0), 1).applyAt(site, List.of(b)).output();
        return Elemwise.of(ScalarOp.MUL).applyAt(site, List.of(col, row)).output();
    }

    // ---- shapes ---------------------------------------------------------------------------------
    /** Reverses the axes (numpy's {@code .T}); with axes, permutes them. */
    public static Var transpose(Var x, int... axes) {
        Site site = Site.here();
        List<Integer> perm = new ArrayList<>();
        if (axes.length == 0) for (int i = x.ndim() - 1; i >= 0; i--) perm.add(i);
        else {
            if (axes.length != x.ndim()) throw new TccException(site + ": transpose of " + x.describe()
                    + " needs " + x.ndim() + " axes, got " + axes.length);
            for (int a : axes) perm.add(Axes.normalize(a, x.ndim()));
        }
        return new DimShuffle(perm, x.ndim()).applyAt(site, List.of(x)).output();
    }

    /** Theano's dimshuffle: axis numbers, and {@code "x"} for a new broadcastable axis. */
    public static Var dimshuffle(Var x, Object... pattern) {
        Site site = Site.here();
        List<Integer> p = new ArrayList<>();
        for (Object o : pattern) {
            if (o instanceof Integer i) p.add(i);
            else if ("x".equals(o)) p.add(DimShuffle.NEW_AXIS);
            else throw new TccException(site + ": dimshuffle pattern entries are axis numbers or \"x\", got " + o);
        }
        return new DimShuffle(p, x.ndim()).applyAt(site, List.of(x)).output();
    }

    public static Var reshape(Var x, int... shape) {
        Site site = Site.here();
        return apply(site, () -> new Reshape(java.util.Arrays.stream(shape).boxed().toList()), x);
    }

    public static Var flatten(Var x) { return flatten(x, 1); }

    public static Var flatten(Var x, int ndim) {
        Site site = Site.here();
        return new Flatten(ndim).applyAt(site, List.of(x)).output();
    }

    public static Var concatenate(List<Var> xs, int axis) {
        Site site = Site.here();
        if (xs.isEmpty()) throw new TccException(site + ": concatenate needs at least one tensor");
        return apply(site, () -> new Concatenate(Axes.normalize(axis, xs.get(0).ndim())), xs.toArray(new Var[0]));
    }

    public static Var concatenate(List<Var> xs) { return concatenate(xs, 0); }

    // ---- softmax --------------------------------------------------------------------------------
    /** softmax along the last axis (rows of a matrix), computed stably. */
    public static Var softmax(Var x) { return softmax(x, -1); }

    public static Var softmax(Var x, int axis) {
        Site site = Site.here();
        return apply(site, () -> new Softmax(Axes.normalize(axis, x.ndim()), false), x);
    }

    public static Var logSoftmax(Var x) { return logSoftmax(x, -1); }

    public static Var logSoftmax(Var x, int axis) {
        Site site = Site.here();
        return apply(site, () -> new Softmax(Axes.normalize(axis, x.ndim()), true), x);
    }

    // ---- gradients (dev.tcc.grad; see docs/gradients.md) -----------------------------------------
    /** The gradient of the scalar {@code cost} with respect to {@code wrt}, with {@code wrt}'s dtype and shape. */
    public static Var grad(Var cost, Var wrt) {
        return dev.tcc.grad.Gradients.grad(cost, java.util.Collections.singletonList(wrt), dev.tcc.grad.GradOptions.defaults()).get(0);
    }

    /** The gradients of the scalar {@code cost} with respect to each variable, in the same order. */
    public static List<Var> grad(Var cost, Var wrt1, Var wrt2, Var... more) {
        List<Var> wrt = new ArrayList<>(java.util.Arrays.asList(wrt1, wrt2));
        wrt.addAll(java.util.Arrays.asList(more));
        return dev.tcc.grad.Gradients.grad(cost, wrt, dev.tcc.grad.GradOptions.defaults());
    }

    public static List<Var> grad(Var cost, List<Var> wrt) {
        return dev.tcc.grad.Gradients.grad(cost, wrt, dev.tcc.grad.GradOptions.defaults());
    }

    /** With options: what a disconnected {@code wrt} gives (error or zeros), variables held constant. */
    public static List<Var> grad(Var cost, List<Var> wrt, dev.tcc.grad.GradOptions options) {
        return dev.tcc.grad.Gradients.grad(cost, wrt, options);
    }

    /** d y[i...] / d x[j...] as a tensor of shape {@code y.shape + x.shape}; y's static shape must be known. */
    public static Var jacobian(Var y, Var x) {
        return dev.tcc.grad.Gradients.jacobian(y, x, dev.tcc.grad.GradOptions.defaults());
    }

    /** The Hessian of the scalar {@code cost} with respect to {@code x}, shape {@code x.shape + x.shape}; x's static shape must be known. */
    public static Var hessian(Var cost, Var x) {
        return dev.tcc.grad.Gradients.hessian(cost, x, dev.tcc.grad.GradOptions.defaults());
    }

    /** Builds an op whose construction may itself raise a type error, reporting it at {@code site}. */
    private static Var apply(Site site, java.util.function.Supplier<Op> op, Var... inputs) {
        Op o;
        try {
            o = op.get();
        } catch (dev.tcc.ir.TypeError e) {
            throw e.at(site, List.of(inputs));
        }
        return o.applyAt(site, List.of(inputs)).output();
    }
}
