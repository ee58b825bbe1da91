package dev.tcc.grad;

import static dev.tcc.grad.GradTesting.awayFromZero;
import static dev.tcc.grad.GradTesting.check;
import static dev.tcc.grad.GradTesting.shape;
import static dev.tcc.grad.GradTesting.uniform;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GradCheck of every differentiable elementwise op, on several shapes and broadcast patterns. */
class ElemwiseGradTest {
    static final int[][] SHAPES = {{}, {5}, {3, 4}, {2, 3, 4}};

    /** A unary op and the interval its inputs are drawn from (signs random when {@code signed}). */
    record Unary(String name, UnaryOperator<Var> f, double lo, double hi, boolean signed) {}

    static final List<Unary> UNARY = List.of(
            new Unary("neg", T::neg, -2, 2, false),
            new Unary("abs", T::abs, 0.2, 2, true),
            new Unary("sqr", T::sqr, -2, 2, false),
            new Unary("relu", T::relu, 0.2, 2, true),
            new Unary("exp", T::exp, -2, 2, false),
            new Unary("log", T::log, 0.3, 3, false),
            new Unary("log1p", T::log1p, -0.7, 3, false),
            new Unary("expm1", T::expm1, -2, 2, false),
            new Unary("sqrt", T::sqrt, 0.3, 3, false),
            new Unary("sin", T::sin, -3, 3, false),
            new Unary("cos", T::cos, -3, 3, false),
            new Unary("tanh", T::tanh, -2, 2, false),
            new Unary("sigmoid", T::sigmoid, -4, 4, false),
            new Unary("softplus", T::softplus, -4, 4, false),
            new Unary("cast-f32", x -> T.cast(x, DType.FLOAT32).mul(x), -2, 2, false),
            new Unary("cast-f64", x -> T.cast(x, DType.FLOAT64).sqr(), -2, 2, false),
            new Unary("chain", x -> T.tanh(T.exp(x.mul(0.5)).add(T.sin(x))).mul(x), -2, 2, false));

    static Stream<Arguments> unaryCases() {
        List<Arguments> out = new ArrayList<>();
        for (Unary u : UNARY)
            for (int[] s : SHAPES)
                for (DType d : s.length == 2 ? List.of(DType.FLOAT64, DType.FLOAT32) : List.of(DType.FLOAT64))
                    out.add(Arguments.of(u.name() + " " + d + shape(s), u, s, d));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryCases")
    void unary(String name, Unary u, int[] s, DType d) {
        check(name, r -> List.of(u.signed() ? awayFromZero(r, d, u.lo(), u.hi(), s) : uniform(r, d, u.lo(), u.hi(), s)),
                in -> u.f().apply(in.get(0)));
    }

    /** A binary op with the intervals its operands are drawn from. */
    record Binary(String name, BiFunction<Var, Var, Var> f, double aLo, double aHi, double bLo, double bHi) {}

    static final List<Binary> BINARY = List.of(
            new Binary("add", T::add, -2, 2, -2, 2),
            new Binary("sub", T::sub, -2, 2, -2, 2),
            new Binary("mul", T::mul, -2, 2, -2, 2),
            new Binary("div", T::div, -2, 2, 0.5, 2),
            new Binary("pow", T::pow, 0.5, 2, -2, 2),
            new Binary("maximum", T::maximum, -2, 2, -2, 2),
            new Binary("minimum", T::minimum, -2, 2, -2, 2),
            new Binary("mod", T::mod, 0, 0, 1.5, 2));  // a is drawn to stay off the jumps

    /** Operand shape pairs: equal, bias added to a matrix, scalar times a matrix, rows and columns. */
    static final int[][][] PAIRS = {
        {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{4}, {3, 4}}, {{}, {3, 4}}, {{3, 4}, {}}, {{3, 4}, {1, 4}},
        {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}}, {{5}, {5}}, {{}, {}}};

    static Stream<Arguments> binaryCases() {
        List<Arguments> out = new ArrayList<>();
        for (Binary b : BINARY)
            for (int[][] p : PAIRS)
                out.add(Arguments.of(b.name() + " " + shape(p[0]) + " " + shape(p[1]), b, p[0], p[1], DType.FLOAT64));
        for (Binary b : BINARY) out.add(Arguments.of(b.name() + " float32 bias", b, new int[] {3, 4}, new int[] {4}, DType.FLOAT32));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryCases")
    void binary(String name, Binary b, int[] sa, int[] sb, DType d) {
        Function<SplittableRandom, List<NDArray>> point = r -> {
            NDArray y = uniform(r, d, b.bLo(), b.bHi(), sb);
            NDArray x;
            if (b.name().equals("mod")) {
                // y in [1.5, 2] and x in bands where floor(x / y) is the same for every such y
                double[][] bands = {{0.1, 1.4}, {2.1, 2.9}, {-2.9, -2.1}, {4.1, 4.4}};
                x = NDArray.zeros(d, sa);
                for (int i = 0; i < x.size(); i++) {
                    double[] band = bands[r.nextInt(bands.length)];
                    x.setFlat(i, band[0] + (band[1] - band[0]) * r.nextDouble());
                }
            } else {
                x = uniform(r, d, b.aLo(), b.aHi(), sa);
            }
            return List.of(x, y);
        };
        check(name, point, in -> b.f().apply(in.get(0), in.get(1)));
    }

    static Stream<Arguments> ternaryCases() {
        List<Arguments> out = new ArrayList<>();
        int[][][] triples = {{{3, 4}, {3, 4}, {3, 4}}, {{3, 4}, {4}, {}}, {{4}, {3, 4}, {3, 1}}, {{3, 4}, {}, {}}, {{}, {}, {}}};
        for (int[][] t : triples) {
            out.add(Arguments.of("where " + shape(t[0]) + shape(t[1]) + shape(t[2]), "where", t));
            out.add(Arguments.of("clip " + shape(t[0]) + shape(t[1]) + shape(t[2]), "clip", t));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ternaryCases")
    void ternary(String name, String op, int[][] t) {
        DType d = DType.FLOAT64;
        if (op.equals("where")) {
            // where(c > 0, a, b): c is kept away from 0; its gradient is zero
            check(name, r -> List.of(awayFromZero(r, d, 0.2, 1, t[0]), uniform(r, d, -2, 2, t[1]), uniform(r, d, -2, 2, t[2])),
                    in -> T.where(in.get(0).gt(0), in.get(1), in.get(2)).mul(in.get(0)));
        } else {
            // clip(x, lo, hi) with lo in [-1, -0.6], hi in [0.6, 1], x in [-2, 2] away from the bounds
            check(name, r -> {
                NDArray x = uniform(r, d, -2, 2, t[0]);
                for (int i = 0; i < x.size(); i++) {
                    double v = x.getFlat(i);
                    if (Math.abs(Math.abs(v) - 0.8) < 0.3) x.setFlat(i, Math.signum(v) * (Math.abs(v) < 0.8 ? 0.3 : 1.4));
                }
                return List.of(x, uniform(r, d, -1, -0.6, t[1]), uniform(r, d, 0.6, 1, t[2]));
            }, in -> T.clip(in.get(0), in.get(1), in.get(2)));
        }
    }
}
