package dev.tcc.codegen.program;

import java.util.List;

/**
 * softmax (or log-softmax) of a C-contiguous {@code input} along {@code axis}, computed stably
 * (max subtracted, sums in double unless fast math). The input viewed as (outer, len, inner):
 * each of the outer×inner rows is reduced along len.
 * params: {@code outer, len, inner}. CUDA: one block per row (grid-stride over rows).
 */
public record SoftmaxStep(String kernel, boolean wide, int input, int output, int axis, boolean log,
                          String description) implements Step {
    @Override public List<Integer> args() { return List.of(output, input); }

    @Override public List<Integer> writes() { return List.of(output); }

    @Override public long[] params(Program p, Shapes s) {
        int[] sh = s.of(input);
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= sh[i];
        for (int i = axis + 1; i < sh.length; i++) inner *= sh[i];
        return new long[] {outer, sh[axis], inner};
    }

    @Override public long work(Program p, Shapes s) { return s.size(input); }

    @Override public Launch launch(Program p, Shapes s) {
        long[] q = params(p, s);
        return Launch.linear(Math.min(Math.max(1, q[0] * q[2]), 1L << 16), Step.rowThreads(q[1]));
    }

    @Override public String cudaEntry(Program p, Shapes s) {
        return wide && work(p, s) > I32_LIMIT ? kernel + "_i64" : kernel;
    }
}
