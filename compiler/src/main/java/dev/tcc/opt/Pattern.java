package dev.tcc.opt;

import dev.tcc.NDArray;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.ScalarOp;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A tree pattern over a graph, matched at one variable. Leaves bind names ({@link #any}); a name
 * used twice must bind the same variable (so {@code elem(SUB, any("x"), any("x"))} is {@code x - x}).
 * Patterns of commutative scalar ops also match with their two operands swapped.
 */
public abstract class Pattern {
    abstract boolean match(Var v, Match m);

    /** The trigger for the rule engine's index: a ScalarOp, an Op class, or null. */
    Object trigger() { return null; }

    // ---- leaves ------------------------------------------------------------------------------------

    /** Any variable, bound to {@code name}. */
    public static Pattern any(String name) {
        return new Pattern() {
            @Override boolean match(Var v, Match m) { return bindOrCheck(name, v, m); }
            @Override public String toString() { return name; }
        };
    }

    /** A constant (of any shape), bound to {@code name}. */
    public static Pattern constant(String name) {
        return new Pattern() {
            @Override boolean match(Var v, Match m) { return v instanceof Constant && bindOrCheck(name, v, m); }
            @Override public String toString() { return "const " + name; }
        };
    }

    /** A constant whose elements all equal {@code value} (any shape; broadcasting is checked by the engine's type check). */
    public static Pattern value(double value) {
        return new Pattern() {
            @Override boolean match(Var v, Match m) { return v instanceof Constant c && allEqual(c.value(), value); }
            @Override public String toString() { return fmt(value); }
        };
    }

    /** Same as {@link #value(double)}, also bound to {@code name}. */
    public static Pattern value(String name, double value) {
        return new Pattern() {
            @Override boolean match(Var v, Match m) { return v instanceof Constant c && allEqual(c.value(), value) && bindOrCheck(name, v, m); }
            @Override public String toString() { return fmt(value) + " as " + name; }
        };
    }

    // ---- interior nodes ------------------------------------------------------------------------------

    /** An elementwise node of scalar op {@code op} whose operands match {@code args}. */
    public static Pattern elem(ScalarOp op, Pattern... args) {
        if (args.length != op.arity) throw new IllegalArgumentException(op + " takes " + op.arity + " operands");
        boolean commutative = isCommutative(op);
        return new Pattern() {
            @Override boolean match(Var v, Match m) {
                Node n = v.owner();
                if (n == null || !(n.op() instanceof Elemwise e) || e.scalar() != op) return false;
                if (matchAll(n, args, m, false)) return true;
                return commutative && matchAll(n, args, m, true);
            }
            @Override Object trigger() { return op; }
            @Override public String toString() { return op.lowerName() + Arrays.toString(args); }
        };
    }

    /** A node whose op is an instance of {@code type}, with operands matching {@code args} (all of them, in order). */
    public static Pattern node(Class<? extends Op> type, Pattern... args) {
        return new Pattern() {
            @Override boolean match(Var v, Match m) {
                Node n = v.owner();
                if (n == null || !type.isInstance(n.op()) || n.outputs().size() != 1) return false;
                return matchAll(n, args, m, false);
            }
            @Override Object trigger() { return type; }
            @Override public String toString() { return type.getSimpleName() + Arrays.toString(args); }
        };
    }

    // ---- modifiers -----------------------------------------------------------------------------------

    /** This pattern, the matched variable also bound to {@code name}. */
    public Pattern as(String name) {
        Pattern self = this;
        return new Pattern() {
            @Override boolean match(Var v, Match m) {
                int mark = m.mark();
                if (self.match(v, m) && bindOrCheck(name, v, m)) return true;
                m.reset(mark);
                return false;
            }
            @Override Object trigger() { return self.trigger(); }
            @Override public String toString() { return self + " as " + name; }
        };
    }

    /** This pattern, only where {@code test} holds for the matched variable. */
    public Pattern when(Predicate<Var> test) {
        Pattern self = this;
        return new Pattern() {
            @Override boolean match(Var v, Match m) {
                int mark = m.mark();
                if (self.match(v, m) && test.test(v)) return true;
                m.reset(mark);
                return false;
            }
            @Override Object trigger() { return self.trigger(); }
            @Override public String toString() { return self + " when ..."; }
        };
    }

    // ---- helpers -------------------------------------------------------------------------------------

    public static boolean isCommutative(ScalarOp op) {
        switch (op) {
            case ADD: case MUL: case MAXIMUM: case MINIMUM: case EQ: case NEQ: case AND: case OR: return true;
            default: return false;
        }
    }

    /** Whether every element of {@code a} equals {@code value} (and there is at least one). */
    public static boolean allEqual(NDArray a, double value) {
        int n = a.size();
        if (n == 0) return false;
        for (int i = 0; i < n; i++) if (a.getFlat(i) != value) return false;
        return true;
    }

    private static boolean matchAll(Node n, Pattern[] args, Match m, boolean swapped) {
        if (n.inputs().size() != args.length) return false;
        int mark = m.mark();
        for (int i = 0; i < args.length; i++) {
            int k = swapped && args.length == 2 ? 1 - i : i;
            if (!args[i].match(n.input(k), m)) { m.reset(mark); return false; }
        }
        return true;
    }

    private static boolean bindOrCheck(String name, Var v, Match m) {
        Var bound = m.get(name);
        if (bound != null) return bound == v;
        m.bind(name, v);
        return true;
    }

    private static String fmt(double v) { return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v); }
}
