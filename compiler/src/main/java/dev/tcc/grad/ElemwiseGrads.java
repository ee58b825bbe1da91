package dev.tcc.grad;

import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.ScalarOp;
import java.util.List;

/**
 * Gradients of elementwise ops. Each operand's gradient is computed at the broadcast result's
 * shape and then summed over the axes the operand was stretched along ({@link GradOps#sumToOperand}).
 *
 * <p>Zero gradient: comparisons, logic, {@code sign floor ceil round}, and the condition of
 * {@code where}. At kinks: {@code abs} and {@code relu} have gradient 0 at 0; {@code maximum} and
 * {@code minimum} split the gradient equally between equal operands; {@code clip} passes the
 * gradient to {@code x} when {@code lo <= x <= hi} (bounds included), to {@code lo} when
 * {@code x < lo} and to {@code hi} when {@code x > hi} (as Theano; with {@code lo > hi} the result
 * is {@code hi} and so is the gradient). {@code pow}'s exponent gradient {@code g·x^y·log x} is taken
 * as 0 where {@code x == 0}.
 */
final class ElemwiseGrads {
    private ElemwiseGrads() {}

    static void registerAll() {
        GradRules.register(Elemwise.class, ElemwiseGrads::grad);
    }

    static Var[] grad(Elemwise op, Node node, List<Var> gOut, boolean[] needed) {
        Var g = gOut.get(0);
        Var z = node.output();
        List<Var> in = node.inputs();
        Var x = in.get(0);
        Var y = in.size() > 1 ? in.get(1) : null;
        Var[] r = new Var[in.size()];
        switch (op.scalar()) {
            // ---- unary
            case NEG: r[0] = T.neg(g); break;
            case ABS: r[0] = T.mul(g, T.sign(x)); break;
            case SQR: r[0] = T.mul(T.mul(g, x), 2); break;
            case RELU: r[0] = T.where(T.gt(x, 0), g, 0); break;
            case IDENTITY: r[0] = g; break;
            case EXP: r[0] = T.mul(g, z); break;
            case LOG: r[0] = T.div(g, x); break;
            case LOG1P: r[0] = T.div(g, T.add(x, 1)); break;
            case EXPM1: r[0] = T.mul(g, T.exp(x)); break;
            case SQRT: r[0] = T.div(T.mul(g, 0.5), z); break;
            case SIN: r[0] = T.mul(g, T.cos(x)); break;
            case COS: r[0] = T.neg(T.mul(g, T.sin(x))); break;
            case TANH: r[0] = T.mul(g, T.sub(1, T.sqr(z))); break;
            case SIGMOID: r[0] = T.mul(T.mul(g, z), T.sub(1, z)); break;
            case SOFTPLUS: r[0] = T.mul(g, T.sigmoid(x)); break;
            case CAST: r[0] = z.dtype().isFloat() ? g : null; break;   // the engine casts g back to x's dtype
            case SIGN: case FLOOR: case CEIL: case ROUND: case NOT:
                break;                                                  // piecewise constant: zero
            // ---- binary
            case ADD:
                r[0] = g;
                r[1] = g;
                break;
            case SUB:
                r[0] = g;
                if (needed[1]) r[1] = T.neg(g);
                break;
            case MUL:
                if (needed[0]) r[0] = T.mul(g, y);
                if (needed[1]) r[1] = T.mul(g, x);
                break;
            case DIV:
                if (needed[0]) r[0] = T.div(g, y);
                if (needed[1]) r[1] = T.neg(T.div(T.mul(g, z), y));
                break;
            case MOD:                                                  // x mod y = x - floor(x / y) * y
                r[0] = g;
                if (needed[1]) r[1] = T.neg(T.mul(g, T.floor(T.div(x, y))));
                break;
            case POW:
                if (needed[0]) r[0] = T.mul(T.mul(g, y), T.pow(x, T.sub(y, 1)));
                if (needed[1]) r[1] = T.mul(g, T.where(T.eq(x, 0), 0, T.mul(z, T.log(x))));
                break;
            case MAXIMUM:
            case MINIMUM: {
                // the larger (smaller) operand takes the gradient; equal operands split it
                boolean max = op.scalar() == ScalarOp.MAXIMUM;
                Var half = T.mul(g, 0.5);
                Var tie = T.eq(x, y);
                if (needed[0]) r[0] = T.where(max ? T.gt(x, y) : T.lt(x, y), g, T.where(tie, half, 0));
                if (needed[1]) r[1] = T.where(max ? T.gt(y, x) : T.lt(y, x), g, T.where(tie, half, 0));
                break;
            }
            case GT: case GE: case LT: case LE: case EQ: case NEQ: case AND: case OR:
                break;
            case SECOND:                                               // second(a, b): a gives only the shape
                r[1] = g;
                break;
            // ---- ternary
            case WHERE:
                if (needed[1]) r[1] = T.where(x, g, 0);
                if (needed[2]) r[2] = T.where(x, 0, g);
                break;
            case CLIP: {
                Var lo = in.get(1), hi = in.get(2);
                if (needed[0]) r[0] = T.where(T.and(T.ge(x, lo), T.le(x, hi)), g, 0);
                if (needed[1]) r[1] = T.where(T.and(T.lt(x, lo), T.le(lo, hi)), g, 0);
                if (needed[2]) r[2] = T.where(T.gt(T.maximum(x, lo), hi), g, 0);
                break;
            }
            default:
                throw new dev.tcc.TccException(node.site() + ": T.grad: no gradient for elementwise " + op.name());
        }
        for (int i = 0; i < r.length; i++) {
            if (!needed[i]) r[i] = null;
            else if (r[i] != null) r[i] = GradOps.sumToOperand(r[i], in.get(i));
        }
        return r;
    }
}
