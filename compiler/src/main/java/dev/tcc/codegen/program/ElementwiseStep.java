package dev.tcc.codegen.program;

import java.util.ArrayList;
import java.util.List;

/**
 * A fused elementwise kernel (a FusedElemwise node, a lone Elemwise, or a copy the scheduler
 * inserted): for every element of the iteration space (the shape of {@code outputs[0]}; all outputs
 * share it) it loads the inputs, evaluates a straight-line scalar program, and stores each output.
 * Size-1 constants are inlined as literals and are not inputs.
 *
 * <p>params: {@code n} (elements); then, only if some input is {@link Access#STRIDED}, the iteration
 * shape {@code d0..d(nd-1)}, then for each STRIDED input in order its {@code nd} strides
 * ({@link Program#alignedStrides}).
 *
 * @param wide    whether the CUDA source also has {@code kernel + "_i64"} (64-bit indices)
 * @param inputs  value ids read (may contain a value twice only if the graph does)
 * @param access  how each input is read, parallel to {@code inputs}
 * @param outputs value ids written, all of the same shape
 */
public record ElementwiseStep(String kernel, boolean wide, List<Integer> inputs, List<Access> access,
                              List<Integer> outputs, String description) implements Step {
    public ElementwiseStep {
        inputs = List.copyOf(inputs);
        access = List.copyOf(access);
        outputs = List.copyOf(outputs);
        if (inputs.size() != access.size()) throw new IllegalArgumentException("one access per input");
    }

    @Override public List<Integer> args() {
        List<Integer> a = new ArrayList<>(outputs);
        a.addAll(inputs);
        return List.copyOf(a);
    }

    @Override public List<Integer> writes() { return outputs; }

    public boolean anyStrided() { return access.contains(Access.STRIDED); }

    @Override public long[] params(Program p, Shapes s) {
        int[] shape = s.of(outputs.get(0));
        return iterationParams(p, s, shape, inputs, access);
    }

    /** n, then (if any input is strided) the shape and each strided input's aligned strides. */
    static long[] iterationParams(Program p, Shapes s, int[] shape, List<Integer> inputs, List<Access> access) {
        List<Long> out = new ArrayList<>();
        out.add(Shapes.size(shape));
        if (access.contains(Access.STRIDED)) {
            for (int d : shape) out.add((long) d);
            for (int k = 0; k < inputs.size(); k++)
                if (access.get(k) == Access.STRIDED) for (long st : p.alignedStrides(inputs.get(k), shape, s)) out.add(st);
        }
        long[] r = new long[out.size()];
        for (int i = 0; i < r.length; i++) r[i] = out.get(i);
        return r;
    }

    @Override public long work(Program p, Shapes s) { return s.size(outputs.get(0)); }

    /** Elements a CUDA thread loads before it stores any, in each round of its grid-stride loop. */
    public static final int UNROLL = 4;

    /**
     * Enough threads for {@link #UNROLL} elements each on big arrays (so that every thread keeps
     * that many loads in flight); on smaller ones, a thread per element up to 1024 blocks (eight
     * a multiprocessor on an H100/H200), so that mid-sized arrays still reach every multiprocessor.
     */
    @Override public Launch launch(Program p, Shapes s) {
        long n = work(p, s);
        return Launch.linear(Math.max(Step.blocksFor((n + UNROLL - 1) / UNROLL), Math.min(Step.blocksFor(n), 1024)), THREADS);
    }

    @Override public String cudaEntry(Program p, Shapes s) {
        return wide && work(p, s) > I32_LIMIT ? kernel + "_i64" : kernel;
    }
}
