package dev.tcc.lang;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.Var;
import java.util.ArrayList;
import java.util.List;

/** The arguments of one call, already checked against the chosen overload's parameter kinds. */
final class Args {
    private final List<Object> values;
    private final List<SourceFile.Pos> places;
    final Evaluator ctx;
    /** Where the call was written (its name). */
    final SourceFile.Pos place;

    Args(List<Object> values, List<SourceFile.Pos> places, Evaluator ctx, SourceFile.Pos place) {
        this.values = values;
        this.places = places;
        this.ctx = ctx;
        this.place = place;
    }

    int size() { return values.size(); }
    Object get(int i) { return values.get(i); }
    SourceFile.Pos place(int i) { return places.get(i); }

    Var var(int i) { return (Var) values.get(i); }
    SharedVar shared(int i) { return (SharedVar) values.get(i); }
    /** A tensor or a Java number (Integer, Long or Double: a weak scalar). */
    Object operand(int i) { return values.get(i); }
    Number number(int i) { return (Number) values.get(i); }
    double dbl(int i) { return ((Number) values.get(i)).doubleValue(); }
    int integer(int i) { return ((Number) values.get(i)).intValue(); }
    long lng(int i) { return ((Number) values.get(i)).longValue(); }
    boolean bool(int i) { return (Boolean) values.get(i); }
    String str(int i) { return (String) values.get(i); }
    DType dtype(int i) { return (DType) values.get(i); }

    /** An array argument, or a number as a 0-d array of {@code dtype}. */
    NDArray array(int i, DType dtype) {
        Object v = values.get(i);
        return v instanceof NDArray a ? a : NDArray.scalar(dtype, ((Number) v).doubleValue());
    }

    /** The int arguments from index {@code from} (inclusive) to {@code to} (exclusive). */
    int[] ints(int from, int to) {
        int[] r = new int[Math.max(0, to - from)];
        for (int i = from; i < to; i++) r[i - from] = integer(i);
        return r;
    }

    int[] ints(int from) { return ints(from, size()); }

    List<Var> vars(int from, int to) {
        List<Var> r = new ArrayList<>();
        for (int i = from; i < to; i++) r.add(var(i));
        return r;
    }

    List<Var> vars(int from) { return vars(from, size()); }

    List<Object> slice(int from, int to) { return new ArrayList<>(values.subList(from, to)); }
}
