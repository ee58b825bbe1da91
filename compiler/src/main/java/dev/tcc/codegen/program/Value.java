package dev.tcc.codegen.program;

import dev.tcc.DType;
import java.util.List;

/**
 * A tensor of the program: a graph variable (input, shared, constant or computed) or a copy the
 * scheduler made. Values are listed in topological order: a value's {@link ShapeRule} and producing
 * step only refer to values with smaller ids.
 *
 * @param id          position in {@link Program#values()}
 * @param name        the variable's name, else a made-up one such as {@code t12}
 * @param dtype       element type
 * @param staticShape sizes known when the program was built; -1 where only the call knows
 * @param shape       how to compute the run-time shape from other values' shapes
 * @param buffer      where its elements live, or -1 for a value that is never stored (an
 *                    intermediate fused into the kernel that reads it, e.g. a reduction's prologue)
 * @param contiguous  true when its elements are stored C-contiguous from the start of the buffer;
 *                    false for a strided view (a {@link ShapeRule.Permute} of another value, sharing
 *                    its buffer; see {@link Program#strides(int, Shapes)})
 * @param site        where the variable was made (file:line), or "" when unknown
 */
public record Value(int id, String name, DType dtype, List<Integer> staticShape, ShapeRule shape,
                    int buffer, boolean contiguous, String site) {
    public Value {
        staticShape = List.copyOf(staticShape);
    }

    public int ndim() { return staticShape.size(); }

    /** Whether it is stored (not fused away). */
    public boolean stored() { return buffer >= 0; }
}
