package dev.tcc.grad;

import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ops.Softmax;
import java.util.List;

/**
 * Gradients of softmax and log-softmax along their axis, with z the op's result:
 * softmax {@code gx = z·(g − sum(g·z))}; log-softmax {@code gx = g − exp(z)·sum(g)}.
 */
final class SoftmaxGrads {
    private SoftmaxGrads() {}

    static void registerAll() {
        GradRules.register(Softmax.class, SoftmaxGrads::grad);
    }

    static Var[] grad(Softmax op, Node node, List<Var> gOut, boolean[] needed) {
        Var g = gOut.get(0);
        Var z = node.output();
        int[] axis = {op.axis()};
        Var gx = op.log()
                ? T.sub(g, T.mul(T.exp(z), T.sum(g, axis, true)))
                : T.mul(z, T.sub(g, T.sum(T.mul(g, z), axis, true)));
        return new Var[] {gx};
    }
}
