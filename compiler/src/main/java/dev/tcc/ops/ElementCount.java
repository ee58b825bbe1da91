package dev.tcc.ops;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import java.util.List;

/**
 * The number of elements of the input over {@code axes} (its run-time sizes multiplied), as a
 * scalar of {@code dtype}. Used where a count depends on run-time shapes, e.g. the gradient of mean.
 */
public record ElementCount(List<Integer> axes, DType dtype) implements Op {
    public ElementCount {
        axes = List.copyOf(axes);
    }

    @Override public String name() { return "count{axes=" + axes + "}"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) { return List.of(new TensorType(dtype)); }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        long n = 1;
        for (int a : axes) n *= in[0].shape(a);
        return new NDArray[] {NDArray.scalar(dtype, n)};
    }
}
