package dev.tcc.codegen.program;

import dev.tcc.ops.ReduceKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A reduction over {@code axes} of {@code source}, whose elements are computed on the fly by a
 * fused elementwise prologue from {@code inputs} (without a prologue: {@code inputs = [source]} and
 * the prologue is the identity). {@code source} may be a value that is never stored (buffer -1).
 * The kernel visits, for each output element, the reduced sub-array in C order; float32 sums and
 * products accumulate in double unless fast math is on; argmax/argmin return the first extreme
 * (the first NaN if any), as numpy does.
 *
 * <p>params: {@code outSize, redSize}, the source shape {@code d0..d(nd-1)}, then for each
 * STRIDED input its {@code nd} strides aligned to the source shape.
 * CUDA: one block per output element (grid-stride over outputs), warp-shuffle tree in the block.
 */
public record ReduceStep(String kernel, boolean wide, ReduceKind reduceKind, List<Integer> axes, boolean keepdims,
                         int source, List<Integer> inputs, List<Access> access, int output,
                         String description) implements Step {
    public ReduceStep {
        axes = List.copyOf(axes);
        inputs = List.copyOf(inputs);
        access = List.copyOf(access);
    }

    @Override public List<Integer> args() {
        List<Integer> a = new ArrayList<>();
        a.add(output);
        a.addAll(inputs);
        return List.copyOf(a);
    }

    @Override public List<Integer> writes() { return List.of(output); }

    /** Number of elements each output element reduces. */
    public long reducedSize(Shapes s) {
        int[] sh = s.of(source);
        long r = 1;
        for (int a : axes) r *= sh[a];
        return r;
    }

    @Override public long[] params(Program p, Shapes s) {
        int[] sh = s.of(source);
        List<Long> out = new ArrayList<>();
        out.add(s.size(output));
        out.add(reducedSize(s));
        for (int d : sh) out.add((long) d);
        for (int k = 0; k < inputs.size(); k++)
            if (access.get(k) == Access.STRIDED) for (long st : p.alignedStrides(inputs.get(k), sh, s)) out.add(st);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Override public long work(Program p, Shapes s) { return s.size(output); }

    @Override public Launch launch(Program p, Shapes s) {
        return Launch.linear(Math.min(Math.max(1, s.size(output)), 1L << 16), Step.rowThreads(reducedSize(s)));
    }

    @Override public String cudaEntry(Program p, Shapes s) {
        return wide && s.size(source) > I32_LIMIT ? kernel + "_i64" : kernel;
    }
}
