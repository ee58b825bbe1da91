package dev.tcc.grad;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ops.ConcatSlice;
import dev.tcc.ops.Concatenate;
import dev.tcc.ops.DimShuffle;
import dev.tcc.ops.Flatten;
import dev.tcc.ops.Reshape;
import dev.tcc.ops.ReshapeLike;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradients of the shape ops: the inverse rearrangement of the output gradient.
 *
 * <ul>
 * <li>dimshuffle: the inverse dimshuffle (new axes dropped, dropped size-1 axes put back).
 * <li>reshape, flatten: the gradient reshaped to the input's shape: a {@code Reshape} to its
 *     static shape when at most one size is unknown, else a {@link ReshapeLike} of the input.
 * <li>concatenate: each operand gets its slice of the gradient ({@link ConcatSlice}); a slice's
 *     gradient is the gradient put back in place between zeros (a concatenate), so concatenate can
 *     be differentiated twice.
 * </ul>
 */
final class ShapeGrads {
    private ShapeGrads() {}

    static void registerAll() {
        GradRules.register(DimShuffle.class, ShapeGrads::dimshuffle);
        GradRules.register(Reshape.class, (op, node, g, needed) -> new Var[] {GradOps.reshapeLike(g.get(0), node.input(0))});
        GradRules.register(Flatten.class, (op, node, g, needed) -> new Var[] {GradOps.reshapeLike(g.get(0), node.input(0))});
        GradRules.register(ReshapeLike.class, (op, node, g, needed) ->          // the second input gives only a shape
                new Var[] {needed[0] ? GradOps.reshapeLike(g.get(0), node.input(0)) : null, null});
        GradRules.register(Concatenate.class, ShapeGrads::concatenate);
        GradRules.register(ConcatSlice.class, ShapeGrads::concatSlice);
    }

    static Var[] dimshuffle(DimShuffle op, Node node, List<Var> gOut, boolean[] needed) {
        Var g = gOut.get(0);
        List<Integer> pattern = op.pattern();
        // new axes have size 1; make that static in g so they can be dropped
        List<Integer> newAxes = new ArrayList<>();
        for (int i = 0; i < pattern.size(); i++)
            if (pattern.get(i) == DimShuffle.NEW_AXIS && g.type().size(i) != 1) newAxes.add(i);
        g = GradOps.sum(g, newAxes, true);
        List<Integer> inverse = new ArrayList<>();
        for (int ax = 0; ax < op.inputNdim(); ax++) {
            int at = pattern.indexOf(ax);
            inverse.add(at >= 0 ? at : DimShuffle.NEW_AXIS);
        }
        return new Var[] {GradOps.dimshuffle(g, inverse)};
    }

    static Var[] concatenate(Concatenate op, Node node, List<Var> gOut, boolean[] needed) {
        Var g = gOut.get(0);
        List<Var> sliceInputs = new ArrayList<>();
        sliceInputs.add(g);
        sliceInputs.addAll(node.inputs());
        Var[] r = new Var[node.inputs().size()];
        for (int k = 0; k < r.length; k++)
            if (needed[k]) r[k] = new ConcatSlice(op.axis(), k).applyAt(Site.here(), sliceInputs).output();
        return r;
    }

    static Var[] concatSlice(ConcatSlice op, Node node, List<Var> gOut, boolean[] needed) {
        Var[] r = new Var[node.inputs().size()];                 // the parts only give sizes: zero
        if (!needed[0]) return r;
        Var g = gOut.get(0);
        List<Var> pieces = new ArrayList<>();
        for (int k = 1; k < node.inputs().size(); k++)
            pieces.add(k - 1 == op.index() ? g : GradOps.zerosLike(node.input(k), g.dtype()));
        r[0] = pieces.size() == 1 ? pieces.get(0) : new Concatenate(op.axis()).applyAt(Site.here(), pieces).output();
        return r;
    }
}
