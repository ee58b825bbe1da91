package dev.tcc.ops;

import dev.tcc.NDArray;
import dev.tcc.TccException;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;

/** numpy's reshape in C order to a fixed shape; one entry may be -1 (inferred). */
public record Reshape(List<Integer> shape) implements Op {
    public Reshape {
        shape = List.copyOf(shape);
        int inferred = 0;
        for (int s : shape) {
            if (s == -1) inferred++;
            else if (s < 0) throw new TypeError("reshape: size " + s + " is not allowed in " + shape + "; sizes are >= 0, with at most one -1");
        }
        if (inferred > 1) throw new TypeError("reshape: only one size may be -1 in " + shape);
    }

    @Override public String name() { return "reshape{" + shape + "}"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        TensorType x = in.get(0);
        int[] out = shape.stream().mapToInt(Integer::intValue).toArray();
        if (x.fullyKnown()) out = resolve(x.shape(), x.toString());
        return List.of(new TensorType(x.dtype(), out));
    }

    /** The concrete shape for an input of this shape; errors name the sizes. */
    public int[] resolve(int[] inShape, String what) {
        long total = 1;
        for (int s : inShape) total *= s;
        long known = 1;
        int minus = -1;
        int[] out = new int[shape.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape.get(i);
            if (out[i] == -1) minus = i; else known *= out[i];
        }
        if (minus >= 0) {
            if (known == 0 || total % known != 0) throw new TypeError("cannot reshape " + what + " of " + total
                    + " elements into " + shape + ": " + total + " is not a multiple of " + known);
            out[minus] = (int) (total / known);
        } else if (known != total) {
            throw new TypeError("cannot reshape " + what + " (" + total + " elements) into " + shape + " (" + known
                    + " elements); the element counts must match");
        }
        return out;
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        int[] out;
        try {
            out = resolve(in[0].shape(), node.input(0).describe() + " of shape " + TensorType.shapeString(in[0].shape()));
        } catch (TypeError e) {
            throw new TccException(node.site() + ": " + e.getMessage());
        }
        return new NDArray[] {in[0].copy().reshape(out)};
    }
}
