package dev.tcc.grad;

import dev.tcc.NDArray;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import dev.tcc.ops.Concatenate;
import dev.tcc.ops.DimShuffle;
import java.util.ArrayList;
import java.util.List;

/**
 * Symbolic differentiation: {@code T.grad}, {@code T.jacobian} and {@code T.hessian} delegate here.
 * The results are ordinary graphs (they can be differentiated again, optimized and compiled).
 * See docs/gradients.md.
 */
public final class Gradients {
    private Gradients() {}

    /**
     * The gradients of the scalar {@code cost} with respect to each of {@code wrt}, in order; each
     * has the dtype and shape of its {@code wrt}. Contributions from several consumers are summed.
     */
    public static List<Var> grad(Var cost, List<Var> wrt, GradOptions options) {
        Site call = Site.here();
        if (options == null) options = GradOptions.defaults();
        checkCost(call, "T.grad", cost);
        checkWrt(call, "T.grad", wrt);
        Var seed = Site.with(cost.site(), () -> new Constant(NDArray.scalar(cost.dtype(), 1), Site.here()));
        Backprop.Result r = Backprop.run(List.of(cost), List.of(seed), wrt, options.considerConstant());
        return finish(call, "T.grad", cost, wrt, r, options);
    }

    /**
     * The Jacobian of {@code y} (any shape) with respect to {@code x}: an array of shape
     * {@code y.shape + x.shape} whose entry {@code [i..., j...]} is {@code dy[i...]/dx[j...]}.
     *
     * <p>Construction and cost: one reverse pass per element of {@code y}, each seeded with a one-hot
     * constant of {@code y}'s shape (a vector-Jacobian product); the {@code n = y.size} gradients are
     * stacked with dimshuffle + concatenate. The graph therefore holds n copies of the backward graph
     * and evaluating it costs about n backward passes: fine for small {@code y}, not for large ones.
     * {@code y}'s static shape must be fully known (a shared variable, or an input made with
     * {@code T.tensor(name, dtype, new int[] {...})}), since n must be known when the graph is built.
     * A scalar {@code y} gives {@code grad(y, x)}.
     */
    public static Var jacobian(Var y, Var x, GradOptions options) {
        Site call = Site.here();
        if (options == null) options = GradOptions.defaults();
        return jacobianAt(call, "T.jacobian", y, x, options);
    }

    /**
     * The Hessian of the scalar {@code cost} with respect to {@code x}: {@code jacobian(grad(cost, x), x)},
     * of shape {@code x.shape + x.shape}. Costs one reverse pass for the gradient plus one per element
     * of {@code x} (see {@link #jacobian}); {@code x}'s static shape must be fully known. Where the
     * gradient does not depend on {@code x} (a cost linear in x) the Hessian is zeros, not an error.
     */
    public static Var hessian(Var cost, Var x, GradOptions options) {
        Site call = Site.here();
        if (options == null) options = GradOptions.defaults();
        checkCost(call, "T.hessian", cost);
        checkWrt(call, "T.hessian", List.of(x));
        requireKnownShape(call, "T.hessian", x, "x");
        Var g = grad(cost, List.of(x), options).get(0);
        return jacobianAt(call, "T.hessian", g, x, options.disconnected(GradOptions.Disconnected.ZERO));
    }

