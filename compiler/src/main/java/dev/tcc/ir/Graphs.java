package dev.tcc.ir;

import dev.tcc.Var;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/** Graph walks. All iterative (no recursion), so graphs of hundreds of thousands of nodes are fine. */
public final class Graphs {
    private Graphs() {}

    /** The nodes that compute {@code outputs}, each after the nodes it reads from. */
    public static List<Node> toposort(Collection<Var> outputs) {
        List<Node> order = new ArrayList<>();
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> entered = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Var out : outputs) {
            if (out.owner() == null || done.contains(out.owner())) continue;
            stack.push(out.owner());
            while (!stack.isEmpty()) {
                Node n = stack.peek();
                if (done.contains(n)) { stack.pop(); continue; }
                if (entered.add(n)) {
                    for (int i = n.inputs().size() - 1; i >= 0; i--) {
                        Node p = n.input(i).owner();
                        if (p != null && !done.contains(p)) stack.push(p);
                    }
                } else {
                    stack.pop();
                    done.add(n);
                    order.add(n);
                }
            }
        }
        return order;
    }

    /** Every variable without an owner (inputs, constants, shared variables) that the outputs depend on, in first-seen order. */
    public static List<Var> leaves(Collection<Var> outputs) {
        List<Var> leaves = new ArrayList<>();
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Var o : outputs) if (o.owner() == null && seen.add(o)) leaves.add(o);
        for (Node n : toposort(outputs))
            for (Var v : n.inputs()) if (v.owner() == null && seen.add(v)) leaves.add(v);
        return leaves;
    }

    /**
     * Rebuilds the graph of {@code outputs} with the variables in {@code replace} substituted
     * (Theano's clone with replacements, used for givens). Nodes that depend on nothing replaced are
     * kept as they are. Types must agree, else a TypeError names both.
     */
    public static List<Var> replace(List<Var> outputs, Map<Var, Var> replace) {
        Map<Var, Var> map = new IdentityHashMap<>(replace);
        for (Node n : toposort(outputs)) {
            boolean changed = false;
            List<Var> ins = new ArrayList<>(n.inputs().size());
            for (Var v : n.inputs()) {
                Var r = map.getOrDefault(v, v);
                changed |= r != v;
                ins.add(r);
            }
            if (!changed) continue;
            Node copy = n.op().applyAt(n.site(), ins);
            for (int i = 0; i < n.outputs().size(); i++) {
                Var old = n.outputs().get(i), nu = copy.outputs().get(i);
                if (old.name() != null) nu.named(old.name());
                map.put(old, nu);
            }
        }
        List<Var> result = new ArrayList<>(outputs.size());
        for (Var o : outputs) result.add(map.getOrDefault(o, o));
        return result;
    }

    /** How many nodes compute these outputs. */
    public static int countNodes(Collection<Var> outputs) { return toposort(outputs).size(); }

    /** For each variable, the nodes that read it (in topological order). */
    public static Map<Var, List<Node>> clients(List<Node> order) {
        Map<Var, List<Node>> m = new HashMap<>();
        for (Node n : order) for (Var v : n.inputs()) m.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
        return m;
    }
}
