package dev.tcc.grad;

import static dev.tcc.grad.GradTesting.awayFromZero;
import static dev.tcc.grad.GradTesting.check;
import static dev.tcc.grad.GradTesting.uniform;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grad of grad: GradCheck of {@code sum(grad(f(in), in)^2)}, whose gradient needs the gradient
 * rules of the ops that the first gradient is made of (second, where, dimshuffle, count, slices...).
 */
class SecondOrderGradTest {
    record Case(String name, Function<SplittableRandom, List<NDArray>> point, Function<List<Var>, Var> f) {}

    static NDArray m(SplittableRandom r, double lo, double hi, int... s) { return uniform(r, DType.FLOAT64, lo, hi, s); }

    static Stream<Arguments> cases() {
        List<Case> cs = new ArrayList<>();
        cs.add(new Case("unary chain", r -> List.of(m(r, 0.3, 2, 3, 4)),
                in -> T.log(in.get(0)).mul(T.tanh(in.get(0))).add(T.sqrt(in.get(0)).mul(T.sigmoid(in.get(0)))).add(T.softplus(in.get(0))).sum()));
        cs.add(new Case("exp sin cos expm1 log1p", r -> List.of(m(r, -0.5, 1, 5)),
                in -> T.exp(in.get(0)).mul(T.sin(in.get(0))).add(T.cos(in.get(0)).mul(T.expm1(in.get(0)))).add(T.log1p(in.get(0)).sqr()).sum()));
        cs.add(new Case("abs relu", r -> List.of(awayFromZero(r, DType.FLOAT64, 0.2, 2, 6)),
                in -> T.abs(in.get(0)).mul(in.get(0)).add(T.relu(in.get(0)).sqr()).sum()));
        cs.add(new Case("broadcast binary ops", r -> List.of(m(r, 0.5, 2, 3, 4), m(r, 0.5, 2, 4), m(r, 0.5, 2)),
                in -> in.get(0).mul(in.get(1)).div(in.get(2)).add(T.pow(in.get(0), in.get(1))).sub(in.get(1).sqr().mul(in.get(2))).sum()));
        cs.add(new Case("maximum minimum where clip", r -> List.of(m(r, -2, 2, 3, 4), m(r, -2, 2, 4)),
                in -> T.maximum(in.get(0), in.get(1)).sqr().add(T.minimum(in.get(0), in.get(1)).mul(in.get(0)))
                        .add(T.where(in.get(0).gt(in.get(1)), in.get(0).sqr(), in.get(1).mul(in.get(0))))
                        .add(T.clip(in.get(0).mul(in.get(0)), 0.0, 100.0).mul(in.get(1))).sum()));
        cs.add(new Case("sum mean keepdims", r -> List.of(m(r, -1, 1, 2, 3, 4)),
                in -> T.mean(in.get(0).sqr(), new int[] {1}, true).mul(in.get(0)).sum(0).sqr().sum().add(T.mean(in.get(0).sqr().sqr()))));
        cs.add(new Case("max min prod", r -> List.of(m(r, 0.5, 1.5, 3, 4)),
                in -> T.max(in.get(0), 1).sqr().sum().add(T.min(in.get(0), 0).mul(T.prod(in.get(0), 0)).sum()).add(T.prod(in.get(0)))));
        cs.add(new Case("dot mm mv vv", r -> List.of(m(r, -1, 1, 3, 4), m(r, -1, 1, 4, 2), m(r, -1, 1, 4)),
                in -> T.tanh(T.dot(in.get(0), in.get(1))).sum().add(T.dot(T.dot(in.get(0), in.get(2)), T.dot(in.get(0), in.get(2))))));
        cs.add(new Case("batched matmul", r -> List.of(m(r, -1, 1, 2, 3, 4), m(r, -1, 1, 1, 4, 2)),
                in -> T.matmul(in.get(0), in.get(1)).sqr().sum()));
        cs.add(new Case("shape ops", r -> List.of(m(r, -1, 1, 2, 3), m(r, -1, 1, 4, 3)),
                in -> T.concatenate(List.of(in.get(0), in.get(1).sqr()), 0).T().dimshuffle(0, "x", 1).flatten()
                        .mul(T.concatenate(List.of(in.get(0).sqr(), in.get(1)), 0).flatten()).sum()));
        cs.add(new Case("softmax logSoftmax", r -> List.of(m(r, -2, 2, 3, 4)),
                in -> T.softmax(in.get(0)).mul(T.logSoftmax(in.get(0), 0)).sum()));
        cs.add(new Case("mlp-like", r -> List.of(m(r, -1, 1, 5, 4), m(r, -1, 1, 4, 3), m(r, -1, 1, 3)),
                in -> {
                    Var h = T.sigmoid(T.dot(in.get(0), in.get(1)).add(in.get(2)));
                    Var p = T.sigmoid(h.sum(1));
                    return T.neg(T.log(p)).mean().add(in.get(1).sqr().sum().mul(0.01));
                }));
        return cs.stream().map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradOfGrad(String name, Case c) {
        check("second order " + name, c.point(), in -> {
            Var f = c.f().apply(in);
            Var total = null;
            for (Var g : T.grad(f, in)) total = total == null ? g.sqr().sum() : total.add(g.sqr().sum());
            return total;
        });
    }
}