    private static Var jacobianAt(Site call, String what, Var y, Var x, GradOptions options) {
        if (!y.dtype().isFloat()) throw new TccException(call + ": " + what + ": y must have a float dtype, but "
                + y.describe() + " is " + y.dtype() + "; cast it with T.cast(y, DType.FLOAT32) if that is meant");
        checkWrt(call, what, List.of(x));
        if (y.ndim() == 0) {
            Var seed = Site.with(y.site(), () -> new Constant(NDArray.scalar(y.dtype(), 1), Site.here()));
            Backprop.Result r = Backprop.run(List.of(y), List.of(seed), List.of(x), options.considerConstant());
            return finish(call, what, y, List.of(x), r, options).get(0);
        }
        requireKnownShape(call, what, y, "y");
        int[] ys = y.type().shape();
        int n = 1;
        for (int s : ys) n *= s;
        if (n == 0) throw new TccException(call + ": " + what + " of " + y.describe() + ", which has no elements");
        List<Var> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            NDArray e = NDArray.zeros(y.dtype(), ys);
            e.setFlat(i, 1);
            Var seed = Site.with(y.site(), () -> new Constant(e, Site.here()));
            Backprop.Result r = Backprop.run(List.of(y), List.of(seed), List.of(x), options.considerConstant());
            rows.add(finish(call, what, y, List.of(x), r, options).get(0));
        }
        // Stack: group the gradients along y's axes, last axis first.
        return Site.with(y.site(), () -> {
            List<Var> level = rows;
            for (int ax = ys.length - 1; ax >= 0; ax--) {
                List<Var> next = new ArrayList<>();
                for (int start = 0; start < level.size(); start += ys[ax]) next.add(stack(level.subList(start, start + ys[ax])));
                level = next;
            }
            return level.get(0);
        });
    }

    /** Stacks equally shaped tensors along a new leading axis. */
    private static Var stack(List<Var> parts) {
        List<Var> expanded = new ArrayList<>(parts.size());
        for (Var p : parts) {
            List<Integer> pattern = new ArrayList<>();
            pattern.add(DimShuffle.NEW_AXIS);
            for (int ax = 0; ax < p.ndim(); ax++) pattern.add(ax);
            expanded.add(GradOps.dimshuffle(p, pattern));
        }
        if (expanded.size() == 1) return expanded.get(0);
        return new Concatenate(0).applyAt(Site.here(), expanded).output();
    }

    private static List<Var> finish(Site call, String what, Var cost, List<Var> wrt, Backprop.Result r, GradOptions options) {
        List<Var> out = new ArrayList<>(wrt.size());
        for (int i = 0; i < wrt.size(); i++) {
            Var w = wrt.get(i);
            if (!r.connected()[i] && options.disconnected() == GradOptions.Disconnected.RAISE) {
                throw new TccException(call + ": " + what + ": " + w.describe() + " is not part of the computation of "
                        + cost.describe() + (options.considerConstant().isEmpty() ? "" : " (looking through the variables held constant)")
                        + ", so the gradient with respect to it is undefined (disconnected); check that the cost uses it, or pass "
                        + "GradOptions.zeroIfDisconnected() to get zeros instead");
            }
            Var g = r.grads()[i];
            out.add(Site.with(w.site(), () -> g == null ? GradOps.zerosLike(w, w.dtype()) : GradOps.fitExactly(g, w)));
        }
        return out;
    }

    private static void checkCost(Site call, String what, Var cost) {
        if (cost == null) throw new TccException(call + ": " + what + ": the cost is null");
        if (cost.ndim() != 0) throw new TccException(call + ": " + what + ": the cost must be a scalar (0-d), but "
                + cost.describe() + " has rank " + cost.ndim() + "; reduce it first (cost.sum() or cost.mean()), "
                + "or use T.jacobian for the derivatives of every element");
        if (!cost.dtype().isFloat()) throw new TccException(call + ": " + what + ": the cost must have a float dtype, but "
                + cost.describe() + " is " + cost.dtype() + "; an integer or bool cost has no gradient (cast it to a float dtype if that is meant)");
    }

    private static void checkWrt(Site call, String what, List<Var> wrt) {
        if (wrt == null || wrt.isEmpty()) throw new TccException(call + ": " + what + ": no variables to differentiate with respect to");
        for (Var w : wrt) {
            if (w == null) throw new TccException(call + ": " + what + ": a variable to differentiate with respect to is null");
            if (!w.dtype().isFloat()) throw new TccException(call + ": " + what + ": cannot differentiate with respect to "
                    + w.describe() + ": it has dtype " + w.dtype() + ", and only float (float32/float64) variables have gradients; "
                    + "make it a float variable (e.g. T.vector(name, DType.FLOAT32)) if it should be differentiable");
        }
    }

    private static void requireKnownShape(Site call, String what, Var v, String role) {
        TensorType t = v.type();
        if (!t.fullyKnown()) throw new TccException(call + ": " + what + " needs the static shape of " + role + " to be known, but "
                + v.describe() + " has unknown sizes (it builds one gradient per element); use a shared variable or an input "
                + "with static sizes, e.g. T.tensor(\"x\", DType.FLOAT64, new int[] {3})");
    }
}
