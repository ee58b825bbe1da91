package dev.tcc.codegen.program;

import java.util.List;

/**
 * Part {@code index} of a concatenation (the gradient of concatenate): copies from the C-contiguous
 * {@code whole} the slice along {@code axis} that came from {@code parts[index]}. {@code parts} are
 * read for their shapes only (they locate the slice).
 * params: {@code n, inner, len, total, start} (len: the slice's size along the axis, total: the whole's).
 */
public record SliceStep(String kernel, boolean wide, int whole, List<Integer> parts, int index, int output, int axis,
                        String description) implements Step {
    public SliceStep {
        parts = List.copyOf(parts);
    }

    @Override public List<Integer> args() { return List.of(output, whole); }

    @Override public List<Integer> writes() { return List.of(output); }

    @Override public long[] params(Program p, Shapes s) {
        int[] sh = s.of(whole);
        long inner = 1;
        for (int i = axis + 1; i < sh.length; i++) inner *= sh[i];
        long start = 0;
        for (int k = 0; k < index; k++) start += s.of(parts.get(k))[axis];
        return new long[] {s.size(output), inner, s.of(parts.get(index))[axis], sh[axis], start};
    }

    @Override public long work(Program p, Shapes s) { return s.size(output); }

    @Override public Launch launch(Program p, Shapes s) { return Launch.linear(Step.blocksFor(work(p, s)), THREADS); }

    @Override public String cudaEntry(Program p, Shapes s) {
        return wide && s.size(whole) > I32_LIMIT ? kernel + "_i64" : kernel;
    }
}
