package dev.tcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tcc.grad.GradOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradients compiled into functions (DESIGN.md §3's example), through Tcc.function. */
class GradFunctionTest {
    @Test
    void lectureExample() {
        Var x = T.scalar("x");
        Var g = T.grad(T.log(x.sqr().mul(3).add(x.mul(5))).neg(), x);   // y = -log(3x^2 + 5x)
        Function f = Tcc.function(List.of(x), g);
        Outputs out = f.call(1);
        assertEquals(DType.FLOAT32, out.get(0).dtype());
        assertEquals(-1.375, out.scalar());
        assertEquals(-1.375f, (float) Tcc.function("g").inputs(x).outputs(g).backend(Backend.INTERP).build().call(1.0).scalar());
    }

    @Test
    void gradientDescentOnASharedVariable() {
        SharedVar w = Tcc.shared(NDArray.of(new float[] {3, -2}), "w");
        Var target = T.vector("target");
        Var cost = w.sub(target).sqr().sum();
        Var gw = T.grad(cost, w);
        Function step = Tcc.function("step").inputs(target).outputs(cost).update(w, w.sub(gw.mul(0.25))).build();
        float[] t = {1, 1};
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 5; i++) {
            double c = step.call(t).scalar();
            assertEquals(true, c < previous || c == 0);
            previous = c;
        }
        // (w - t) halves every step: 5 steps from (2, -3)
        float[] v = w.getValue().toFloatArray();
        assertEquals(1 + 2 / 32.0, v[0], 1e-6);
        assertEquals(1 - 3 / 32.0, v[1], 1e-6);
    }

    @Test
    void zeroGradientOfAnUnusedInputCompiles() {
        Var x = T.vector("x");
        Var unused = T.vector("unused");
        List<Var> g = T.grad(x.sum(), List.of(x, unused), GradOptions.zeroIfDisconnected());
        Outputs out = Tcc.function(List.of(x, unused), g).call(new float[] {1, 2}, new float[] {3, 4, 5});
        assertEquals(3, out.get(1).size());
        assertEquals(0.0, out.get(1).getFlat(2));
    }
}
