package dev.tcc.grad;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ops.ElementCount;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.StopGradient;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradients of the remaining ops: {@code stopGradient} (zero: the variable counts as a constant,
 * its inputs stay connected), {@code ElementCount} (depends only on shapes: zero), and fused
 * elementwise kernels (differentiated by rebuilding their scalar program as elementwise nodes;
 * T.grad normally runs before fusion, so this only matters for graphs built from optimized ones).
 */
final class MiscGrads {
    private MiscGrads() {}

    static void registerAll() {
        GradRules.register(StopGradient.class, (op, node, g, needed) -> new Var[] {null});
        GradRules.register(ElementCount.class, (op, node, g, needed) -> new Var[] {null});
        GradRules.register(FusedElemwise.class, MiscGrads::fused);
    }

    static Var[] fused(FusedElemwise op, Node node, List<Var> gOut, boolean[] needed) {
        int nIn = op.nInputs();
        List<Var> slots = new ArrayList<>(node.inputs());
        for (FusedElemwise.Instr ins : op.program()) {
            List<Var> args = new ArrayList<>();
            for (int a : ins.args()) args.add(slots.get(a));
            Elemwise e = ins.castTo() != null ? Elemwise.cast(ins.castTo()) : Elemwise.of(ins.op());
            slots.add(e.applyAt(Site.here(), args).output());
        }
        List<Var> outs = new ArrayList<>();
        for (int k = 0; k < op.outputs().size(); k++) {
            Var v = slots.get(nIn + op.outputs().get(k));
            // an output that reads only some inputs is still broadcast to the node's full shape
            if (!v.type().equals(node.outputs().get(k).type()))
                for (Var in : node.inputs()) v = GradOps.broadcastLike(in, v);
            outs.add(v);
        }
        List<Var> wrt = new ArrayList<>();
        for (int i = 0; i < nIn; i++) if (needed[i]) wrt.add(node.input(i));
        Backprop.Result r = Backprop.run(outs, gOut, wrt, List.of());
        Var[] result = new Var[nIn];
        for (int i = 0, k = 0; i < nIn; i++) if (needed[i]) result[i] = r.grads()[k++];
        return result;
    }
}
