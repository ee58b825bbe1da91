package dev.tcc.codegen.program;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tcc.TccException;
import dev.tcc.ir.TensorType;
import dev.tcc.ir.TypeError;
import dev.tcc.ops.Broadcasting;
import dev.tcc.ops.ReduceKind;
import java.util.ArrayList;
import java.util.List;

/**
 * How a value's run-time shape follows from the call: from an input's shape, or from the shapes
 * of earlier values. This is how one Program serves every input shape without recompiling; the
 * kernels take the sizes as launch parameters. Rules also check what the types could not (sizes
 * known only at run time) and throw a {@link TccException} naming the value and its creation site.
 * In JSON a rule is an object whose {@code "rule"} field names the kind.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "rule")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ShapeRule.Input.class, name = "input"),
    @JsonSubTypes.Type(value = ShapeRule.Fixed.class, name = "fixed"),
    @JsonSubTypes.Type(value = ShapeRule.Broadcast.class, name = "broadcast"),
    @JsonSubTypes.Type(value = ShapeRule.Reduced.class, name = "reduced"),
    @JsonSubTypes.Type(value = ShapeRule.MatMul.class, name = "matmul"),
    @JsonSubTypes.Type(value = ShapeRule.Permute.class, name = "permute"),
    @JsonSubTypes.Type(value = ShapeRule.Reshape.class, name = "reshape"),
    @JsonSubTypes.Type(value = ShapeRule.Flatten.class, name = "flatten"),
    @JsonSubTypes.Type(value = ShapeRule.ReshapeLike.class, name = "reshape_like"),
    @JsonSubTypes.Type(value = ShapeRule.Same.class, name = "same"),
    @JsonSubTypes.Type(value = ShapeRule.Concat.class, name = "concat"),
})
public sealed interface ShapeRule {

    /** The shape; {@code shapes[v]} is set for every value v with a smaller id than {@code self}. */
    int[] eval(Program p, int[][] shapes, Value self);

    /** Shape of call input {@code input} (its rank and static sizes are checked). */
    record Input(int input) implements ShapeRule {
        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            throw new IllegalStateException("input shapes are bound by Program.shapes");
        }
    }

    /** A shape known when the program was built (shared variables, constants, scalars). */
    record Fixed(List<Integer> shape) implements ShapeRule {
        public Fixed { shape = List.copyOf(shape); }

        @Override public int[] eval(Program p, int[][] shapes, Value self) { return Shapes.unboxed(shape); }
    }

    /**
     * numpy broadcasting of the operands' shapes, left-padded with 1s to {@code rank} (operands
     * inlined into the kernel as literals have size 1 and only contribute rank). Only axes whose
     * static size is 1 stretch (DESIGN.md §4 / {@link Broadcasting}).
     */
    record Broadcast(List<Integer> operands, int rank) implements ShapeRule {
        public Broadcast { operands = List.copyOf(operands); }

        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            List<TensorType> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            int[][] sh = new int[operands.size()][];
            for (int k = 0; k < operands.size(); k++) {
                Value v = p.values().get(operands.get(k));
                types.add(new TensorType(v.dtype(), Shapes.unboxed(v.staticShape())));
                names.add(Program.describe(v));
                sh[k] = shapes[v.id()];
            }
            int[] b;
            try {
                b = Broadcasting.runtimeShape(types, sh, names);
            } catch (TccException e) {
                throw new TccException(self.site() + ": " + e.getMessage(), e);
            }
            int[] out = new int[rank];
            java.util.Arrays.fill(out, 1);
            System.arraycopy(b, 0, out, rank - b.length, b.length);
            return out;
        }
    }

    /** A reduction's result over {@code axes} of {@code operand}; max/min/argmax/argmin of nothing are refused. */
    record Reduced(int operand, ReduceKind kind, List<Integer> axes, boolean keepdims) implements ShapeRule {
        public Reduced { axes = List.copyOf(axes); }

        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            int[] s = shapes[operand];
            long n = Shapes.size(s);
            int[] out = new int[keepdims ? s.length : s.length - axes.size()];
            long outSize = 1;
            for (int i = 0, j = 0; i < s.length; i++) {
                if (axes.contains(i)) { if (keepdims) out[j++] = 1; }
                else { out[j++] = s[i]; outSize *= s[i]; }
            }
            if (n == 0 && outSize > 0 && (kind == ReduceKind.MAX || kind == ReduceKind.MIN || kind.isArg()))
                throw new TccException(self.site() + ": " + kind.lowerName() + " of an empty array (shape "
                        + TensorType.shapeString(s) + ") has no identity; numpy refuses it too");
            return out;
        }
    }

    /** numpy dot (ranks 1 and 2) or matmul of stacks (equal ranks >= 3, batch axes broadcast). */
    record MatMul(int a, int b) implements ShapeRule {
        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            int[] as = shapes[a], bs = shapes[b];
            int k = as[as.length - 1];
            int kb = bs.length == 1 ? bs[0] : bs[bs.length - 2];
            if (k != kb) throw new TccException(self.site() + ": dot: shapes " + TensorType.shapeString(as) + " and "
                    + TensorType.shapeString(bs) + " are not aligned at run time: " + k + " != " + kb
                    + " (operands " + Program.describe(p.values().get(a)) + " and " + Program.describe(p.values().get(b)) + ")");
            if (as.length <= 2 && bs.length <= 2) {
                if (as.length == 1 && bs.length == 1) return new int[0];
                if (as.length == 2 && bs.length == 1) return new int[] {as[0]};
                if (as.length == 1) return new int[] {bs[1]};
                return new int[] {as[0], bs[1]};
            }
            int nd = as.length;
            int[] out = new int[nd];
            for (int i = 0; i < nd - 2; i++) {
                if (as[i] != bs[i] && as[i] != 1 && bs[i] != 1) throw new TccException(self.site()
                        + ": matmul: batch axis " + i + " has sizes " + as[i] + " and " + bs[i]);
                out[i] = as[i] == 1 ? bs[i] : as[i];
            }
            out[nd - 2] = as[nd - 2];
            out[nd - 1] = bs[nd - 1];
            return out;
        }
    }

    /** Theano's dimshuffle: output axis i is input axis {@code pattern[i]}, or a new size-1 axis for -1. */
    record Permute(int operand, List<Integer> pattern) implements ShapeRule {
        public Permute { pattern = List.copyOf(pattern); }

        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            int[] s = shapes[operand];
            for (int a = 0; a < s.length; a++)
                if (!pattern.contains(a) && s[a] != 1) throw new TccException(self.site() + ": dimshuffle drops axis " + a
                        + " of " + Program.describe(p.values().get(operand)) + " whose run-time size is " + s[a]);
            int[] out = new int[pattern.size()];
            for (int i = 0; i < out.length; i++) out[i] = pattern.get(i) < 0 ? 1 : s[pattern.get(i)];
            return out;
        }
    }

    /** numpy reshape in C order; one size may be -1. */
    record Reshape(int operand, List<Integer> shape) implements ShapeRule {
        public Reshape { shape = List.copyOf(shape); }

        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            try {
                return new dev.tcc.ops.Reshape(shape).resolve(shapes[operand],
                        Program.describe(p.values().get(operand)) + " of shape " + TensorType.shapeString(shapes[operand]));
            } catch (TypeError e) {
                throw new TccException(self.site() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Theano's flatten(x, ndim). */
    record Flatten(int operand, int ndim) implements ShapeRule {
        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            return new dev.tcc.ops.Flatten(ndim).resolve(shapes[operand]);
        }
    }

    /** The shape of {@code like} for the elements of {@code operand} (gradients of reshapes); counts must match. */
    record ReshapeLike(int operand, int like) implements ShapeRule {
        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            int[] s = shapes[like];
            if (Shapes.size(s) != Shapes.size(shapes[operand])) throw new TccException(self.site() + ": reshape_like: "
                    + Program.describe(p.values().get(operand)) + " has " + Shapes.size(shapes[operand]) + " elements, but the shape "
                    + TensorType.shapeString(s) + " of " + Program.describe(p.values().get(like)) + " needs " + Shapes.size(s));
            return s.clone();
        }
    }

    /** The operand's shape (softmax, copies, identities, a concatenation's part). */
    record Same(int operand) implements ShapeRule {
        @Override public int[] eval(Program p, int[][] shapes, Value self) { return shapes[operand].clone(); }
    }

    /** numpy concatenate along {@code axis}. */
    record Concat(List<Integer> operands, int axis) implements ShapeRule {
        public Concat { operands = List.copyOf(operands); }

        @Override public int[] eval(Program p, int[][] shapes, Value self) {
            int[] first = shapes[operands.get(0)];
            int[] out = first.clone();
            out[axis] = 0;
            for (int v : operands) {
                int[] s = shapes[v];
                for (int ax = 0; ax < s.length; ax++)
                    if (ax != axis && s[ax] != first[ax]) throw new TccException(self.site() + ": concatenate: operand "
                            + Program.describe(p.values().get(v)) + " has shape " + TensorType.shapeString(s)
                            + ", which does not match " + TensorType.shapeString(first) + " off axis " + axis);
                out[axis] += s[axis];
            }
            return out;
        }
    }
}
