package dev.tcc.ops;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.ArrayList;
import java.util.List;

/** An elementwise application of one scalar op, with broadcasting. {@code castTo} is set only for CAST. */
public record Elemwise(ScalarOp scalar, DType castTo) implements Op {
    public Elemwise {
        if ((scalar == ScalarOp.CAST) != (castTo != null)) throw new IllegalArgumentException("castTo is for CAST only");
    }

    public static Elemwise of(ScalarOp op) { return new Elemwise(op, null); }

    public static Elemwise cast(DType to) { return new Elemwise(ScalarOp.CAST, to); }

    @Override public String name() { return castTo == null ? scalar.lowerName() : "cast{" + castTo + "}"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        if (in.size() != scalar.arity) throw new TypeError(name() + " takes " + scalar.arity + " operands, got " + in.size());
        DType[] dts = new DType[in.size()];
        for (int i = 0; i < dts.length; i++) dts[i] = in.get(i).dtype();
        checkOperands(dts);
        return List.of(new TensorType(scalar.outDtype(castTo, dts), Broadcasting.staticShape(in)));
    }

    private void checkOperands(DType[] dts) {
        if (scalar == ScalarOp.SUB && dts[0] == DType.BOOL && dts[1] == DType.BOOL)
            throw new TypeError("subtracting bool tensors is not allowed (numpy refuses it too); use neq for xor, or cast to an integer dtype");
    }

    @Override public NDArray[] perform(Node node, NDArray[] in) {
        List<TensorType> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[][] shapes = new int[in.length][];
        for (int i = 0; i < in.length; i++) {
            types.add(node.input(i).type());
            names.add(node.input(i).describe());
            shapes[i] = in[i].shape();
        }
        int[] outShape = Broadcasting.runtimeShape(types, shapes, names);
        DType outType = node.output().dtype();
        int n = Broadcasting.size(outShape);
        long[][] strides = new long[in.length][];
        for (int i = 0; i < in.length; i++) strides[i] = Broadcasting.alignedStrides(shapes[i], outShape);
        NDArray out = NDArray.zeros(outType, outShape);
        boolean integerPath = scalar.hasIntegerForm() && outType != DType.FLOAT32 && outType != DType.FLOAT64 && allIntegral(in);
        int[] idx = new int[outShape.length];
        long[] off = new long[in.length];
        for (int flat = 0; flat < n; flat++) {
            if (integerPath) {
                long a = in[0].getLongFlat((int) off[0]);
                long b = in.length > 1 ? in[1].getLongFlat((int) off[1]) : 0;
                long c = in.length > 2 ? in[2].getLongFlat((int) off[2]) : 0;
                long r = scalar.evalLong(a, b, c);
                if (outType == DType.INT32) r = (int) r;       // wrap like C/numpy int32
                out.setLongFlat(flat, r);
            } else {
                double a = in[0].getFlat((int) off[0]);
                double b = in.length > 1 ? in[1].getFlat((int) off[1]) : 0;
                double c = in.length > 2 ? in[2].getFlat((int) off[2]) : 0;
                out.setFlat(flat, scalar.eval(a, b, c));
            }
            // advance the multi-index and each operand's offset (odometer order = C order)
            for (int ax = outShape.length - 1; ax >= 0; ax--) {
                idx[ax]++;
                for (int i = 0; i < in.length; i++) off[i] += strides[i][ax];
                if (idx[ax] < outShape[ax]) break;
                for (int i = 0; i < in.length; i++) off[i] -= strides[i][ax] * outShape[ax];
                idx[ax] = 0;
            }
        }
        return new NDArray[] {out};
    }

    private static boolean allIntegral(NDArray[] in) {
        for (NDArray a : in) if (a.dtype().isFloat()) return false;
        return true;
    }
}
