package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's examples on the CUDA backend: the lecture's scalar chain and matrix examples (values
 * from numpy), shared variables with updates and givens, and the MLP's training steps against the
 * reference interpreter; CUDA-graph replay must give exactly what eager launches give. Run on a
 * GPU by {@link CudaSeedExamplesGpuTest} and on the CPU emulator by {@link CudaSeedExamplesEmulatedTest}.
 */
abstract class CudaSeedExamplesCases {
    @AfterEach void graphsBackToSettings() { CudaOptions.graphs(null); }

    @Test void scalarChainMatchesNumpy() {
        Var x = T.scalar("x");
        Var y = T.scalar("y");
        Var a = T.sqrt(x.add(y).mul(x));
        Var c = a.pow(T.exp(a));
        Var d = T.log(c);
        Function f = Tcc.function("chain").inputs(x, y).outputs(d, c).backend(Backend.CUDA).build();
        float[][] rows = {{1.0f, 2.0f, 3.1048062f, 22.304897f}, {0.5f, 1.5f, 0.0f, 1.0f}, {2.0f, 0.25f, 6.273615f, 530.3912f}};
        for (float[] r : rows) {
            Outputs out = f.call(r[0], r[1]);
            assertEquals(DType.FLOAT32, out.get(0).dtype());
            assertEquals(r[2], (float) out.get(0).scalar(), 8 * Math.ulp(r[2]) + 1e-6, "d(" + r[0] + ", " + r[1] + ")");
            assertEquals(r[3], (float) out.get(1).scalar(), 1e-5 * r[3], "c(" + r[0] + ", " + r[1] + ")");
        }
    }

    @Test void matrixAndVectorExamples() {
        Var x = T.matrix("x"), y = T.matrix("y"), a = T.vector("a"), b = T.vector("b");
        float[][] xv = {{1, 2}, {3, 4}}, yv = {{5, 6}, {7, 8}};
        float[] av = {1, 2}, bv = {3, 4};
        assertArrayEquals(new float[] {19, 22, 43, 50}, cuda(List.of(x, y), T.dot(x, y)).call(xv, yv).get(0).toFloatArray());
        assertArrayEquals(new float[] {5, 11}, cuda(List.of(x, a), T.dot(x, a)).call(xv, av).get(0).toFloatArray());
        assertEquals(11.0, cuda(List.of(a, b), T.dot(a, b)).call(av, bv).scalar());
        assertArrayEquals(new float[] {3, 8}, cuda(List.of(a, b), a.mul(b)).call(av, bv).get(0).toFloatArray());
    }

    private static Function cuda(List<Var> in, Var out) {
        return Tcc.function("f").inputs(in).outputs(out).backend(Backend.CUDA).build();
    }

    @Test void sharedVariablesUpdatesAndGivens() {
        SharedVar state = Tcc.shared(0.0, "state");
        Var inc = T.scalar("inc");
        Function acc = Tcc.function("acc").inputs(inc).outputs(state).update(state, state.add(inc)).backend(Backend.CUDA).build();
        assertEquals(0.0, acc.call(1).scalar());
        assertEquals(1.0, state.getValue().scalar());
        state.setValue(100);
        assertEquals(100.0, acc.call(1).scalar());
        assertEquals(101.0, state.getValue().scalar());
        for (int i = 0; i < 20; i++) acc.call(2);      // long enough for graph capture and replay
        assertEquals(141.0, state.getValue().scalar());

        SharedVar counter = Tcc.shared(0.0, "counter");
        Function tick = Tcc.function("tick").update(counter, counter.add(1)).backend(Backend.CUDA).build();
        for (int i = 0; i < 10; i++) tick.call();
        assertEquals(10.0, counter.getValue().scalar());

        SharedVar xs = Tcc.shared(3.0, "xs"), ys = Tcc.shared(4.0, "ys");
        Var x = T.scalar("x"), y = T.scalar("y");
        Function g = Tcc.function("g").outputs(x.mul(y).add(x)).givens(x, xs).givens(y, ys).backend(Backend.CUDA).build();
        assertEquals(15.0, g.call().scalar());
        xs.setValue(1);
        assertEquals(5.0, g.call().scalar());

        SharedVar xVal = Tcc.shared(5.0, "x_val"), other = Tcc.shared(1.0, "other");
        Function h = Tcc.function("h").outputs(xVal, xVal.mul(2)).update(xVal, xVal.add(other)).update(other, xVal)
                .backend(Backend.CUDA).build();
        Outputs out = h.call();
        assertEquals(5.0, out.get(0).scalar());
        assertEquals(10.0, out.get(1).scalar());
        assertEquals(6.0, xVal.getValue().scalar());
        assertEquals(5.0, other.getValue().scalar());
    }

