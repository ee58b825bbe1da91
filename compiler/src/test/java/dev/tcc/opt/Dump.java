package dev.tcc.opt;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Prints a graph one node per line (for debugging tests). */
final class Dump {
    private Dump() {}

    static String graph(List<Var> results) {
        Map<Var, String> names = new IdentityHashMap<>();
        StringBuilder b = new StringBuilder();
        int k = 0;
        for (Node n : dev.tcc.ir.Graphs.toposort(results)) {
            StringBuilder ins = new StringBuilder();
            for (Var v : n.inputs()) ins.append(ins.length() == 0 ? "" : ", ").append(name(v, names));
            for (Var o : n.outputs()) names.put(o, "%" + (k++));
            StringBuilder outs = new StringBuilder();
            for (Var o : n.outputs()) outs.append(outs.length() == 0 ? "" : ", ").append(names.get(o)).append(':').append(o.type());
            b.append(outs).append(" = ").append(n.op().name()).append('(').append(ins).append(")\n");
        }
        b.append("results: ");
        for (Var r : results) b.append(name(r, names)).append(' ');
        return b.append('\n').toString();
    }

    private static String name(Var v, Map<Var, String> names) {
        String s = names.get(v);
        if (s != null) return s;
        if (v instanceof dev.tcc.ir.Constant c) return c.toString();
        return v.name() != null ? v.name() : "?" + v.type();
    }
}
