package dev.tcc.grad;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import dev.tcc.ops.DimShuffle;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.Reshape;
import dev.tcc.ops.ReshapeLike;
import dev.tcc.ops.ScalarOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Small graph-building helpers shared by the gradient rules. They build ordinary nodes at the
 * current creation site ({@link Site#here()}, which the engine sets to the forward node's site).
 */
public final class GradOps {
    private GradOps() {}

    /** Zeros with {@code like}'s (run-time) shape and dtype {@code dtype}: Theano's {@code zeros_like}, {@code second(like, 0)}. */
    public static Var zerosLike(Var like, DType dtype) {
        Var zero = new Constant(NDArray.scalar(dtype, 0), Site.here());
        return Elemwise.of(ScalarOp.SECOND).applyAt(Site.here(), List.of(like, zero)).output();
    }

    /** {@code value} broadcast to the shape of {@code like} ({@code second(like, value)}); value's size-1 axes stretch. */
    public static Var broadcastLike(Var like, Var value) {
        return Elemwise.of(ScalarOp.SECOND).applyAt(Site.here(), List.of(like, value)).output();
    }

    /** Theano's dimshuffle with a pattern of input axes and {@link DimShuffle#NEW_AXIS}. */
    public static Var dimshuffle(Var x, List<Integer> pattern) {
        boolean identity = pattern.size() == x.ndim();
        for (int i = 0; identity && i < pattern.size(); i++) identity = pattern.get(i) == i;
        if (identity) return x;
        return new DimShuffle(pattern, x.ndim()).applyAt(Site.here(), List.of(x)).output();
    }

    /**
     * A reduced gradient with the reduced axes put back as size-1 axes, so it broadcasts against
     * the reduction's input: {@code g} itself when the reduction kept its dims.
     */
    public static Var keepDims(Var g, int inputNdim, List<Integer> axes, boolean keepdims) {
        if (keepdims) return g;
        List<Integer> pattern = new ArrayList<>();
        for (int ax = 0, j = 0; ax < inputNdim; ax++) pattern.add(axes.contains(ax) ? DimShuffle.NEW_AXIS : j++);
        return dimshuffle(g, pattern);
    }

    /** Sum over {@code axes} (keeping them as size 1 when {@code keepdims}); {@code g} when there are none. */
    public static Var sum(Var g, List<Integer> axes, boolean keepdims) {
        if (axes.isEmpty()) return g;
        return T.sum(g, axes.stream().mapToInt(Integer::intValue).toArray(), keepdims);
    }

    /**
     * The gradient of an operand that was broadcast: sums {@code g} (the gradient of the broadcast
     * result) over the leading axes the operand lacks and over the axes where the operand's static
     * size is 1 but {@code g}'s is not, then drops the leading axes (Theano's Elemwise grad).
     */
    public static Var sumToOperand(Var g, Var operand) {
        int lead = g.ndim() - operand.ndim();
        if (lead < 0) throw new IllegalStateException("gradient " + g.type() + " has fewer axes than operand " + operand.describe());
        List<Integer> stretched = new ArrayList<>();
        for (int ax = 0; ax < operand.ndim(); ax++)
            if (operand.type().size(ax) == 1 && g.type().size(lead + ax) != 1) stretched.add(lead + ax);
        if (lead == 0) return sum(g, stretched, true);
        List<Integer> leading = new ArrayList<>();
        for (int ax = 0; ax < lead; ax++) leading.add(ax);
        if (stretched.isEmpty()) return sum(g, leading, false);
        List<Integer> all = new ArrayList<>(leading);
        all.addAll(stretched);
        Var s = sum(g, all, true);
        List<Integer> drop = new ArrayList<>();
        for (int ax = lead; ax < g.ndim(); ax++) drop.add(ax);
        return dimshuffle(s, drop);
    }

    /**
     * Makes a gradient fit the variable it is the gradient of: the same rank (else an error, which
     * means a rule is wrong), the variable's float dtype (cast), and size 1 statically wherever the
     * variable's static size is 1 (a sum over that axis, which is size 1 at run time too).
     */
    static Var fitTo(Var g, Var target) {
        if (g.ndim() != target.ndim()) throw new TccException("internal error in T.grad: the gradient of "
                + target.describe() + " has type " + g.type() + " (rank " + g.ndim() + ", expected " + target.ndim() + ")");
        if (g.dtype() != target.dtype() && target.dtype().isFloat()) g = T.cast(g, target.dtype());
        List<Integer> ones = new ArrayList<>();
        for (int ax = 0; ax < target.ndim(); ax++) if (target.type().size(ax) == 1 && g.type().size(ax) != 1) ones.add(ax);
        return sum(g, ones, true);
    }

    /** {@link #fitTo}, plus the variable's exact static shape when it is fully known (a reshape if g's is less precise). */
    static Var fitExactly(Var g, Var target) {
        g = fitTo(g, target);
        TensorType t = target.type();
        if (t.fullyKnown() && !Arrays.equals(g.type().shape(), t.shape()))
            g = new Reshape(Arrays.stream(t.shape()).boxed().toList()).applyAt(Site.here(), List.of(g)).output();
        return g;
    }

    /**
     * {@code g} reshaped to the run-time shape of {@code like}: a {@link Reshape} to {@code like}'s
     * static shape when at most one size is unknown, else a {@link ReshapeLike}.
     */
    public static Var reshapeLike(Var g, Var like) {
        int[] s = like.type().shape();
        if (Arrays.equals(g.type().shape(), s) && countUnknown(s) <= 1) return g;     // same sizes, same count: same shape
        if (countUnknown(s) <= 1)
            return new Reshape(Arrays.stream(s).boxed().toList()).applyAt(Site.here(), List.of(g)).output();
        return new ReshapeLike().applyAt(Site.here(), List.of(g, like)).output();
    }

    private static int countUnknown(int[] s) {
        int n = 0;
        for (int v : s) if (v == TensorType.UNKNOWN) n++;
        return n;
    }
}
