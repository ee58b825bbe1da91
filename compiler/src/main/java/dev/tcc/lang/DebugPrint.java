package dev.tcc.lang;

import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a graph like Theano's {@code debugprint}: one line per variable, its operands indented
 * below it with {@code " |"}, each with an id ({@code [id A]}), its type, its name and where it was
 * made. A variable printed before is shown again by its line alone, without its operands.
 *
 * <pre>
 * add [id A] float32() 'z'  scalar.graph:5:11
 *  |x [id B] float32() input  scalar.graph:3:9
 *  |y [id C] float32() input  scalar.graph:4:9
 * </pre>
 */
public final class DebugPrint {
    private final StringBuilder out = new StringBuilder();
    /** Per fused node, the creation sites of the ops it fuses (shown after its line). */
    private final Map<Node, List<Site>> fusedSites;

    private DebugPrint(Map<Node, List<Site>> fusedSites) { this.fusedSites = fusedSites; }
    private final Map<Var, String> ids = new IdentityHashMap<>();
    private final Map<Var, Boolean> expanded = new IdentityHashMap<>();

    /** The whole function: header, inputs, outputs, then each update. */
    public static String function(FunctionGraph g) { return function(g, Map.of()); }

    /**
     * The same for an optimized graph: a fused node's line also lists the places of the ops it
     * fuses ({@code fuses mlp.graph:14:25, 14:30}), from the optimizer's record of them.
     */
    public static String function(FunctionGraph g, Map<Node, List<Site>> fusedSites) {
        DebugPrint p = new DebugPrint(fusedSites);
        p.out.append("function '").append(g.name()).append("'\n");
        p.out.append("inputs:");
        if (g.inputs().isEmpty()) p.out.append(" none");
        p.out.append('\n');
        for (Var in : g.inputs()) p.print(in, "  ");
        p.out.append("outputs:");
        if (g.outputs().isEmpty()) p.out.append(" none");
        p.out.append('\n');
        for (int i = 0; i < g.outputs().size(); i++) {
            p.out.append("  output ").append(i).append(":\n");
            p.print(g.outputs().get(i), "  ");
        }
        if (!g.updates().isEmpty()) {
            p.out.append("updates:\n");
            for (FunctionGraph.Update u : g.updates()) {
                p.out.append("  ").append(label(u.target())).append(" <-\n");
                p.print(u.value(), "  ");
            }
        }
        return p.out.toString();
    }

    /** Just these variables and what they are computed from. */
    public static String vars(List<Var> vars) {
        DebugPrint p = new DebugPrint(Map.of());
        for (Var v : vars) p.print(v, "");
        return p.out.toString();
    }

    private record Frame(Var var, String prefix) {}

    /** Depth-first, iteratively (gradient graphs can be deep). */
    private void print(Var root, String indent) {
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root, ""));
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            Var v = f.var();
            out.append(indent).append(f.prefix()).append(line(v)).append('\n');
            if (v.owner() == null || expanded.containsKey(v)) continue;
            expanded.put(v, true);
            // the owner's other outputs share the operands; mark them expanded too
            for (Var o : v.owner().outputs()) expanded.put(o, true);
            List<Var> ins = v.owner().inputs();
            String childPrefix = f.prefix() + " |";
            for (int i = ins.size() - 1; i >= 0; i--) stack.push(new Frame(ins.get(i), childPrefix));
        }
    }

    private String line(Var v) {
        StringBuilder b = new StringBuilder();
        if (v.owner() != null) {
            b.append(v.owner().op().name());
            if (v.owner().outputs().size() > 1) b.append('.').append(v.index());
        } else if (v instanceof Constant c) {
            b.append(c);
        } else {
            b.append(v.name() != null ? v.name() : "<input>");
        }
        b.append(" [id ").append(id(v)).append("] ").append(v.type());
        if (v.owner() != null && v.name() != null) b.append(" '").append(v.name()).append('\'');
        if (v instanceof SharedVar) b.append(" shared");
        else if (v instanceof Constant) b.append(" constant");
        else if (v.owner() == null) b.append(" input");
        if (v.site() != null && v.site() != Site.UNKNOWN) b.append("  ").append(v.site());
        List<Site> fused = v.owner() == null ? null : fusedSites.get(v.owner());
        if (fused != null && !fused.isEmpty()) b.append("  fuses ").append(sites(fused));
        return b.toString();
    }

    /** {@code a.graph:14:25, 14:30, b.graph:3:1}: distinct places in order, the file named when it changes. */
    static String sites(List<Site> sites) {
        StringBuilder b = new StringBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String file = null;
        for (Site s : sites) {
            if (s == null || s == Site.UNKNOWN || !seen.add(s.toString())) continue;
            if (b.length() > 0) b.append(", ");
            String where = s.column() > 0 ? s.line() + ":" + s.column() : Integer.toString(s.line());
            b.append(s.file().equals(file) ? where : s.file() + ":" + where);
            file = s.file();
        }
        return b.toString();
    }

    private String id(Var v) {
        return ids.computeIfAbsent(v, k -> letters(ids.size()));
    }

    /** 0 -> A, 25 -> Z, 26 -> BA, like Theano's ids. */
    static String letters(int n) {
        StringBuilder s = new StringBuilder();
        do {
            s.append((char) ('A' + n % 26));
            n /= 26;
        } while (n > 0);
        return s.reverse().toString();
    }

    private static String label(Var v) { return v.name() != null ? v.name() : v.type().toString(); }
}
