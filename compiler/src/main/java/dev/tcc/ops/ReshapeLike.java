package dev.tcc.ops;

import dev.tcc.NDArray;
import dev.tcc.TccException;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import java.util.List;

/**
 * The elements of input 0, in C order, with the run-time shape of input 1 (whose values are not
 * read). The gradient of {@link Reshape} and {@link Flatten} is made of this when the input's
 * shape has more than one unknown static size, which a {@code Reshape} with a fixed shape cannot
 * express. Like Reshape, a backend may implement it as a view or a copy.
 */
public record ReshapeLike() implements Op {
    @Override public String name() { return "reshape_like"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        return List.of(new TensorType(in.get(0).dtype(), in.get(1).shape()));
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        int[] shape = in[1].shape();
        if (Broadcasting.size(shape) != in[0].size()) throw new TccException(node.site() + ": reshape_like: "
                + node.input(0).describe() + " has " + in[0].size() + " elements, but the shape " + TensorType.shapeString(shape)
                + " of " + node.input(1).describe() + " needs " + Broadcasting.size(shape));
        return new NDArray[] {in[0].copy().reshape(shape)};
    }
}
