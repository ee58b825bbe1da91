package dev.tcc.codegen;

import dev.tcc.DType;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.ScalarOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Renders a {@link ScalarProgram} as straight-line C statements, one per slot, for either target:
 * the only target differences come from the {@link Dialect}. Semantics follow the reference
 * interpreter ({@link FusedElemwise#perform}): an instruction whose operands and result are
 * integers (and whose op has an integer form) is computed in 64-bit two's complement and wrapped
 * to its dtype; any other is computed in its float result type (or in the operands' float type for
 * comparisons, or in double when a float is converted to an integer) and converted to its dtype.
 * Each statement carries a comment naming the op and where it was written.
 */
final class ScalarRenderer {
    private final Dialect d;

    ScalarRenderer(Dialect d) { this.d = d; }

    static String slot(int s) { return "v" + s; }

    /**
     * @param load   expression reading kernel input k at the current element
     * @param stores lvalue for each output of the program, or null to store nothing (a prologue)
     */
    List<String> render(ScalarProgram p, IntFunction<String> load, List<String> stores) {
        List<String> lines = new ArrayList<>();
        int nOps = p.operands().size();
        for (int s = 0; s < nOps; s++) {
            ScalarProgram.Operand o = p.operands().get(s);
            String t = d.type(o.dtype());
            if (o instanceof ScalarProgram.In in) {
                lines.add(stmt("const " + t + " " + slot(s) + " = " + load.apply(in.input()) + ";",
                        "'" + in.name() + "' (input " + in.input() + ")"));
            } else {
                ScalarProgram.Literal l = (ScalarProgram.Literal) o;
                lines.add(stmt("const " + t + " " + slot(s) + " = " + d.literal(l.dtype(), l.value(), l.bits()) + ";",
                        "constant made at " + l.site()));
            }
        }
        for (int j = 0; j < p.instrs().size(); j++) {
            FusedElemwise.Instr ins = p.instrs().get(j);
            int s = nOps + j;
            String what = (ins.op() == ScalarOp.CAST ? "cast{" + ins.castTo() + "}" : ins.op().lowerName()) + " at " + p.instrSites().get(j);
            int outIndex = p.outputs().indexOf(s);
            if (outIndex >= 0) what += " -> '" + p.outputNames().get(outIndex) + "'";
            lines.add(stmt("const " + d.type(ins.dtype()) + " " + slot(s) + " = " + expr(p, ins) + ";", what));
        }
        if (stores != null)
            for (int k = 0; k < p.outputs().size(); k++)
                lines.add(stmt(stores.get(k) + " = " + slot(p.outputs().get(k)) + ";", "store '" + p.outputNames().get(k) + "'"));
        return lines;
    }

    private static String stmt(String code, String comment) {
        StringBuilder b = new StringBuilder(code);
        int pad = Math.max(1, 56 - code.length());
        b.append(" ".repeat(pad)).append("// ").append(comment.replace("*/", "* /").replace('\n', ' '));
        return b.toString();
    }

    /** {@code expr} of dtype {@code from} as a value of dtype {@code to}. */
    String convert(String expr, DType from, DType to) {
        if (from == to) return expr;
        if (to == DType.BOOL) return "(" + expr + " != 0)";
        if (to == DType.INT32 && from.isFloat()) return "((int32_t)(int64_t)" + expr + ")";   // like Java's (int)(long)v
        return "((" + d.type(to) + ")" + expr + ")";
    }

    /** The instruction's value as an expression of its dtype. */
    String expr(ScalarProgram p, FusedElemwise.Instr ins) {
        ScalarOp op = ins.op();
        DType r = ins.dtype();
        List<Integer> a = ins.args();
        boolean integer = op.hasIntegerForm() && !r.isFloat();
        for (int x : a) integer &= !p.slotType(x).isFloat();
        DType ct;
        if (integer) ct = DType.INT64;
        else if (op.isPredicate()) {
            ct = p.slotType(a.get(0));
            for (int x : a) ct = DType.promote(ct, p.slotType(x));
            if (!ct.isFloat()) ct = DType.FLOAT64;
        } else if (r.isFloat()) ct = r;
        else ct = DType.FLOAT64;
        String[] v = new String[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = convert(slot(a.get(i)), p.slotType(a.get(i)), ct);
        String e = anyTypeExpr(op, v, a);
        if (e == null) e = integer ? integerExpr(op, v, a, p) : floatExpr(op, ct, v, a, p);
        DType produced = op.isPredicate() ? DType.BOOL : ct;
        if (op == ScalarOp.SECOND) produced = ct;
        return convert(e, produced, r);
    }

    /** Comparisons, logic and selection: the same C in every computation type; null for other ops. */
    private String anyTypeExpr(ScalarOp op, String[] v, List<Integer> args) {
        switch (op) {
            case NOT: return "(" + v[0] + " == 0)";
            case GT: return "(" + v[0] + " > " + v[1] + ")";
            case GE: return "(" + v[0] + " >= " + v[1] + ")";
            case LT: return "(" + v[0] + " < " + v[1] + ")";
            case LE: return "(" + v[0] + " <= " + v[1] + ")";
            case EQ: return "(" + v[0] + " == " + v[1] + ")";
            case NEQ: return "(" + v[0] + " != " + v[1] + ")";
            case AND: return "(" + v[0] + " != 0 && " + v[1] + " != 0)";
            case OR: return "(" + v[0] + " != 0 || " + v[1] + " != 0)";
            case SECOND: return v[1];
            case WHERE: return "(" + slot(args.get(0)) + " != 0 ? " + v[1] + " : " + v[2] + ")";
            default: return null;
        }
    }

    private String integerExpr(ScalarOp op, String[] v, List<Integer> args, ScalarProgram p) {
        String u = "(uint64_t)";
        switch (op) {
            case NEG: return "((int64_t)(0ULL - " + u + v[0] + "))";
            case ABS: return "(" + v[0] + " < 0 ? (int64_t)(0ULL - " + u + v[0] + ") : " + v[0] + ")";
            case SIGN: return "((int64_t)((" + v[0] + " > 0) - (" + v[0] + " < 0)))";
            case SQR: return "((int64_t)(" + u + v[0] + " * " + u + v[0] + "))";
            case RELU: return "(" + v[0] + " > 0 ? " + v[0] + " : 0LL)";
            case FLOOR: case CEIL: case ROUND: case IDENTITY: case CAST: return v[0];
            case ADD: return "((int64_t)(" + u + v[0] + " + " + u + v[1] + "))";
            case SUB: return "((int64_t)(" + u + v[0] + " - " + u + v[1] + "))";
            case MUL: return "((int64_t)(" + u + v[0] + " * " + u + v[1] + "))";
            case MOD: return "tcc_mod_i64(" + v[0] + ", " + v[1] + ")";
            case POW: return "tcc_pow_i64(" + v[0] + ", " + v[1] + ")";
            case MAXIMUM: return "tcc_max_i64(" + v[0] + ", " + v[1] + ")";
            case MINIMUM: return "tcc_min_i64(" + v[0] + ", " + v[1] + ")";
            case CLIP: return "tcc_min_i64(tcc_max_i64(" + v[0] + ", " + v[1] + "), " + v[2] + ")";
            default: throw new AssertionError(op + " has no integer form");
        }
    }

    private String floatExpr(ScalarOp op, DType ct, String[] v, List<Integer> args, ScalarProgram p) {
        String sx = Dialect.suffix(ct);
        String zero = d.literal(ct, 0, 0), one = d.literal(ct, 1, 1);
        switch (op) {
            case NEG: return "(-" + v[0] + ")";
            case ABS: case FLOOR: case CEIL: case ROUND: case EXP: case LOG: case LOG1P: case EXPM1:
            case SQRT: case SIN: case COS: case TANH:
                return d.math(op, ct) + "(" + v[0] + ")";
            case SIGN: return "(" + v[0] + " > " + zero + " ? " + one + " : (" + v[0] + " < " + zero + " ? -" + one + " : " + v[0] + "))";
            case SQR: return "(" + v[0] + " * " + v[0] + ")";
            case RELU: return "((" + v[0] + " > " + zero + " || " + v[0] + " != " + v[0] + ") ? " + v[0] + " : " + zero + ")";
            case IDENTITY: case CAST: return v[0];
            case SIGMOID: return "tcc_sigmoid_" + sx + "(" + v[0] + ")";
            case SOFTPLUS: return "tcc_softplus_" + sx + "(" + v[0] + ")";
            case ADD: return "(" + v[0] + " + " + v[1] + ")";
            case SUB: return "(" + v[0] + " - " + v[1] + ")";
            case MUL: return "(" + v[0] + " * " + v[1] + ")";
            case DIV: return "(" + v[0] + " / " + v[1] + ")";
            case MOD: return "tcc_mod_" + sx + "(" + v[0] + ", " + v[1] + ")";
            case POW: return d.math(op, ct) + "(" + v[0] + ", " + v[1] + ")";
            case MAXIMUM: return "tcc_max_" + sx + "(" + v[0] + ", " + v[1] + ")";
            case MINIMUM: return "tcc_min_" + sx + "(" + v[0] + ", " + v[1] + ")";
            case CLIP: return "tcc_min_" + sx + "(tcc_max_" + sx + "(" + v[0] + ", " + v[1] + "), " + v[2] + ")";
            default: throw new AssertionError(op);
        }
    }
}
