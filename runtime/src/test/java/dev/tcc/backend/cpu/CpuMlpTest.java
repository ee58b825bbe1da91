package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.Outputs;
import dev.tcc.Rng;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import dev.tcc.testing.Differential;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed MLP (DESIGN.md §5) on the CPU backend. Data as in the seed: Rng(1234) draws x
 * (400×784, randn) and y (400, 0/1), then w1 (784×300, randn) and w2 (300, randn); b1 = 0, b2 = 0.
 */
class CpuMlpTest {
    static final int N = 400, FEATS = 784, HIDDEN = 300;

    @BeforeAll
    static void needsCompiler() {
        assumeTrue(CpuBackend.available(), "no working C compiler: " + CpuBackend.unavailableReason());
    }

    /** The network's shared variables and its train function. */
    record Mlp(SharedVar w1, SharedVar b1, SharedVar w2, SharedVar b2, Function train, NDArray x, NDArray y) {}

    /**
     * @param literal the seed's cross-entropy {@code -y·log(p1) - (1-y)·log(1-p1)} (the optimizer must
     *                stabilize it: the output unit saturates and sigmoid rounds to exactly 0 or 1);
     *                else its stable form {@code y·softplus(-z) + (1-y)·softplus(z)}, which the
     *                unoptimized interpreter can run too
     */
    static Mlp mlp(Backend backend, boolean literal) {
        Rng rng = new Rng(1234);
        NDArray xv = rng.randn(N, FEATS);
        NDArray yv = rng.randint(0, 2, N).astype(DType.FLOAT32);
        SharedVar w1 = Tcc.shared(rng.randn(FEATS, HIDDEN), "w1");
        SharedVar b1 = Tcc.shared(NDArray.zeros(DType.FLOAT32, HIDDEN), "b1");
        SharedVar w2 = Tcc.shared(rng.randn(HIDDEN), "w2");
        SharedVar b2 = Tcc.shared(0.0, "b2");
        Var x = T.matrix("x"), y = T.vector("y");
        Var z = T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2);
        Var p1 = T.sigmoid(z);
        Var prediction = p1.gt(0.5);
        Var xent = literal
                ? y.neg().mul(T.log(p1)).sub(T.sub(1, y).mul(T.log(T.sub(1, p1))))
                : y.mul(T.softplus(z.neg())).add(T.sub(1, y).mul(T.softplus(z)));
        Var cost = xent.mean().add(T.mul(0.01, w1.sqr().sum().add(w2.sqr().sum()).add(b1.sqr().sum()).add(b2.sqr())));
        List<Var> g = T.grad(cost, w1, b1, w2, b2);
        Function train = Tcc.function("train").inputs(x, y).outputs(prediction, xent)
                .update(w1, w1.sub(g.get(0).mul(0.1))).update(b1, b1.sub(g.get(1).mul(0.1)))
                .update(w2, w2.sub(g.get(2).mul(0.1))).update(b2, b2.sub(g.get(3).mul(0.1)))
                .backend(backend).build();
        return new Mlp(w1, b1, w2, b2, train, xv, yv);
    }

    @Test
    void trainsTenThousandStepsToFullTrainAccuracy() {
        Mlp m = mlp(Backend.CPU, true);
        assertEquals(Backend.CPU, m.train().backend());
        Outputs out = null;
        for (int step = 0; step < 10_000; step++) out = m.train().call(m.x(), m.y());
        NDArray prediction = out.get(0), xent = out.get(1);
        int correct = 0;
        for (int i = 0; i < N; i++) if (prediction.getLongFlat(i) == (long) m.y().getFlat(i)) correct++;
        double sum = 0;
        for (int i = 0; i < N; i++) {
            assertTrue(Double.isFinite(xent.getFlat(i)), "cross-entropy of sample " + i + " is " + xent.getFlat(i));
            sum += xent.getFlat(i);
        }
        System.out.printf("CPU MLP after 10000 steps: train accuracy %d/%d, mean cross-entropy %.6g%n", correct, N, sum / N);
        assertEquals(N, correct, "100% train accuracy");
        for (SharedVar v : List.of(m.w1(), m.b1(), m.w2(), m.b2())) {
            NDArray a = v.getValue();
            for (int i = 0; i < a.size(); i++) assertTrue(Double.isFinite(a.getFlat(i)), v.name() + " has a non-finite entry");
        }
    }

    /**
     * 50 steps on the CPU backend and on the reference interpreter, from the same start, give the
     * same weights within float32 tolerance. (The stable cross-entropy: the interpreter runs the
     * unoptimized graph, where the literal form is NaN on this data.) OpenBLAS sums the 400·784
     * products of a gradient in float32 in another order than the interpreter (double), so the
     * weights drift apart by a few float32 ulps per step: rtol 1e-4, atol 1e-5.
     */
    @Test
    void firstFiftyStepsMatchTheInterpreter() {
        Mlp cpu = mlp(Backend.CPU, false);
        Mlp ref = mlp(Backend.INTERP, false);
        for (int step = 0; step < 50; step++) {
            cpu.train().call(cpu.x(), cpu.y());
            ref.train().call(ref.x(), ref.y());
        }
        Differential d = new Differential(Backend.CPU);
        Differential.Tol tol = new Differential.Tol(1e-4, 1e-5);
        d.assertClose("w1 after 50 steps", ref.w1().getValue(), cpu.w1().getValue(), tol);
        d.assertClose("b1 after 50 steps", ref.b1().getValue(), cpu.b1().getValue(), tol);
        d.assertClose("w2 after 50 steps", ref.w2().getValue(), cpu.w2().getValue(), tol);
        d.assertClose("b2 after 50 steps", ref.b2().getValue(), cpu.b2().getValue(), tol);
    }
}
