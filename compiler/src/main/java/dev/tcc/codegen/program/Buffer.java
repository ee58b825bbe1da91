package dev.tcc.codegen.program;

import dev.tcc.DType;
import java.util.List;

/**
 * A piece of storage a backend allocates or binds. Values ({@link Value#buffer()}) live in buffers;
 * several values may share one (aliases such as reshapes, and temporaries whose lifetimes do not
 * overlap). A buffer's size for a call is {@link Program#bufferBytes(int, Shapes)}.
 *
 * @param id     position in {@link Program#buffers()}
 * @param kind   what it is and who owns it
 * @param name   for messages and generated comments
 * @param dtype  element type; null for {@link Kind#TEMP}, which may hold values of several dtypes in turn
 * @param index  for INPUT the input's position, for SHARED/SHARED_BACK the position in
 *               {@link Program#shared()}, for OUTPUT the output's position; -1 otherwise
 * @param data   the contents of a CONSTANT buffer (upload once); null otherwise
 */
public record Buffer(int id, Kind kind, String name, DType dtype, int index, ConstantData data) {
    public enum Kind {
        /** The caller's argument {@code index}; read-only. */
        INPUT,
        /** The current value of shared variable {@code index}; resident on the device between calls. */
        SHARED,
        /**
         * The second buffer of shared variable {@code index} (same dtype and shape), written by the
         * steps when its update cannot be done in place; after the call the backend swaps it with
         * the SHARED buffer ({@link UpdateAssignment.Mode#SWAP}). Persistent, never reused for temporaries.
         */
        SHARED_BACK,
        /** Read-only data ({@link Buffer#data()}), uploaded once. */
        CONSTANT,
        /** Scratch memory for intermediate values; reused by liveness; its size may change per call. */
        TEMP,
        /** Output {@code index}: allocated fresh for each call and handed to the caller. */
        OUTPUT
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isTemp() { return kind == Kind.TEMP; }

    /** Shape of a buffer whose shape is fixed (SHARED, SHARED_BACK, CONSTANT); else null. */
    public List<Integer> fixedShape(Program p) {
        return switch (kind) {
            case SHARED, SHARED_BACK -> p.shared().get(index).shape();
            case CONSTANT -> data.shape();
            default -> null;
        };
    }
}
