package dev.tcc.lang;

import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ops.FusedElemwise;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Graphviz (dot) text for function graphs, like Theano's pydotprint: inputs green, shared variables
 * blue, constants grey, operations as boxes labelled with op, type, name and {@code .graph} place.
 * A fused elementwise node is drawn as a cluster of its scalar instructions.
 */
public final class DotGraph {
    private final StringBuilder b = new StringBuilder();
    private final Map<Var, String> leafIds = new IdentityHashMap<>();
    private final Map<Node, String> nodeIds = new IdentityHashMap<>();
    private int counter;
    private int clusters;

    /** One digraph with a subgraph (cluster) per function. */
    public static String of(List<FunctionGraph> graphs) {
        DotGraph d = new DotGraph();
        d.b.append("digraph tcc {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (FunctionGraph g : graphs) d.function(g);
        d.b.append("}\n");
        return d.b.toString();
    }

    private void function(FunctionGraph g) {
        nodeIds.clear();          // each function's cluster draws all it uses
        leafIds.clear();
        String c = "cluster_fn" + (clusters++);
        b.append("  subgraph ").append(c).append(" {\n    label=").append(quote("function '" + g.name() + "'"))
                .append(";\n    style=rounded; color=\"#888888\";\n");
        List<Var> results = g.allResults();
        for (Node n : Graphs.toposort(results)) node(n);
        int k = 0;
        for (Var o : g.outputs()) {
            String id = "r" + (counter++);
            b.append("    ").append(id).append(" [shape=plaintext, label=").append(quote("output " + k++ + (o.name() != null ? " " + o.name() : ""))).append("];\n");
            b.append("    ").append(ref(o)).append(" -> ").append(id).append(";\n");
        }
        for (FunctionGraph.Update u : g.updates()) {
            String id = "r" + (counter++);
            b.append("    ").append(id).append(" [shape=plaintext, label=").append(quote("update " + (u.target().name() != null ? u.target().name() : "shared"))).append("];\n");
            b.append("    ").append(ref(u.value())).append(" -> ").append(id).append(";\n");
        }
        b.append("  }\n");
    }

    private void node(Node n) {
        if (n.op() instanceof FusedElemwise f) {
            fused(n, f);
            return;
        }
        String id = "n" + (counter++);
        nodeIds.put(n, id);
        Var o = n.output();
        StringBuilder label = new StringBuilder(n.op().name()).append("\\n").append(o.type());
        if (o.name() != null) label.append("\\n'").append(esc(o.name())).append('\'');
        if (n.site() != null && n.site() != Site.UNKNOWN) label.append("\\n").append(esc(n.site().toString()));
        b.append("    ").append(id).append(" [shape=box, label=\"").append(label).append("\"];\n");
        for (Var in : n.inputs()) b.append("    ").append(ref(in)).append(" -> ").append(id).append(";\n");
    }

    private void fused(Node n, FusedElemwise f) {
        String base = "n" + (counter++);
        nodeIds.put(n, base);
        b.append("    subgraph cluster_").append(base).append(" {\n      label=")
                .append(quote("fused kernel" + (n.site() != null && n.site() != Site.UNKNOWN ? "  " + n.site() : "")))
                .append(";\n      style=dashed; color=\"#cc6600\";\n");
        for (int j = 0; j < f.program().size(); j++) {
            FusedElemwise.Instr ins = f.program().get(j);
            String name = ins.op().lowerName() + (ins.castTo() != null ? "{" + ins.castTo() + "}" : "");
            b.append("      ").append(base).append("_i").append(j).append(" [shape=box, style=rounded, label=\"")
                    .append(name).append("\\n").append(ins.dtype()).append("\"];\n");
        }
        b.append("    }\n");
        for (int j = 0; j < f.program().size(); j++) {
            for (int a : f.program().get(j).args()) {
                String from = a < f.nInputs() ? ref(n.input(a)) : base + "_i" + (a - f.nInputs());
                b.append("    ").append(from).append(" -> ").append(base).append("_i").append(j).append(";\n");
            }
        }
    }

    /** The dot id of whatever produces {@code v}. */
    private String ref(Var v) {
        Node owner = v.owner();
        if (owner != null) {
            String id = nodeIds.get(owner);
            if (id == null) { node(owner); id = nodeIds.get(owner); }
            if (owner.op() instanceof FusedElemwise f) return id + "_i" + f.outputs().get(v.index());
            return id;
        }
        String id = leafIds.get(v);
        if (id != null) return id;
        id = "v" + (counter++);
        leafIds.put(v, id);
        String label;
        String style;
        if (v instanceof Constant c) {
            label = esc(c.toString()) + "\\n" + c.type();
            style = "shape=box, style=filled, fillcolor=\"#eeeeee\"";
        } else {
            label = esc(v.name() != null ? v.name() : "input") + "\\n" + v.type();
            style = v instanceof SharedVar ? "shape=ellipse, style=filled, fillcolor=\"#cfe2ff\"" : "shape=ellipse, style=filled, fillcolor=\"#d5f5d5\"";
        }
        if (v.site() != null && v.site() != Site.UNKNOWN && !(v instanceof Constant)) label += "\\n" + esc(v.site().toString());
        b.append("    ").append(id).append(" [").append(style).append(", label=\"").append(label).append("\"];\n");
        return id;
    }

    private static String esc(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"); }

    private static String quote(String s) { return "\"" + esc(s) + "\""; }
}
