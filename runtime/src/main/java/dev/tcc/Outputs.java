package dev.tcc;

import java.util.AbstractList;
import java.util.List;

/** The outputs of one call, in the order they were declared. */
public final class Outputs extends AbstractList<NDArray> {
    private final List<NDArray> values;

    public Outputs(List<NDArray> values) { this.values = List.copyOf(values); }

    @Override public NDArray get(int index) { return values.get(index); }

    @Override public int size() { return values.size(); }

    /** The first output as a number; it must have exactly one element. */
    public double scalar() {
        if (values.isEmpty()) throw new TccException("this function has no outputs, so there is no scalar to read");
        return values.get(0).scalar();
    }
}
