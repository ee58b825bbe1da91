package dev.tcc;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The outputs of one call, in the order they were declared.
 *
 * <p>Closing them (try-with-resources) tells the function that made them that the caller is done:
 * on the CPU backend its next call writes its outputs into their memory instead of allocating new
 * arrays — in a loop over large outputs, this saves zero-filling and page-faulting fresh memory
 * each call (what numpy's reference counting gives it). After {@code close()} the arrays must not
 * be used: the next call overwrites them. Outputs that are never closed stay valid for good and are
 * garbage collected as usual; closing twice does nothing more.
 * <pre>{@code
 * try (Outputs out = predict.call(x)) {
 *     total += out.get(0).sum();
 * }
 * }</pre>
 */
public final class Outputs extends AbstractList<NDArray> implements AutoCloseable {
    private final List<NDArray> values;
    private final Consumer<List<NDArray>> onClose;
    private boolean closed;

    public Outputs(List<NDArray> values) { this(values, null); }

    /** @param onClose given the arrays when the caller closes these outputs (at most once); may be null */
    public Outputs(List<NDArray> values, Consumer<List<NDArray>> onClose) {
        this.values = List.copyOf(values);
        this.onClose = onClose;
    }

    @Override public NDArray get(int index) { return values.get(index); }

    @Override public int size() { return values.size(); }

    /** The first output as a number; it must have exactly one element. */
    public double scalar() {
        if (values.isEmpty()) throw new TccException("this function has no outputs, so there is no scalar to read");
        return values.get(0).scalar();
    }

    /** Hands the arrays' memory back to the function for its next call; the arrays must not be used afterwards. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        if (onClose != null) onClose.accept(values);
    }
}
