package dev.tcc.grad;

import static dev.tcc.grad.GradTesting.check;
import static dev.tcc.grad.GradTesting.shape;
import static dev.tcc.grad.GradTesting.uniform;

import dev.tcc.DType;
import dev.tcc.T;
import dev.tcc.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GradCheck of softmax and log-softmax along every axis of several shapes. */
class SoftmaxGradTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{5}, {3, 4}, {2, 3, 4}, {3, 1}};
        for (boolean log : new boolean[] {false, true})
            for (int[] s : shapes)
                for (int ax = -1; ax < s.length; ax++)
                    for (DType d : s.length == 2 && ax == -1 ? List.of(DType.FLOAT64, DType.FLOAT32) : List.of(DType.FLOAT64))
                        out.add(Arguments.of((log ? "logSoftmax" : "softmax") + shape(s) + " axis " + ax + " " + d, log, s, ax, d));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void softmax(String name, boolean log, int[] s, int axis, DType d) {
        check(name, r -> List.of(uniform(r, d, -3, 3, s)), in -> {
            Var x = in.get(0);
            Var z = log ? T.logSoftmax(x, axis) : T.softmax(x, axis);
            return z.mul(z);                      // a nonlinear readout, so the sum-to-one direction is checked too
        });
    }
}
