package dev.tcc.opt;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Node;
import dev.tcc.ops.DimShuffle;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.Flatten;
import dev.tcc.ops.Reduce;
import dev.tcc.ops.Reshape;
import dev.tcc.ops.Softmax;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A small interval analysis: for a variable, bounds {@code [lo, hi]} that hold for every element,
 * assuming the graph's inputs are not NaN. Bounds are widened by a relative 1e-6 at each step so
 * that float32 rounding cannot break them. Looks at most {@link #MAX_DEPTH} nodes up, so it is
 * cheap on deep graphs; beyond that a value is unbounded.
 */
public final class Ranges {
    static final int MAX_DEPTH = 12;
    private static final double SLACK = 1e-6;

    /** An interval; {@code lo <= hi}, either may be infinite. */
    public record Range(double lo, double hi) {
        public static final Range ALL = new Range(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        public static final Range UNIT = new Range(0, 1);
        public static final Range NONNEG = new Range(0, Double.POSITIVE_INFINITY);

        public boolean nonNegative() { return lo >= 0; }
        /** Every value is finite and non-zero. */
        public boolean finiteNonZero() {
            return (lo > 0 && hi < Double.POSITIVE_INFINITY) || (hi < 0 && lo > Double.NEGATIVE_INFINITY);
        }
        Range widen() {
            return new Range(lo - Math.abs(lo) * SLACK, hi + Math.abs(hi) * SLACK);
        }
        static Range of(double a, double b) {
            if (Double.isNaN(a) || Double.isNaN(b)) return ALL;
            return new Range(Math.min(a, b), Math.max(a, b));
        }
        static Range hull(Range a, Range b) { return new Range(Math.min(a.lo, b.lo), Math.max(a.hi, b.hi)); }
    }

    private final Map<Var, Range> memo = new IdentityHashMap<>();

    /** Bounds of {@code v}'s values. */
    public Range of(Var v) { return of(v, 0); }

    private Range of(Var v, int depth) {
        Range r = memo.get(v);
        if (r != null) return r;
        r = compute(v, depth);
        if (v.dtype() == DType.BOOL) r = intersect(r, Range.UNIT);
        if (depth < MAX_DEPTH || v.owner() == null) memo.put(v, r);
        return r;
    }

    private static Range intersect(Range a, Range b) {
        double lo = Math.max(a.lo, b.lo), hi = Math.min(a.hi, b.hi);
        return lo <= hi ? new Range(lo, hi) : a;
    }

    private Range compute(Var v, int depth) {
        if (v instanceof Constant c) return constantRange(c.value());
        Node n = v.owner();
        if (n == null || depth >= MAX_DEPTH) return Range.ALL;
        if (n.op() instanceof DimShuffle || n.op() instanceof Reshape || n.op() instanceof Flatten)
            return of(n.input(0), depth + 1);
        if (n.op() instanceof Softmax s) return s.log() ? new Range(Double.NEGATIVE_INFINITY, 0) : Range.UNIT;
        if (n.op() instanceof Reduce red) {
            Range in = of(n.input(0), depth + 1);
            switch (red.kind()) {
                case MAX: case MIN: case MEAN: return in;
                case SUM: return in.nonNegative() ? Range.NONNEG : Range.ALL;
                default: return Range.ALL;
            }
        }
        if (!(n.op() instanceof Elemwise e)) return Range.ALL;
        Range a = of(n.input(0), depth + 1);
        Range b = n.inputs().size() > 1 ? of(n.input(1), depth + 1) : null;
        Range c = n.inputs().size() > 2 ? of(n.input(2), depth + 1) : null;
        Range r;
        switch (e.scalar()) {
            case IDENTITY: case CAST: r = a; break;
            case NEG: r = Range.of(-a.hi, -a.lo); break;
            case ABS: r = a.lo >= 0 ? a : a.hi <= 0 ? Range.of(-a.hi, -a.lo) : new Range(0, Math.max(-a.lo, a.hi)); break;
            case SQR: {
                double m = Math.max(Math.abs(a.lo), Math.abs(a.hi));
                double lo = a.lo > 0 ? a.lo * a.lo : a.hi < 0 ? a.hi * a.hi : 0;
                r = new Range(lo, m * m);
                break;
            }
            case SQRT: r = new Range(Math.sqrt(Math.max(a.lo, 0)), Math.sqrt(Math.max(a.hi, 0))); break;
            case EXP: r = new Range(Math.exp(a.lo), Math.exp(a.hi)); break;
            case LOG: r = a.lo > 0 ? Range.of(Math.log(a.lo), Math.log(a.hi)) : new Range(Double.NEGATIVE_INFINITY, Math.log(Math.max(a.hi, 0))); break;
            case SIGMOID: r = Range.UNIT; break;
            case TANH: case SIN: case COS: r = new Range(-1, 1); break;
            case SOFTPLUS: r = Range.NONNEG; break;
            case RELU: r = new Range(Math.max(0, a.lo), Math.max(0, a.hi)); break;
            case SIGN: r = new Range(-1, 1); break;
            case FLOOR: r = Range.of(Math.floor(a.lo), Math.floor(a.hi)); break;
            case CEIL: r = Range.of(Math.ceil(a.lo), Math.ceil(a.hi)); break;
            case ROUND: r = Range.of(Math.rint(a.lo), Math.rint(a.hi)); break;
            case ADD: r = Range.of(a.lo + b.lo, a.hi + b.hi); break;
            case SUB: r = Range.of(a.lo - b.hi, a.hi - b.lo); break;
            case MUL: r = mul(a, b); break;
            case DIV: r = (b.lo > 0 || b.hi < 0) ? mul(a, Range.of(1 / b.lo, 1 / b.hi)) : Range.ALL; break;
            case MAXIMUM: r = new Range(Math.max(a.lo, b.lo), Math.max(a.hi, b.hi)); break;
            case MINIMUM: r = new Range(Math.min(a.lo, b.lo), Math.min(a.hi, b.hi)); break;
            case CLIP: r = new Range(Math.min(Math.max(a.lo, b.lo), c.hi), Math.min(Math.max(a.hi, b.hi), c.hi)); break;
            case WHERE: r = Range.hull(b, c); break;
            case SECOND: r = b; break;
            case NOT: case GT: case GE: case LT: case LE: case EQ: case NEQ: case AND: case OR: r = Range.UNIT; break;
            default: r = Range.ALL;
        }
        if (Double.isNaN(r.lo) || Double.isNaN(r.hi)) return Range.ALL;
        if (v.dtype().isInteger())                    // integer results wrap around: trust only small bounds
            return Math.abs(r.lo) < 0x1p31 && Math.abs(r.hi) < 0x1p31 ? r : Range.ALL;
        return clamp(r.widen(), v.dtype());
    }

    /** What the dtype can hold: overflow goes to infinity, tiny magnitudes may flush to zero. */
    private static Range clamp(Range r, DType d) {
        double max = d == DType.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        double tiny = d == DType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        double lo = r.lo, hi = r.hi;
        if (lo < -max) lo = Double.NEGATIVE_INFINITY;
        if (hi > max) hi = Double.POSITIVE_INFINITY;
        if (lo > 0 && lo < tiny) lo = 0;
        if (hi < 0 && hi > -tiny) hi = 0;
        if (lo > max) lo = max;                       // e.g. exp(1e3): the value is inf, the bound says "huge"
        if (hi < -max) hi = -max;
        return new Range(lo, hi);
    }

    private static Range mul(Range a, Range b) {
        double p1 = a.lo * b.lo, p2 = a.lo * b.hi, p3 = a.hi * b.lo, p4 = a.hi * b.hi;
        if (Double.isNaN(p1) || Double.isNaN(p2) || Double.isNaN(p3) || Double.isNaN(p4)) return Range.ALL;   // 0 * inf
        return new Range(Math.min(Math.min(p1, p2), Math.min(p3, p4)), Math.max(Math.max(p1, p2), Math.max(p3, p4)));
    }

    private static Range constantRange(NDArray a) {
        if (a.size() == 0 || a.size() > 100_000) return Range.ALL;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < a.size(); i++) {
            double x = a.getFlat(i);
            if (Double.isNaN(x)) return Range.ALL;
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new Range(lo, hi);
    }
}