    /** The seed MLP (stable cross-entropy, so that the interpreter stays finite), a few steps on both backends. */
    record Mlp(SharedVar w1, SharedVar b1, SharedVar w2, SharedVar b2, Function train) {}

    static Mlp mlp(Backend backend, NDArray w1v, NDArray w2v) {
        Var x = T.matrix("x"), y = T.vector("y");
        SharedVar w1 = Tcc.shared(w1v, "w1"), b1 = Tcc.shared(NDArray.zeros(DType.FLOAT32, 300), "b1");
        SharedVar w2 = Tcc.shared(w2v, "w2"), b2 = Tcc.shared(0.0, "b2");
        Var z = T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2);
        Var p1 = T.sigmoid(z);
        Var xent = y.mul(T.softplus(z.neg())).add(T.sub(1, y).mul(T.softplus(z)));
        Var cost = xent.mean().add(T.mul(0.01, w1.sqr().sum().add(w2.sqr().sum()).add(b1.sqr().sum()).add(b2.sqr())));
        List<Var> g = T.grad(cost, w1, b1, w2, b2);
        Function train = Tcc.function("train").inputs(x, y).outputs(p1.gt(0.5), xent)
                .update(w1, w1.sub(g.get(0).mul(0.1))).update(b1, b1.sub(g.get(1).mul(0.1)))
                .update(w2, w2.sub(g.get(2).mul(0.1))).update(b2, b2.sub(g.get(3).mul(0.1)))
                .backend(backend).build();
        return new Mlp(w1, b1, w2, b2, train);
    }

    @Test void mlpTrainingStepsMatchTheInterpreter() {
        Rng rng = new Rng(1234);
        NDArray x = rng.randn(400, 784);
        NDArray y = rng.randint(0, 2, 400).astype(DType.FLOAT32);
        NDArray w1 = rng.randn(784, 300), w2 = rng.randn(300);
        // weights scaled so that the units do not saturate and every path carries gradient
        for (int i = 0; i < w1.size(); i++) w1.setFlat(i, w1.getFlat(i) * 0.05);
        for (int i = 0; i < w2.size(); i++) w2.setFlat(i, w2.getFlat(i) * 0.05);
        Mlp cuda = mlp(Backend.CUDA, w1, w2), ref = mlp(Backend.INTERP, w1, w2);
        Differential d = new Differential(dev.tcc.Backend.CUDA);
        Differential.Tol tol = new Differential.Tol(1e-3, 1e-4);
        for (int step = 0; step < 3; step++) {
            Outputs a = cuda.train().call(x, y), b = ref.train().call(x, y);
            d.assertClose("xent, step " + step, b.get(1), a.get(1), tol);
        }
        d.assertClose("w1", ref.w1().getValue(), cuda.w1().getValue(), tol);
        d.assertClose("b1", ref.b1().getValue(), cuda.b1().getValue(), tol);
        d.assertClose("w2", ref.w2().getValue(), cuda.w2().getValue(), tol);
        d.assertClose("b2", ref.b2().getValue(), cuda.b2().getValue(), tol);
    }

    @Test void graphReplayGivesExactlyWhatEagerLaunchesGive() {
        Rng rng = new Rng(7);
        NDArray x = rng.randn(64, 784);
        NDArray y = rng.randint(0, 2, 64).astype(DType.FLOAT32);
        NDArray w1 = rng.randn(784, 300), w2 = rng.randn(300);
        CudaOptions.graphs(false);
        Mlp eager = mlp(Backend.CUDA, w1, w2);
        CudaOptions.graphs(true);
        Mlp graphs = mlp(Backend.CUDA, w1, w2);
        for (int step = 0; step < 12; step++) {
            Outputs a = eager.train().call(x, y), b = graphs.train().call(x, y);
            assertEquals(a.get(1), b.get(1), "xent at step " + step);
        }
        assertEquals(eager.w1().getValue(), graphs.w1().getValue());
        assertEquals(eager.b2().getValue(), graphs.b2().getValue());
    }
}
