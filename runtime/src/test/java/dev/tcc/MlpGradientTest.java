package dev.tcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.grad.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed's network (DESIGN.md §5): sigmoid hidden layer, sigmoid output, mean cross-entropy +
 * 0.01·L2 (the cross-entropy in its stable softplus form; see {@link #cost}). Data as in the seed: Rng(1234) draws x (400×784, randn), y (400, randint 0/1), then
 * w1 (784×300, randn) and w2 (300, randn); b1 = 0, b2 = 0.
 */
class MlpGradientTest {
    static final int N = 400, FEATS = 784, HIDDEN = 300;

    record Data(NDArray x, NDArray y, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {}

    static Data seedData() {
        Rng rng = new Rng(1234);
        NDArray x = rng.randn(N, FEATS);
        NDArray y = rng.randint(0, 2, N).astype(DType.FLOAT32);
        NDArray w1 = rng.randn(FEATS, HIDDEN);
        NDArray w2 = rng.randn(HIDDEN);
        return new Data(x, y, w1, NDArray.zeros(DType.FLOAT32, HIDDEN), w2, NDArray.scalar(DType.FLOAT32, 0));
    }

    /**
     * The seed's cost, with the cross-entropy written as DESIGN.md §5 writes it:
     * {@code -y·log(p1) - (1-y)·log(1-p1)}, {@code p1 = sigmoid(z)}.
     */
    static Var literalCost(Var x, Var y, Var w1, Var b1, Var w2, Var b2) {
        Var p1 = T.sigmoid(outputLogit(x, w1, b1, w2, b2));
        Var xent = y.neg().mul(T.log(p1)).sub(T.sub(1, y).mul(T.log(T.sub(1, p1))));
        return xent.mean().add(l2(w1, b1, w2, b2));
    }

    /**
     * The same cost with the cross-entropy in its stable form, {@code y·softplus(-z) + (1-y)·softplus(z)}
     * (what Theano's stabilizing rewrites turn the literal form into). On the seed's data the output
     * unit saturates: |z| reaches 17 (float32) or 37 (float64), sigmoid rounds to exactly 0 or 1 and
     * the literal form gives log(0), so on the unoptimized interpreter its cost is inf/NaN.
     */
    static Var cost(Var x, Var y, Var w1, Var b1, Var w2, Var b2) {
        Var z = outputLogit(x, w1, b1, w2, b2);
        Var xent = y.mul(T.softplus(z.neg())).add(T.sub(1, y).mul(T.softplus(z)));
        return xent.mean().add(l2(w1, b1, w2, b2));
    }

    static Var outputLogit(Var x, Var w1, Var b1, Var w2, Var b2) {
        return T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2);
    }

    static Var l2(Var w1, Var b1, Var w2, Var b2) {
        return T.mul(0.01, w1.sqr().sum().add(w2.sqr().sum()).add(b1.sqr().sum()).add(b2.sqr()));
    }

    static List<NDArray> float64(Data d, double weightScale) {
        return List.of(d.x().astype(DType.FLOAT64), d.y().astype(DType.FLOAT64), scale(d.w1(), weightScale),
                d.b1().astype(DType.FLOAT64), scale(d.w2(), weightScale), NDArray.scalar(DType.FLOAT64, 0.1));
    }

    static NDArray scale(NDArray a, double s) {
        NDArray r = a.astype(DType.FLOAT64);
        for (int i = 0; i < r.size(); i++) r.setFlat(i, r.getFlat(i) * s);
        return r;
    }

    /**
     * The four gradients against central finite differences in float64, at a few random
     * coordinates of each (a full check would take 2·(235200 + 601) forward passes). Once at the
     * seed's weights, where most units saturate and the L2 term dominates, and once with the weights
     * scaled by 0.05, where the cross-entropy path carries the gradient.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        Data d = seedData();
        GradCheck.Options spot = GradCheck.Options.defaults().fixed(0, 1).maxCoordinates(3).nTests(1);
        for (double scale : new double[] {1, 0.05}) {
            long seed = 1234 + (long) (scale * 100);
            GradCheck.Report r = GradCheck.verify(in -> cost(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), in.get(5)),
                    float64(d, scale), seed, spot);
            assertEquals(3 + 3 + 3 + 1, r.checkedCoordinates(), r.toString());
            System.out.println("MLP GradCheck, weights x" + scale + ": " + r);
        }
        // the literal form, where it is finite (small weights: nothing saturates)
        GradCheck.Report r = GradCheck.verify(in -> literalCost(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), in.get(5)),
                float64(d, 0.05), 99, spot);
        System.out.println("MLP GradCheck, literal cross-entropy, weights x0.05: " + r);
    }

    @Test
    void literalAndStableCrossEntropyAgreeWhereBothAreFinite() {
        Data d = seedData();
        Var x = T.matrix("x", DType.FLOAT64), y = T.vector("y", DType.FLOAT64);
        Var w1 = T.matrix("w1", DType.FLOAT64), b1 = T.vector("b1", DType.FLOAT64), w2 = T.vector("w2", DType.FLOAT64);
        Var b2 = T.scalar("b2", DType.FLOAT64);
        List<Var> in = List.of(x, y, w1, b1, w2, b2);
        Function f = Tcc.function("both").inputs(in).outputs(literalCost(x, y, w1, b1, w2, b2), cost(x, y, w1, b1, w2, b2))
                .backend(Backend.INTERP).build();
        Outputs small = f.call(float64(d, 0.05).toArray());
        assertEquals(small.get(0).scalar(), small.get(1).scalar(), 1e-9 * small.get(1).scalar());
        Outputs seed = f.call(float64(d, 1).toArray());
        assertTrue(!Double.isFinite(seed.get(0).scalar()) && Double.isFinite(seed.get(1).scalar()),
                "literal " + seed.get(0).scalar() + ", stable " + seed.get(1).scalar());
    }

    /** 200 steps of the seed's gradient descent (lr 0.1) on the reference interpreter lower the cost at every step. */
    @Test
    void gradientDescentLowersTheCostMonotonically() {
        Data d = seedData();
        Var x = T.matrix("x");
        Var y = T.vector("y");
        SharedVar w1 = Tcc.shared(d.w1(), "w1");
        SharedVar b1 = Tcc.shared(d.b1(), "b1");
        SharedVar w2 = Tcc.shared(d.w2(), "w2");
        SharedVar b2 = Tcc.shared(0.0, "b2");
        Var cost = cost(x, y, w1, b1, w2, b2);
        List<Var> g = T.grad(cost, w1, b1, w2, b2);
        Function train = Tcc.function("train").inputs(x, y).outputs(cost)
                .update(w1, w1.sub(g.get(0).mul(0.1))).update(b1, b1.sub(g.get(1).mul(0.1)))
                .update(w2, w2.sub(g.get(2).mul(0.1))).update(b2, b2.sub(g.get(3).mul(0.1)))
                .backend(Backend.INTERP).build();
        int steps = 200;
        double[] costs = new double[steps];
        for (int i = 0; i < steps; i++) {
            costs[i] = train.call(d.x(), d.y()).scalar();
            assertTrue(Double.isFinite(costs[i]), "step " + i + ": cost " + costs[i]);
            if (i > 0) assertTrue(costs[i] < costs[i - 1], "step " + i + ": cost " + costs[i] + " after " + costs[i - 1]);
        }
        System.out.println("MLP cost: step 0 " + costs[0] + ", step " + (steps - 1) + " " + costs[steps - 1]);
    }
}
