package dev.tcc.grad;

import static dev.tcc.grad.GradTesting.check;
import static dev.tcc.grad.GradTesting.shape;
import static dev.tcc.grad.GradTesting.uniform;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GradCheck of dot (vv, mv, vm, mm), batched matmul (with broadcast batch axes) and outer. */
class LinalgGradTest {
    static Stream<Arguments> cases() {
        int[][][] pairs = {
            {{4}, {4}}, {{3, 4}, {4}}, {{4}, {4, 2}}, {{3, 4}, {4, 2}}, {{1, 4}, {4, 5}}, {{3, 1}, {1, 2}},
            {{2, 3, 4}, {2, 4, 5}}, {{1, 3, 4}, {2, 4, 5}}, {{2, 3, 4}, {1, 4, 5}}, {{2, 2, 3, 4}, {2, 1, 4, 2}}};
        List<Arguments> out = new ArrayList<>();
        for (int[][] p : pairs)
            for (String op : p[0].length <= 2 ? List.of("dot", "matmul") : List.of("matmul"))
                out.add(Arguments.of(op + " " + shape(p[0]) + " " + shape(p[1]), op, p[0], p[1], DType.FLOAT64));
        out.add(Arguments.of("dot float32 mm", "dot", new int[] {3, 4}, new int[] {4, 2}, DType.FLOAT32));
        out.add(Arguments.of("outer (3) (4)", "outer", new int[] {3}, new int[] {4}, DType.FLOAT64));
        out.add(Arguments.of("outer (1) (4)", "outer", new int[] {1}, new int[] {4}, DType.FLOAT64));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void product(String name, String op, int[] sa, int[] sb, DType d) {
        check(name, r -> List.<NDArray>of(uniform(r, d, -1, 1, sa), uniform(r, d, -1, 1, sb)), in -> {
            Var a = in.get(0), b = in.get(1);
            Var z = op.equals("dot") ? T.dot(a, b) : op.equals("matmul") ? T.matmul(a, b) : T.outer(a, b);
            return z.mul(z).add(z);                  // nonlinear, so wrong factors would show
        });
    }
}
