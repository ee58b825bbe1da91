package dev.tcc.opt;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Node;
import java.util.ArrayList;
import java.util.List;

/** The bindings of a successful {@link Pattern} match: names to variables. */
public final class Match {
    private final RewriteContext ctx;
    private final List<String> names = new ArrayList<>(4);
    private final List<Var> vars = new ArrayList<>(4);

    Match(RewriteContext ctx) { this.ctx = ctx; }

    /** The variable bound to {@code name}. */
    public Var x(String name) {
        for (int i = 0; i < names.size(); i++) if (names.get(i).equals(name)) return vars.get(i);
        throw new IllegalArgumentException("pattern has no binding '" + name + "'");
    }

    /** The node that computes the variable bound to {@code name}. */
    public Node node(String name) { return x(name).owner(); }

    /** The value of the constant bound to {@code name}. */
    public NDArray value(String name) { return ((Constant) x(name)).value(); }

    public RewriteContext ctx() { return ctx; }

    /** A scalar constant of {@code dtype} (for rules that need a literal of the output's dtype). */
    public static Var constant(double v, DType dtype) { return dev.tcc.T.constant(v, dtype); }

    Var get(String name) {
        for (int i = 0; i < names.size(); i++) if (names.get(i).equals(name)) return vars.get(i);
        return null;
    }

    void bind(String name, Var v) { names.add(name); vars.add(v); }

    int mark() { return names.size(); }

    void reset(int mark) {
        while (names.size() > mark) { names.remove(names.size() - 1); vars.remove(vars.size() - 1); }
    }
}
