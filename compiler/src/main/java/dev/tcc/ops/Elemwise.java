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

    /** Evaluated as a one-instruction fused program, so fused and unfused nodes round alike. */
    @Override public NDArray[] perform(Node node, NDArray[] in) {
        List<Integer> args = new ArrayList<>();
        for (int i = 0; i < in.length; i++) args.add(i);
        FusedElemwise.Instr one = new FusedElemwise.Instr(scalar, castTo, node.output().dtype(), args);
        return new FusedElemwise(in.length, List.of(one), List.of(0)).perform(node, in);
    }
}
