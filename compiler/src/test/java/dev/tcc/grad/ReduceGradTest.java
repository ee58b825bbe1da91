package dev.tcc.grad;

import static dev.tcc.grad.GradTesting.check;
import static dev.tcc.grad.GradTesting.shape;
import static dev.tcc.grad.GradTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.interp.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GradCheck of the reductions over all axes, single and several axes, with and without keepdims. */
class ReduceGradTest {
    static final String[] KINDS = {"sum", "mean", "max", "min", "prod"};
    static final int[][] SHAPES = {{}, {5}, {3, 4}, {2, 3, 4}, {3, 1}};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String k : KINDS)
            for (int[] s : SHAPES) {
                List<int[]> axesList = new ArrayList<>();
                axesList.add(null);                                   // all axes
                for (int a = 0; a < s.length; a++) axesList.add(new int[] {a});
                if (s.length == 3) { axesList.add(new int[] {0, 2}); axesList.add(new int[] {-1, -2}); }
                for (int[] axes : axesList)
                    for (boolean keep : new boolean[] {false, true})
                        out.add(Arguments.of(k + shape(s) + " axes=" + (axes == null ? "all" : shape(axes)) + (keep ? " keepdims" : ""),
                                k, s, axes, keep));
            }
        return out.stream();
    }

    static Var reduce(String kind, Var x, int[] axes, boolean keep) {
        int[] a = axes == null ? new int[0] : axes;
        switch (kind) {
            case "sum": return T.sum(x, a, keep);
            case "mean": return T.mean(x, a, keep);
            case "max": return T.max(x, a, keep);
            case "min": return T.min(x, a, keep);
            default: return T.prod(x, a, keep);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reduction(String name, String kind, int[] s, int[] axes, boolean keep) {
        // prod on [0.5, 1.5] keeps products moderate; max/min on distinct random values (no ties)
        check(name, r -> List.of(uniform(r, DType.FLOAT64, kind.equals("prod") ? 0.5 : -2, kind.equals("prod") ? 1.5 : 2, s)),
                in -> reduce(kind, in.get(0), axes, keep).mul(reduce(kind, in.get(0), axes, keep)));
    }

    @ParameterizedTest(name = "prod with {0} zero(s), float{1}")
    @MethodSource("zeroCases")
    void prodWithZeros(int zeros, int bits) {
        DType d = bits == 32 ? DType.FLOAT32 : DType.FLOAT64;
        // the product is multilinear, so central differences are exact even at zeros
        check("prod zeros=" + zeros + " f" + bits, r -> {
            NDArray x = uniform(r, d, 0.5, 1.5, 3, 4);
            // zeros at (1,1), (2,1), (1,3): column 1 gets one then two zeros, row 1 one then two
            int[] at = {1 * 4 + 1, 2 * 4 + 1, 1 * 4 + 3};
            for (int z = 0; z < zeros; z++) x.setFlat(at[z], 0);
            return List.of(x);
        }, in -> T.prod(in.get(0), 0).add(T.prod(in.get(0), 1).sum()).add(T.prod(in.get(0)).mul(3)));
    }

    static Stream<Arguments> zeroCases() {
        return Stream.of(Arguments.of(0, 64), Arguments.of(1, 64), Arguments.of(2, 64), Arguments.of(3, 64), Arguments.of(1, 32));
    }

    @Test
    void prodGradientAtZerosIsExact() {
        Var x = T.vector("x", DType.FLOAT64);
        Var g = T.grad(T.prod(x), x);
        assertArrayEquals(new double[] {0, 6, 0}, eval(g, x, 2, 0, 3), 0);        // one zero: it gets the product of the others
        assertArrayEquals(new double[] {0, 0, 0}, eval(g, x, 0, 2, 0), 0);        // two zeros: all zero
        assertArrayEquals(new double[] {12, 8, 6}, eval(g, x, 2, 3, 4), 1e-12);
    }

    @Test
    void maxAndMinSplitTiesEqually() {
        Var x = T.matrix("x", DType.FLOAT64);
        Var gmax = T.grad(T.max(x, 1).sum(), x);
        Var gmin = T.grad(T.min(x).mul(2), x);
        double[][] v = {{1, 3, 3}, {5, 2, 5}};
        NDArray a = NDArray.of(v);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0.5, 0, 0.5}, Interpreter.evaluate(gmax, Map.of(x, a)).toDoubleArray(), 0);
        assertArrayEquals(new double[] {2, 0, 0, 0, 0, 0}, Interpreter.evaluate(gmin, Map.of(x, a)).toDoubleArray(), 0);
        double[][] w = {{4, 4, 4}, {1, 1, 0}};
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0, 0}, Interpreter.evaluate(T.grad(T.max(x), x), Map.of(x, NDArray.of(w))).toDoubleArray(), 1e-15);
    }

    @Test
    void argmaxHasZeroGradient() {
        Var x = T.vector("x", DType.FLOAT64);
        Var cost = T.cast(T.argmax(x), DType.FLOAT64).mul(x.sum());
        Var g = T.grad(cost, x);   // only the sum path counts (argmax = 1 here): argmax is piecewise constant
        assertArrayEquals(new double[] {1, 1, 1}, eval(g, x, 1, 5, 2), 0);
    }

    static double[] eval(Var g, Var x, double... v) {
        return Interpreter.evaluate(g, Map.of(x, NDArray.of(v))).toDoubleArray();
    }
}
