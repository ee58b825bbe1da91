package dev.tcc.grad;

import static dev.tcc.grad.GradTesting.check;
import static dev.tcc.grad.GradTesting.uniform;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.Var;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GradCheck of transpose, dimshuffle, reshape, flatten and concatenate. */
class ShapeGradTest {
    /** A shape-op case: input shapes, the function, and whether inputs get their exact static shapes. */
    record Case(String name, int[][] shapes, Function<List<Var>, Var> f, boolean known) {
        @Override public String toString() { return name; }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("transpose (3,4)", new int[][] {{3, 4}}, in -> weigh(in.get(0).T()), false),
                new Case("transpose (2,3,4) axes 1,2,0", new int[][] {{2, 3, 4}}, in -> weigh(in.get(0).transpose(1, 2, 0)), false),
                new Case("dimshuffle (3,4) -> (4,x,3)", new int[][] {{3, 4}}, in -> weigh(in.get(0).dimshuffle(1, "x", 0)), false),
                new Case("dimshuffle drops size-1 axis (3,1,4) -> (4,3)", new int[][] {{3, 1, 4}}, in -> weigh(in.get(0).dimshuffle(2, 0)), false),
                new Case("dimshuffle of a broadcast row, then added", new int[][] {{1, 4}, {3, 4}},
                        in -> weigh(in.get(0).dimshuffle(1).add(in.get(1))), false),
                new Case("vector as column + matrix", new int[][] {{3}, {3, 4}}, in -> weigh(in.get(0).dimshuffle(0, "x").add(in.get(1))), false),
                new Case("reshape (3,4) -> (2,6), known", new int[][] {{3, 4}}, in -> weigh(in.get(0).reshape(2, 6)), true),
                new Case("reshape (2,3,4) -> (4,-1), known", new int[][] {{2, 3, 4}}, in -> weigh(in.get(0).reshape(4, -1)), true),
                new Case("reshape vector (12) -> (3,4), unknown size", new int[][] {{12}}, in -> weigh(in.get(0).reshape(3, 4)), false),
                new Case("reshape scalar -> (1,1)", new int[][] {{}}, in -> weigh(in.get(0).reshape(1, 1)), false),
                new Case("flatten (3,4)", new int[][] {{3, 4}}, in -> weigh(in.get(0).flatten()), true),
                new Case("flatten(2) (2,3,4)", new int[][] {{2, 3, 4}}, in -> weigh(in.get(0).flatten(2)), true),
                new Case("reshape (3,4) -> (2,6), unknown sizes", new int[][] {{3, 4}}, in -> weigh(in.get(0).reshape(2, 6)), false),
                new Case("reshape (2,3,4) -> (-1), unknown sizes", new int[][] {{2, 3, 4}}, in -> weigh(in.get(0).reshape(-1)), false),
                new Case("flatten (3,4), unknown sizes", new int[][] {{3, 4}}, in -> weigh(in.get(0).flatten()), false),
                new Case("flatten(2) (2,3,4), unknown sizes", new int[][] {{2, 3, 4}}, in -> weigh(in.get(0).flatten(2)), false),
                new Case("flatten (5), unknown size", new int[][] {{5}}, in -> weigh(in.get(0).flatten()), false),
                new Case("concatenate axis 0", new int[][] {{2, 3}, {1, 3}, {4, 3}}, in -> weigh(T.concatenate(in, 0)), false),
                new Case("concatenate axis 1", new int[][] {{3, 2}, {3, 5}}, in -> weigh(T.concatenate(in, 1)), false),
                new Case("concatenate vectors", new int[][] {{3}, {4}}, in -> weigh(T.concatenate(in)), false),
                new Case("concatenate one input twice", new int[][] {{2, 3}}, in -> weigh(T.concatenate(List.of(in.get(0), in.get(0).sqr()), 1)), false)
        ).map(c -> Arguments.of(c.name(), c));
    }

    /** A nonlinear readout (GradCheck's random projection already weighs every position differently). */
    static Var weigh(Var x) {
        return x.mul(x).add(x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shapeOp(String name, Case c) {
        check(name, r -> {
            List<NDArray> pt = new java.util.ArrayList<>();
            for (int[] s : c.shapes()) pt.add(uniform(r, DType.FLOAT64, -1, 1, s));
            return pt;
        }, c.f(), GradCheck.Options.defaults().knownShapes(c.known()));
    }
}
