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
 * CUDA: one block per output element (grid-stride over outputs), warp-shuffle tree in the block;
 * many-output column reductions: 32 outputs a block ({@link #columns}).
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

    /**
     * Whether the reduced axes lead the source and it is read contiguously, so that output o's
     * elements are {@code r * outSize + o} (a column sum, such as a bias gradient): then the CUDA
     * source also has a {@code _cols} entry, and the C kernel walks rows for blocks of outputs.
     */
    public boolean columns(Program p) {
        int nd = p.value(source).ndim();
        boolean prefix = true, suffix = true;
        for (int i = 0; i < axes.size(); i++) {
            prefix &= axes.get(i) == i;
            suffix &= axes.get(i) == nd - axes.size() + i;
        }
        return !access.contains(Access.STRIDED) && prefix && !suffix;
    }

    /**
     * Column reductions with at least this many outputs use the {@code _cols} entry (32 adjacent
     * outputs a block, its 8 warps splitting the rows, every read coalesced); with fewer, 32-wide
     * blocks would leave most of a big GPU idle, and a block per output (strided reads) is used.
     * 4096 outputs make 128 blocks, about one per multiprocessor of an H100/H200.
     */
    public static final long COLUMN_OUTPUTS = 4096;

    private boolean columnEntry(Program p, Shapes s) { return columns(p) && s.size(output) >= COLUMN_OUTPUTS; }

    @Override public Launch launch(Program p, Shapes s) {
        if (columnEntry(p, s)) return Launch.linear(Math.min((s.size(output) + 31) / 32, 1L << 16), 256);
        return Launch.linear(Math.min(Math.max(1, s.size(output)), 1L << 16), Step.rowThreads(reducedSize(s)));
    }

    @Override public String cudaEntry(Program p, Shapes s) {
        String entry = columnEntry(p, s) ? kernel + "_cols" : kernel;
        return wide && s.size(source) > I32_LIMIT ? entry + "_i64" : entry;
    }
}
