package dev.tcc.opt;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ops.Elemwise;

/** What a rule may ask the engine about the graph it is rewriting. */
public interface RewriteContext {
    /**
     * Whether {@code v} has a single reader (a node reading it, or the function's results being it),
     * as of the start of the current round; variables made during the round have one. Rules that
     * restructure a chain only look through single-reader nodes, so they never duplicate work.
     * A yes/no question on purpose: the engine runs another round only where a variable it answered
     * "no" for has come down to one reader, which is then exactly where a rule may fire anew.
     */
    boolean hasOneReader(Var v);

    /** Interval analysis of the values of a variable. */
    Ranges ranges();

    /** Largest number of elements constant folding may materialise. */
    long foldLimit();

    /** An empty match for a pattern rule (the engine reuses one: a rule's builder runs before the next match). */
    default Match freshMatch() { return new Match(this); }

    /**
     * A variable with the same run-time shape as {@code v} that is cheap to reach: {@code v} itself,
     * or an operand of the elementwise node computing it that has the same static type (searched
     * a few levels down). Used to keep a rewrite like {@code x*0 -> zeros like x} from keeping x's
     * computation alive only for its shape.
     */
    default Var shapeCarrier(Var v) {
        Var cur = v;
        for (int depth = 0; depth < 16; depth++) {
            Node n = cur.owner();
            if (n == null || !(n.op() instanceof Elemwise)) return cur;
            Var next = null;
            for (Var in : n.inputs()) if (in.type().equals(cur.type())) { next = in; break; }
            if (next == null) return cur;
            cur = next;
        }
        return cur;
    }
}
