package dev.tcc.codegen.program;

import java.util.ArrayList;
import java.util.List;

/**
 * numpy concatenate of C-contiguous {@code parts} along {@code axis} into {@code output}, converting
 * each part to the output's dtype. Viewing the output as (outer, total, inner):
 * params: {@code n, inner, total, len_0 .. len_(P-1)} (each part's size along the axis).
 */
public record ConcatStep(String kernel, boolean wide, List<Integer> parts, int output, int axis,
                         String description) implements Step {
    public ConcatStep {
        parts = List.copyOf(parts);
    }

    @Override public List<Integer> args() {
        List<Integer> a = new ArrayList<>();
        a.add(output);
        a.addAll(parts);
        return List.copyOf(a);
    }

    @Override public List<Integer> writes() { return List.of(output); }

    @Override public long[] params(Program p, Shapes s) {
        int[] sh = s.of(output);
        long inner = 1;
        for (int i = axis + 1; i < sh.length; i++) inner *= sh[i];
        long[] r = new long[3 + parts.size()];
        r[0] = s.size(output);
        r[1] = inner;
        r[2] = sh[axis];
        for (int k = 0; k < parts.size(); k++) r[3 + k] = s.of(parts.get(k))[axis];
        return r;
    }

    @Override public long work(Program p, Shapes s) { return s.size(output); }

    @Override public Launch launch(Program p, Shapes s) { return Launch.linear(Step.blocksFor(work(p, s)), THREADS); }

    @Override public String cudaEntry(Program p, Shapes s) {
        return wide && work(p, s) > I32_LIMIT ? kernel + "_i64" : kernel;
    }
}
