package dev.tcc.ops;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.TccException;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.List;

/** numpy's concatenate along {@code axis} (non-negative); the other axes must agree. */
public record Concatenate(int axis) implements Op {
    @Override public String name() { return "concatenate{axis=" + axis + "}"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        if (in.isEmpty()) throw new TypeError("concatenate needs at least one tensor");
        TensorType first = in.get(0);
        int nd = first.ndim();
        if (nd == 0) throw new TypeError("concatenate: scalars cannot be concatenated; make them vectors with dimshuffle('x')");
        int[] out = first.shape();
        DType dt = first.dtype();
        for (int k = 1; k < in.size(); k++) {
            TensorType t = in.get(k);
            if (t.ndim() != nd) throw new TypeError("concatenate: all tensors need rank " + nd + ", operand " + k + " is " + t);
            dt = DType.promote(dt, t.dtype());
            for (int ax = 0; ax < nd; ax++) {
                int a = out[ax], b = t.size(ax);
                if (ax == axis) {
                    out[ax] = a == TensorType.UNKNOWN || b == TensorType.UNKNOWN ? TensorType.UNKNOWN : a + b;
                } else if (a == TensorType.UNKNOWN) {
                    out[ax] = b;
                } else if (b != TensorType.UNKNOWN && a != b) {
                    throw new TypeError("concatenate along axis " + axis + ": operand " + k + " has size " + b + " on axis " + ax
                            + " where the others have " + a + "; all axes but the joined one must match");
                }
            }
        }
        return List.of(new TensorType(dt, out));
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        int[] shape = in[0].shape();
        int total = 0;
        for (int k = 0; k < in.length; k++) {
            int[] s = in[k].shape();
            for (int ax = 0; ax < s.length; ax++)
                if (ax != axis && s[ax] != shape[ax]) throw new TccException("concatenate: operand " + node.input(k).describe()
                        + " has shape " + TensorType.shapeString(s) + ", which does not match " + TensorType.shapeString(shape) + " off axis " + axis);
            total += s[axis];
        }
        int[] outShape = shape.clone();
        outShape[axis] = total;
        NDArray out = NDArray.zeros(node.output().dtype(), outShape);
        int outer = 1, inner = 1;
        for (int ax = 0; ax < axis; ax++) outer *= shape[ax];
        for (int ax = axis + 1; ax < shape.length; ax++) inner *= shape[ax];
        boolean exact = !out.dtype().isFloat();
        int offset = 0;
        for (NDArray part : in) {
            int len = part.shape(axis) * inner;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < len; j++) {
                    int dst = o * total * inner + offset + j, src = o * len + j;
                    if (exact) out.setLongFlat(dst, part.getLongFlat(src)); else out.setFlat(dst, part.getFlat(src));
                }
            offset += len;
        }
        return new NDArray[] {out};
    }
}
