package dev.tcc.codegen.program;

import java.util.List;

/**
 * Writes a scalar known from shapes alone: the number of elements of {@code operand} over
 * {@code axes} (ElementCount, e.g. the divisor in the gradient of mean), converted to the output's
 * dtype. {@code operand} is read for its shape only. params: {@code count}. CUDA: one thread.
 */
public record FillStep(String kernel, int operand, List<Integer> axes, int output, String description) implements Step {
    public FillStep {
        axes = List.copyOf(axes);
    }

    @Override public List<Integer> args() { return List.of(output); }

    @Override public List<Integer> writes() { return List.of(output); }

    @Override public long[] params(Program p, Shapes s) {
        long n = 1;
        for (int a : axes) n *= s.of(operand)[a];
        return new long[] {n};
    }

    @Override public long work(Program p, Shapes s) { return 1; }

    @Override public Launch launch(Program p, Shapes s) { return Launch.linear(1, 1); }
}
