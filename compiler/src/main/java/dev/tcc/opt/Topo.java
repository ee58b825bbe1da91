package dev.tcc.opt;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Topological order for the optimizer's passes: an iterative depth-first walk with an explicit
 * stack, one table insertion per node and one lookup per edge. Big graphs are memory-bound, so the
 * walk also fills what the passes need next (positions, use counts) instead of walking again, and
 * its tables are addressed by serial number ({@link SerialTable}).
 */
final class Topo {
    /** The order; each node's position in it; optionally each variable's number of readers (results count once). */
    record Sorted(List<Node> order, SerialIntMap<Node> pos, SerialIntMap<Var> uses) {
        int size() { return order.size(); }
    }

    /** Position of a node whose inputs are still being walked. */
    private static final int OPEN = -1;

    private Topo() {}

    static List<Node> sort(List<Var> results, int expected) { return sorted(results, expected, false).order(); }

    /** The nodes computing {@code results}, each after its inputs' nodes (the order of {@code Graphs.toposort}). */
    static Sorted sorted(List<Var> results, int expected, boolean countUses) {
        SerialIntMap<Node> pos = new SerialIntMap<>(expected);
        SerialIntMap<Var> uses = countUses ? new SerialIntMap<>(expected) : null;
        List<Node> order = new ArrayList<>(expected + 16);
        Node[] stack = new Node[64];
        int[] next = new int[64];
        if (countUses) for (Var v : results) uses.add(v, 1);
        for (Var out : results) {
            Node root = out.owner();
            if (root == null || pos.containsKey(root)) continue;
            int sp = 0;
            stack[0] = root;
            next[0] = 0;
            sp = 1;
            pos.put(root, OPEN);
            while (sp > 0) {
                Node n = stack[sp - 1];
                List<Var> ins = n.inputs();
                int i = next[sp - 1];
                if (i < ins.size()) {
                    next[sp - 1] = i + 1;
                    Var v = ins.get(i);
                    if (countUses) uses.add(v, 1);
                    Node p = v.owner();
                    if (p != null && pos.putIfAbsent(p, OPEN)) {
                        if (sp == stack.length) {
                            stack = Arrays.copyOf(stack, sp * 2);
                            next = Arrays.copyOf(next, sp * 2);
                        }
                        stack[sp] = p;
                        next[sp] = 0;
                        sp++;
                    }
                } else {
                    sp--;
                    pos.put(n, order.size());
                    order.add(n);
                }
            }
        }
        return new Sorted(order, pos, uses);
    }
}
