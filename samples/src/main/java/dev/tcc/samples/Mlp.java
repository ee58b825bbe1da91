package dev.tcc.samples;

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
import java.io.PrintStream;
import java.util.List;

/**
 * The lecture's training loop, in Java: the 784-300-1 perceptron of samples/mlp/mlp.graph trained by
 * gradient descent on 400 random examples, then the final model, the targets, the predictions and
 * the accuracy. The data is what {@code tcc run samples/mlp/mlp.graph} gets from
 * {@code --arg 'x=random(0).randn(400, 784)' --arg 'y=random(0).randint(0, 2, 400).astype(float32)'},
 * and the model starts from the same values, so both give the same results.
 *
 * <pre>
 *   java -cp ... dev.tcc.samples.Mlp [STEPS [BACKEND]]      (10000 steps, backend auto)
 * </pre>
 */
public final class Mlp {
    private Mlp() {}

    /** What a run ends with. */
    public record Result(Backend backend, NDArray targets, NDArray predictions, double accuracy, double firstCost, double lastCost) {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Backend backend = args.length > 1 ? Backend.valueOf(args[1].toUpperCase(java.util.Locale.ROOT)) : Backend.AUTO;
        run(steps, backend, System.out);
    }

    private static double mean(NDArray a) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += a.getFlat(i);
        return s / a.size();
    }

    public static Result run(int steps, Backend backend, PrintStream out) {
        int n = 400, features = 784, hidden = 300;
        NDArray dx = new Rng(0).randn(n, features);
        NDArray dy = new Rng(0).randint(0, 2, n).astype(DType.FLOAT32);

        Rng rng = new Rng(1234);
        Var x = T.matrix("x");
        Var y = T.vector("y");
        SharedVar w1 = Tcc.shared(rng.randn(features, hidden), "w1");
        SharedVar b1 = Tcc.shared(NDArray.zeros(DType.FLOAT32, hidden), "b1");
        SharedVar w2 = Tcc.shared(rng.randn(hidden), "w2");
        SharedVar b2 = Tcc.shared(0.0, "b2");
        Var p1 = T.sigmoid(T.dot(T.sigmoid(T.dot(x, w1).add(b1)), w2).add(b2));  // probability that the target is 1
        Var prediction = p1.gt(0.5);
        Var xent = y.neg().mul(T.log(p1)).sub(T.sub(1, y).mul(T.log(T.sub(1, p1))));   // cross entropy
        Var cost = xent.mean().add(T.mul(0.01, w1.sqr().sum().add(w2.sqr().sum()).add(b1.sqr().sum()).add(b2.sqr())));
        List<Var> g = T.grad(cost, w1, b1, w2, b2);

        Function train = Tcc.function("train").inputs(x, y).outputs(prediction, xent)
                .update(w1, w1.sub(g.get(0).mul(0.1))).update(b1, b1.sub(g.get(1).mul(0.1)))
                .update(w2, w2.sub(g.get(2).mul(0.1))).update(b2, b2.sub(g.get(3).mul(0.1)))
                .backend(backend).build();
        Function predict = Tcc.function("predict").inputs(x).outputs(prediction).backend(backend).build();

        out.println("training on " + train.backend().name().toLowerCase() + " for " + steps + " steps");
        double first = Double.NaN, last = Double.NaN;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            try (Outputs o = train.call(dx, dy)) {            // closed: the next call reuses the outputs' memory
                last = mean(o.get(1));
            }
            if (i == 0) first = last;
            if ((i + 1) % Math.max(1, steps / 10) == 0) out.printf("step %d: mean cross entropy %.6f%n", i + 1, last);
        }
        out.printf("%d steps in %.1f s%n", steps, (System.nanoTime() - t0) / 1e9);

        out.println("Final model:");
        out.println("w1 = " + w1.getValue());
        out.println("b1 = " + b1.getValue());
        out.println("w2 = " + w2.getValue());
        out.println("b2 = " + b2.getValue());
        out.println("target values for D:");
        out.println(dy);
        NDArray pred = predict.call(dx).get(0);
        out.println("prediction on D:");
        out.println(pred);
        int right = 0;
        for (int i = 0; i < n; i++) if ((pred.getFlat(i) != 0) == (dy.getFlat(i) != 0)) right++;
        double accuracy = right / (double) n;
        out.printf("accuracy: %.1f%% (%d of %d)%n", 100 * accuracy, right, n);
        return new Result(train.backend(), dy, pred, accuracy, first, last);
    }
}
