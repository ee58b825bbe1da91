package dev.tcc.bench;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.Rng;
import dev.tcc.SharedVar;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import java.util.List;

/** The seed MLP (DESIGN.md §5) as the benchmarks build it: N=400, 784 → 300 → 1, float32. */
final class CpuMlp {
    static final int N = 400, FEATS = 784, HIDDEN = 300;

    final SharedVar w1, b1, w2, b2;
    final Function train;
    final NDArray x, y;

    CpuMlp(Backend backend) {
        Rng rng = new Rng(1234);
        Var xv = T.matrix("x");
        Var yv = T.vector("y");
        w1 = Tcc.shared(rng.randn(FEATS, HIDDEN), "w1");
        b1 = Tcc.shared(NDArray.zeros(DType.FLOAT32, HIDDEN), "b1");
        w2 = Tcc.shared(rng.randn(HIDDEN), "w2");
        b2 = Tcc.shared(0.0, "b2");
        Var p1 = T.sigmoid(T.dot(T.sigmoid(T.dot(xv, w1).add(b1)), w2).add(b2));
        Var prediction = p1.gt(0.5);
        Var xent = yv.neg().mul(T.log(p1)).sub(T.sub(1, yv).mul(T.log(T.sub(1, p1))));
        Var cost = xent.mean().add(w1.sqr().sum().add(w2.sqr().sum()).add(b1.sqr().sum()).add(b2.sqr()).mul(0.01));
        List<Var> g = T.grad(cost, w1, b1, w2, b2);
        train = Tcc.function("train").inputs(xv, yv).outputs(prediction, xent)
                .update(w1, w1.sub(g.get(0).mul(0.1))).update(b1, b1.sub(g.get(1).mul(0.1)))
                .update(w2, w2.sub(g.get(2).mul(0.1))).update(b2, b2.sub(g.get(3).mul(0.1)))
                .backend(backend).build();
        Rng data = new Rng(42);
        x = data.randn(N, FEATS);
        y = data.randint(0, 2, N).astype(DType.FLOAT32);
    }
}
