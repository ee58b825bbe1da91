package dev.tcc.grad;

import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ops.ElementCount;
import dev.tcc.ops.Reduce;
import java.util.List;

/**
 * Gradients of reductions. The output gradient gets its reduced axes back as size-1 axes and is
 * broadcast over the input ({@code second(x, g)}).
 *
 * <ul>
 * <li>sum: {@code g}; mean: {@code g / n}, with n the run-time element count over the axes.
 * <li>max/min: ties split equally — each element equal to the result gets {@code g / k}, where k
 *     is how many elements of its group equal the result (numpy's argmax would pick the first;
 *     splitting keeps the gradient symmetric and is what FD gives for the average of the
 *     one-sided derivatives). With a NaN in the group the result is NaN and every element gets 0.
 * <li>prod: handles zeros exactly: with no zero in a group, element i gets {@code g·prod(others)},
 *     computed as {@code prod of the non-zero elements / x_i}; with exactly one zero, that element
 *     gets {@code g·prod(others)} and the rest 0; with two or more zeros, all get 0. Second
 *     derivatives through this rule are exact where a group has no zero.
 * <li>argmax/argmin: integer results, no gradient.
 * </ul>
 */
final class ReduceGrads {
    private ReduceGrads() {}

    static void registerAll() {
        GradRules.register(Reduce.class, ReduceGrads::grad);
    }

    static Var[] grad(Reduce op, Node node, List<Var> gOut, boolean[] needed) {
        Var x = node.input(0);
        Var z = node.output();
        List<Integer> axes = op.axes();
        Var g = GradOps.keepDims(gOut.get(0), x.ndim(), axes, op.keepdims());
        Var gx;
        switch (op.kind()) {
            case SUM:
                gx = GradOps.broadcastLike(x, g);
                break;
            case MEAN: {
                Var n = new ElementCount(axes, g.dtype()).applyAt(Site.here(), List.of(x)).output();
                gx = GradOps.broadcastLike(x, T.div(g, n));
                break;
            }
            case MAX:
            case MIN: {
                Var zk = GradOps.keepDims(z, x.ndim(), axes, op.keepdims());
                Var hit = T.eq(x, zk);
                Var count = GradOps.sum(T.cast(hit, g.dtype()), axes, true);
                gx = T.where(hit, T.div(g, count), 0);
                break;
            }
            case PROD: {
                Var isZero = T.eq(x, 0);
                Var nonZero = T.where(isZero, 1, x);
                Var prodNonZero = T.prod(nonZero, axes.stream().mapToInt(Integer::intValue).toArray(), true);
                Var zeros = GradOps.sum(T.cast(isZero, g.dtype()), axes, true);
                Var noZero = T.div(prodNonZero, nonZero);
                Var oneZero = T.where(T.and(T.eq(zeros, 1), isZero), prodNonZero, 0);
                gx = T.mul(g, T.where(T.eq(zeros, 0), noZero, oneZero));
                break;
            }
            default:
                return new Var[] {null};              // argmax / argmin
        }
        return new Var[] {gx};
    }
}
