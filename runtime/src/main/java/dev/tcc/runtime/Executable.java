package dev.tcc.runtime;

import dev.tcc.NDArray;
import java.util.List;

/**
 * A function compiled for one backend. {@link #run} takes the call's inputs (already converted and
 * checked against the input types), computes outputs and update values from the values before
 * the call, then assigns all updates, and returns the outputs.
 */
public interface Executable {
    List<NDArray> run(List<NDArray> inputs);

    /** The backend that runs it (for messages and {@code tcc bench}). */
    dev.tcc.Backend backend();

    /**
     * The caller is done with these outputs of the last {@link #run} ({@code Outputs.close()}): a
     * backend may reuse their memory for the next call's outputs. By default nothing happens.
     */
    default void recycle(List<NDArray> outputs) {}
}
