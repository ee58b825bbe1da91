package dev.tcc.codegen.program;

import dev.tcc.DType;
import java.util.List;

/**
 * A shared variable the program reads or updates. The backend binds position i of
 * {@link Program#shared()} to the i-th SharedVar of {@code Schedule.Result#sharedVars()} (or, for a
 * program loaded from JSON, to a variable it makes from {@code initial}).
 *
 * @param initial its value when the program was built, or null when not embedded
 */
public record SharedInfo(String name, DType dtype, List<Integer> shape, String site, ConstantData initial) {
    public SharedInfo {
        shape = List.copyOf(shape);
    }
}
