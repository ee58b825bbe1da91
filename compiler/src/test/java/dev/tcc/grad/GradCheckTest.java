package dev.tcc.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.FusedElemwise.Instr;
import dev.tcc.ops.ScalarOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GradCheck itself: it catches wrong rules, and applies Theano's both-tolerances rule. */
class GradCheckTest {
    /** x^3 with a gradient rule that is off by {@code error} (absolute) in every element. */
    record OffCube(double error) implements Op {
        @Override public String name() { return "off_cube"; }
        @Override public List<TensorType> outputTypes(List<TensorType> in) { return List.of(in.get(0)); }
        @Override public NDArray[] perform(Node node, NDArray[] in) {
            NDArray out = in[0].copy();
            for (int i = 0; i < out.size(); i++) out.setFlat(i, Math.pow(in[0].getFlat(i), 3));
            return new NDArray[] {out};
        }
    }

    static {
        GradRules.register(OffCube.class, (op, node, g, needed) ->
                new Var[] {T.mul(g.get(0), T.sqr(node.input(0)).mul(3).add(op.error()))});
    }

    static Var offCube(Var x, double error) { return new OffCube(error).applyAt(Site.here(), List.of(x)).output(); }

    @Test
    void catchesAWrongGradient() {
        NDArray x = NDArray.of(new double[] {0.5, -1, 2});
        GradCheck.Report ok = GradCheck.verify(in -> offCube(in.get(0), 0), List.of(x), 7);
        assertEquals(6, ok.checkedCoordinates());                      // 3 coordinates x 2 projections
        assertTrue(ok.maxAbsError() < 1e-6, ok.toString());
        GradCheck.GradCheckError e = assertThrows(GradCheck.GradCheckError.class,
                () -> GradCheck.verify(in -> offCube(in.get(0), 0.01), List.of(x), 7));
        String m = e.getMessage();
        assertTrue(m.startsWith("GradCheck failed (seed 7, test 0)"), m);
        assertTrue(m.contains("with respect to input 0 'in0' float64(?)") && m.contains("at index [0]"), m);
    }

    @Test
    void failsOnlyWhenBothAbsoluteAndRelativeErrorsExceed() {
        // gradients of size ~1000: an absolute error of 0.01 is a relative error of 5e-6 (passes)
        NDArray big = NDArray.of(new double[] {20, -19, 18.5});
        GradCheck.verify(in -> offCube(in.get(0), 0.01), List.of(big), 3, GradCheck.Options.defaults().nTests(1));
        // tiny gradients: a relative error of ~0.1 but absolute 5e-6 (passes)
        NDArray tiny = NDArray.of(new double[] {0.005, -0.004});
        GradCheck.verify(in -> offCube(in.get(0), 5e-6), List.of(tiny), 3, GradCheck.Options.defaults().nTests(1));
        // explicit tolerances
        assertThrows(GradCheck.GradCheckError.class, () -> GradCheck.verify(in -> offCube(in.get(0), 5e-6), List.of(tiny), 3,
                GradCheck.Options.defaults().tolerance(1e-7, 1e-7)));
    }

    @Test
    void float32UsesTheLooserTolerance() {
        NDArray x = NDArray.of(new float[] {0.5f, -1, 2});
        GradCheck.Report r = GradCheck.verify(in -> offCube(in.get(0), 0.005), List.of(x), 11);
        assertEquals(1e-2, r.absTol());
        assertThrows(GradCheck.GradCheckError.class, () -> GradCheck.verify(in -> offCube(in.get(0), 0.005), List.of(x.astype(DType.FLOAT64)), 11));
    }

    @Test
    void fixedInputsAndSpotChecks() {
        NDArray w = NDArray.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        NDArray labels = NDArray.of(new long[] {1, 0, 1});
        GradCheck.Report r = GradCheck.verify(in -> T.dot(in.get(0), in.get(0).T()).sum().mul(T.cast(in.get(1), DType.FLOAT64).sum()),
                List.of(w, labels), 5, GradCheck.Options.defaults().fixed(1).maxCoordinates(2).nTests(3));
        assertEquals(6, r.checkedCoordinates());
        TccException e = assertThrows(TccException.class, () -> GradCheck.verify(in -> T.cast(in.get(1), DType.FLOAT64).sum().mul(in.get(0).sum()),
                List.of(w, labels), 5));
        assertTrue(e.getMessage().contains("is not float; mark it fixed (Options.fixed(1))"), e.getMessage());
    }

    @Test
    void fusedElementwiseKernelsAreDifferentiated() {
        // out0 = exp(a * b) + a, out1 = a * b, as one fused node
        Var a = T.matrix("a", DType.FLOAT64);
        Var b = T.vector("b", DType.FLOAT64);
        FusedElemwise op = new FusedElemwise(2, List.of(
                new Instr(ScalarOp.MUL, null, DType.FLOAT64, List.of(0, 1)),
                new Instr(ScalarOp.EXP, null, DType.FLOAT64, List.of(2)),
                new Instr(ScalarOp.ADD, null, DType.FLOAT64, List.of(3, 0)),
                new Instr(ScalarOp.SIN, null, DType.FLOAT64, List.of(1))), List.of(2, 0, 3));
        List<Var> outs = op.applyAt(Site.here(), List.of(a, b)).outputs();
        Var out = outs.get(0).add(outs.get(1).mul(outs.get(1))).add(outs.get(2));
        GradCheck.verify(List.of(a, b), out, List.of(GradTesting.uniform(new java.util.SplittableRandom(1), DType.FLOAT64, -1, 1, 3, 4),
                GradTesting.uniform(new java.util.SplittableRandom(2), DType.FLOAT64, -1, 1, 4)), 1, GradCheck.Options.defaults());
    }
}
