package dev.tcc.codegen.program;

import dev.tcc.DType;
import java.util.List;

/** An explicit input of the function: name, dtype, static shape (-1 = any size) and creation site. */
public record InputInfo(String name, DType dtype, List<Integer> shape, String site) {
    public InputInfo {
        shape = List.copyOf(shape);
    }
}
