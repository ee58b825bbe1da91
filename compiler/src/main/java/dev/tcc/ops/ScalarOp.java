package dev.tcc.ops;

import dev.tcc.DType;

/**
 * The scalar operations that elementwise nodes (and fused kernels) are made of. Each knows its
 * arity, its result dtype (numpy 2 rules) and its reference value. How each is written in C or
 * CUDA C is the code generator's table, not this enum's business.
 */
public enum ScalarOp {
    // unary
    NEG(1, Rule.SAME), ABS(1, Rule.SAME), SIGN(1, Rule.SAME), SQR(1, Rule.SAME), RELU(1, Rule.SAME),
    FLOOR(1, Rule.SAME), CEIL(1, Rule.SAME), ROUND(1, Rule.SAME), IDENTITY(1, Rule.SAME),
    EXP(1, Rule.FLOAT), LOG(1, Rule.FLOAT), LOG1P(1, Rule.FLOAT), EXPM1(1, Rule.FLOAT), SQRT(1, Rule.FLOAT),
    SIN(1, Rule.FLOAT), COS(1, Rule.FLOAT), TANH(1, Rule.FLOAT), SIGMOID(1, Rule.FLOAT), SOFTPLUS(1, Rule.FLOAT),
    NOT(1, Rule.BOOL),
    /** Conversion to the node's target dtype ({@link Elemwise#castTo()}). */
    CAST(1, Rule.CAST),
    // binary
    ADD(2, Rule.PROMOTE), SUB(2, Rule.PROMOTE), MUL(2, Rule.PROMOTE), DIV(2, Rule.TRUE_DIV), MOD(2, Rule.PROMOTE),
    POW(2, Rule.PROMOTE), MAXIMUM(2, Rule.PROMOTE), MINIMUM(2, Rule.PROMOTE),
    GT(2, Rule.BOOL), GE(2, Rule.BOOL), LT(2, Rule.BOOL), LE(2, Rule.BOOL), EQ(2, Rule.BOOL), NEQ(2, Rule.BOOL),
    AND(2, Rule.BOOL), OR(2, Rule.BOOL),
    /** Theano's {@code second(a, b)}: the value of b, broadcast to the shape of both (used by gradients). */
    SECOND(2, Rule.LAST),
    // ternary
    /** where(cond, a, b). */
    WHERE(3, Rule.PROMOTE_LAST_TWO),
    /** clip(x, lo, hi) = minimum(maximum(x, lo), hi), like numpy. */
    CLIP(3, Rule.PROMOTE);

    enum Rule { SAME, FLOAT, BOOL, CAST, PROMOTE, TRUE_DIV, LAST, PROMOTE_LAST_TWO }

    public final int arity;
    private final Rule rule;

    ScalarOp(int arity, Rule rule) {
        this.arity = arity;
        this.rule = rule;
    }

    public String lowerName() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Whether the result is a comparison or logic result (BOOL). */
    public boolean isPredicate() { return rule == Rule.BOOL; }

    /** Result dtype for these input dtypes ({@code castTo} only for CAST). */
    public DType outDtype(DType castTo, DType... in) {
        switch (rule) {
            case SAME: return in[0];
            case FLOAT: return in[0].floatResult();
            case BOOL: return DType.BOOL;
            case CAST: return castTo;
            case LAST: return in[in.length - 1];
            case PROMOTE_LAST_TWO: return DType.promote(in[1], in[2]);
            case TRUE_DIV: {
                DType p = DType.promote(in[0], in[1]);
                return p.isFloat() ? p : DType.FLOAT64;
            }
            default: {
                DType p = in[0];
                for (int i = 1; i < in.length; i++) p = DType.promote(p, in[i]);
                return p;
            }
        }
    }

