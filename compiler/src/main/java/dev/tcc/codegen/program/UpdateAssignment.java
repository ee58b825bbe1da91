package dev.tcc.codegen.program;

/**
 * How shared variable {@code shared} (a position in {@link Program#shared()}) gets its new value
 * {@code value} (a value id) after all steps ran. Outputs and update values were computed from the
 * old values by then.
 */
public record UpdateAssignment(int shared, int value, Mode mode) {
    public enum Mode {
        /**
         * The step that computes the value wrote it straight into the SHARED buffer (every other
         * reader of the old value runs before that step). Nothing to do after the call.
         */
        IN_PLACE,
        /**
         * The value was written into the variable's SHARED_BACK buffer. After the call, swap the
         * SHARED and SHARED_BACK buffers of the variable (or copy back into SHARED, which is
         * equivalent but slower). Swaps of different variables are independent.
         */
        SWAP
    }
}
