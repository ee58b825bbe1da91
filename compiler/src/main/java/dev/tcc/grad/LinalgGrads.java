package dev.tcc.grad;

import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ops.BatchedMatMul;
import dev.tcc.ops.DimShuffle;
import dev.tcc.ops.Dot;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradients of {@code dot} (numpy's vv, mv, vm, mm) and batched {@code matmul}. {@code outer} is
 * built from dimshuffle and mul, so it needs no rule of its own.
 *
 * <pre>
 *   z = a·b (vv):  ga = g·b           gb = g·a
 *   z = A·b (mv):  gA = outer(g, b)   gb = Aᵀ·g
 *   z = a·B (vm):  ga = B·g           gB = outer(a, g)
 *   z = A·B (mm):  gA = g·Bᵀ          gB = Aᵀ·g
 *   batched:       gA = g @ swap(B), gB = swap(A) @ g, each summed over the batch axes its operand was broadcast along
 * </pre>
 */
final class LinalgGrads {
    private LinalgGrads() {}

    static void registerAll() {
        GradRules.register(Dot.class, LinalgGrads::dot);
        GradRules.register(BatchedMatMul.class, LinalgGrads::batched);
    }

    static Var[] dot(Dot op, Node node, List<Var> gOut, boolean[] needed) {
        Var g = gOut.get(0);
        Var a = node.input(0), b = node.input(1);
        Var ga = null, gb = null;
        if (a.ndim() == 1 && b.ndim() == 1) {
            if (needed[0]) ga = T.mul(g, b);
            if (needed[1]) gb = T.mul(g, a);
        } else if (a.ndim() == 2 && b.ndim() == 1) {
            if (needed[0]) ga = T.outer(g, b);
            if (needed[1]) gb = T.dot(a.T(), g);
        } else if (a.ndim() == 1) {
            if (needed[0]) ga = T.dot(b, g);
            if (needed[1]) gb = T.outer(a, g);
        } else {
            if (needed[0]) ga = T.dot(g, b.T());
            if (needed[1]) gb = T.dot(a.T(), g);
        }
        return new Var[] {ga, gb};
    }

    static Var[] batched(BatchedMatMul op, Node node, List<Var> gOut, boolean[] needed) {
        Var g = gOut.get(0);
        Var a = node.input(0), b = node.input(1);
        Var ga = null, gb = null;
        if (needed[0]) ga = GradOps.sumToOperand(matmul(g, swapLast(b)), a);
        if (needed[1]) gb = GradOps.sumToOperand(matmul(swapLast(a), g), b);
        return new Var[] {ga, gb};
    }

    private static Var matmul(Var a, Var b) { return new BatchedMatMul().applyAt(Site.here(), List.of(a, b)).output(); }

    /** Swaps the last two axes. */
    private static Var swapLast(Var x) {
        int nd = x.ndim();
        List<Integer> p = new ArrayList<>();
        for (int ax = 0; ax < nd - 2; ax++) p.add(ax);
        p.add(nd - 1);
        p.add(nd - 2);
        return new DimShuffle(p, nd).applyAt(Site.here(), List.of(x)).output();
    }
}