    /** Reference value in double precision; the caller rounds to the result dtype. */
    public double eval(double a, double b, double c) {
        switch (this) {
            case NEG: return -a;
            case ABS: return Math.abs(a);
            case SIGN: return Math.signum(a);
            case SQR: return a * a;
            case RELU: return Math.max(a, 0.0);
            case FLOOR: return Math.floor(a);
            case CEIL: return Math.ceil(a);
            case ROUND: return Math.rint(a);           // numpy rounds half to even
            case IDENTITY: case CAST: return a;
            case EXP: return Math.exp(a);
            case LOG: return Math.log(a);
            case LOG1P: return Math.log1p(a);
            case EXPM1: return Math.expm1(a);
            case SQRT: return Math.sqrt(a);
            case SIN: return Math.sin(a);
            case COS: return Math.cos(a);
            case TANH: return Math.tanh(a);
            case SIGMOID: return a >= 0 ? 1.0 / (1.0 + Math.exp(-a)) : Math.exp(a) / (1.0 + Math.exp(a));
            case SOFTPLUS: return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
            case NOT: return a == 0 ? 1 : 0;
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case MOD: {                                 // numpy/Python: the result takes the divisor's sign
                double r = a % b;
                return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
            }
            case POW: return Math.pow(a, b);
            case MAXIMUM: return Math.max(a, b);        // NaN propagates, as in numpy
            case MINIMUM: return Math.min(a, b);
            case GT: return a > b ? 1 : 0;
            case GE: return a >= b ? 1 : 0;
            case LT: return a < b ? 1 : 0;
            case LE: return a <= b ? 1 : 0;
            case EQ: return a == b ? 1 : 0;
            case NEQ: return a != b ? 1 : 0;
            case AND: return (a != 0 && b != 0) ? 1 : 0;
            case OR: return (a != 0 || b != 0) ? 1 : 0;
            case SECOND: return b;
            case WHERE: return a != 0 ? b : c;
            case CLIP: return Math.min(Math.max(a, b), c);
            default: throw new AssertionError(this);
        }
    }

    /** Whether {@link #evalLong} is exact for integer operands (so int64 values beyond 2^53 stay exact). */
    public boolean hasIntegerForm() {
        switch (this) {
            case NEG: case ABS: case SIGN: case SQR: case RELU: case FLOOR: case CEIL: case ROUND: case IDENTITY:
            case CAST: case NOT: case ADD: case SUB: case MUL: case MOD: case POW: case MAXIMUM: case MINIMUM:
            case GT: case GE: case LT: case LE: case EQ: case NEQ: case AND: case OR: case SECOND: case WHERE: case CLIP:
                return true;
            default:
                return false;
        }
    }

    /** Integer semantics (two's complement wrap-around, floor modulo, like numpy). */
    public long evalLong(long a, long b, long c) {
        switch (this) {
            case NEG: return -a;
            case ABS: return Math.abs(a);
            case SIGN: return Long.signum(a);
            case SQR: return a * a;
            case RELU: return Math.max(a, 0);
            case FLOOR: case CEIL: case ROUND: case IDENTITY: case CAST: return a;
            case NOT: return a == 0 ? 1 : 0;
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case MOD: return b == 0 ? 0 : Math.floorMod(a, b);   // numpy gives 0 (with a warning) for x % 0
            case POW: {
                if (b < 0) throw new dev.tcc.TccException("integers to negative integer powers are not allowed (numpy refuses them too); cast the base to a float dtype");
                long r = 1, base = a;
                for (long e = b; e > 0; e >>= 1) { if ((e & 1) != 0) r *= base; base *= base; }
                return r;
            }
            case MAXIMUM: return Math.max(a, b);
            case MINIMUM: return Math.min(a, b);
            case GT: return a > b ? 1 : 0;
            case GE: return a >= b ? 1 : 0;
            case LT: return a < b ? 1 : 0;
            case LE: return a <= b ? 1 : 0;
            case EQ: return a == b ? 1 : 0;
            case NEQ: return a != b ? 1 : 0;
            case AND: return (a != 0 && b != 0) ? 1 : 0;
            case OR: return (a != 0 || b != 0) ? 1 : 0;
            case SECOND: return b;
            case WHERE: return a != 0 ? b : c;
            case CLIP: return Math.min(Math.max(a, b), c);
            default: throw new AssertionError(this + " has no integer form");
        }
    }
}
