package dev.tcc.ops;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import java.util.ArrayList;
import java.util.List;

/**
 * Several elementwise ops fused into one node: a straight-line scalar program evaluated once per
 * element of the broadcast result. Operand {@code i < nInputs} of an instruction is node input i;
 * operand {@code nInputs + j} is the result of instruction j. {@code outputs} lists the instructions
 * whose values leave the node (several when siblings share inputs). Both code generators render
 * this program; the interpreter evaluates it with the same scalar semantics as {@link Elemwise}.
 */
public record FusedElemwise(int nInputs, List<Instr> program, List<Integer> outputs) implements Op {

    /** One scalar step: {@code op(args...)} with result dtype {@code dtype}; {@code castTo} only for CAST. */
    public record Instr(ScalarOp op, DType castTo, DType dtype, List<Integer> args) {
        public Instr {
            args = List.copyOf(args);
        }
    }

    public FusedElemwise {
        program = List.copyOf(program);
        outputs = List.copyOf(outputs);
        for (int j = 0; j < program.size(); j++)
            for (int a : program.get(j).args())
                if (a < 0 || a >= nInputs + j) throw new IllegalArgumentException("instruction " + j + " reads operand " + a + " before it exists");
    }

    @Override public String name() {
        StringBuilder b = new StringBuilder("fused{");
        for (int j = 0; j < program.size(); j++) b.append(j > 0 ? "," : "").append(program.get(j).op().lowerName());
        return b.append('}').toString();
    }

    @Override public List<TensorType> outputTypes(List<TensorType> in) {
        if (in.size() != nInputs) throw new TypeError("fused kernel takes " + nInputs + " inputs, got " + in.size());
        int[] shape = Broadcasting.staticShape(in);
        List<TensorType> out = new ArrayList<>();
        for (int o : outputs) out.add(new TensorType(program.get(o).dtype(), shape));
        return out;
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
        int n = Broadcasting.size(outShape);
        long[][] strides = new long[in.length][];
        for (int i = 0; i < in.length; i++) strides[i] = Broadcasting.alignedStrides(shapes[i], outShape);
        NDArray[] out = new NDArray[outputs.size()];
        for (int k = 0; k < out.length; k++) out[k] = NDArray.zeros(program.get(outputs.get(k)).dtype(), outShape);

        int slots = nInputs + program.size();
        double[] dv = new double[slots];
        long[] lv = new long[slots];
        boolean[] isInt = new boolean[slots];
        for (int i = 0; i < nInputs; i++) isInt[i] = !in[i].dtype().isFloat();
        for (int j = 0; j < program.size(); j++) isInt[nInputs + j] = !program.get(j).dtype().isFloat();

        int[] idx = new int[outShape.length];
        long[] off = new long[in.length];
        for (int flat = 0; flat < n; flat++) {
            for (int i = 0; i < nInputs; i++) {
                if (isInt[i]) { lv[i] = in[i].getLongFlat((int) off[i]); dv[i] = lv[i]; }
                else dv[i] = in[i].getFlat((int) off[i]);
            }
            for (int j = 0; j < program.size(); j++) evalInstr(program.get(j), nInputs + j, dv, lv, isInt);
            for (int k = 0; k < out.length; k++) {
                int s = nInputs + outputs.get(k);
                if (isInt[s]) out[k].setLongFlat(flat, lv[s]); else out[k].setFlat(flat, dv[s]);
            }
            for (int ax = outShape.length - 1; ax >= 0; ax--) {
                idx[ax]++;
                for (int i = 0; i < in.length; i++) off[i] += strides[i][ax];
                if (idx[ax] < outShape[ax]) break;
                for (int i = 0; i < in.length; i++) off[i] -= strides[i][ax] * outShape[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    /** Same rounding as a chain of unfused {@link Elemwise} nodes: each result is rounded to its dtype. */
    private static void evalInstr(Instr ins, int slot, double[] dv, long[] lv, boolean[] isInt) {
        List<Integer> a = ins.args();
        boolean integer = ins.op().hasIntegerForm() && isInt[slot];
        for (int x : a) integer &= isInt[x];
        if (integer) {
            long r = ins.op().evalLong(lv[a.get(0)], a.size() > 1 ? lv[a.get(1)] : 0, a.size() > 2 ? lv[a.get(2)] : 0);
            r = Rounding.wrap(r, ins.dtype());
            lv[slot] = r;
            dv[slot] = r;
        } else {
            double r = ins.op().eval(dv[a.get(0)], a.size() > 1 ? dv[a.get(1)] : 0, a.size() > 2 ? dv[a.get(2)] : 0);
            if (isInt[slot]) { lv[slot] = Rounding.toLong(r, ins.dtype()); dv[slot] = lv[slot]; }
            else dv[slot] = Rounding.toFloat(r, ins.dtype());
        }
    }
}
