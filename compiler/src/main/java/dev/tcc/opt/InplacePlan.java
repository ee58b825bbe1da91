package dev.tcc.opt;

import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Node;
import dev.tcc.ops.DimShuffle;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.Flatten;
import dev.tcc.ops.FusedElemwise;
import dev.tcc.ops.Reshape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which updates can write their new value straight into the shared variable's buffer (Theano's
 * inplace optimization), as an analysis for the scheduler, which owns buffers and launch order.
 *
 * <p>Update {@code i} (target {@code s}, new value {@code v} computed by node {@code n}) is
 * <em>in place</em> when
 * <ul>
 * <li>{@code n} either does not read {@code s} at all, or is elementwise ({@link Elemwise},
 *     {@link FusedElemwise}) and reads {@code s} directly as an operand of the result's full shape:
 *     element k of the result then depends on element k of {@code s} only, which each thread reads
 *     before it overwrites it ("elementwise in its old value");</li>
 * <li>{@code n} reads no view of {@code s} (a transpose would read other elements), and is not itself
 *     a view ({@link DimShuffle}, {@link Reshape}, {@link Flatten}: a scheduler may alias those);</li>
 * <li>neither {@code s} nor a view of it is a function output (outputs are old values);</li>
 * <li>every other reader of {@code s} or of a view of it does not depend on {@code n}, so the
 *     scheduler can run all of them before {@code n} ({@link Entry#runFirst()} lists them; those that
 *     are ancestors of {@code n} run first anyway);</li>
 * <li>{@code v} is not already written in place into another target.</li>
 * </ul>
 * Otherwise the update is double-buffered: computed into a back buffer and swapped (or copied) after
 * the call; {@link #reason} says why.
 */
public final class InplacePlan {

    /**
     * An in-place update: {@code node}'s output {@code output} is written into the target's buffer;
     * {@code operand} is the position of the target among the node's inputs, or -1 if it does not read it.
     */
    public record Entry(int update, SharedVar target, Node node, int output, int operand, List<Node> runFirst) {
        public Entry {
            runFirst = List.copyOf(runFirst);
        }
    }

    private final Map<Integer, Entry> entries;
    private final Map<Integer, String> reasons;

    private InplacePlan(Map<Integer, Entry> entries, Map<Integer, String> reasons) {
        this.entries = Collections.unmodifiableMap(entries);
        this.reasons = Collections.unmodifiableMap(reasons);
    }

    /** Indices (into {@link FunctionGraph#updates()}) of the updates computed in place. */
    public Set<Integer> updateIndices() { return entries.keySet(); }

    public boolean inPlace(int update) { return entries.containsKey(update); }

    /** The in-place entry of an update, or null. */
    public Entry entry(int update) { return entries.get(update); }

    public Map<Integer, Entry> entries() { return entries; }

    /** Why an update is double-buffered (null when it is in place). */
    public String reason(int update) { return reasons.get(update); }

    public Map<Integer, String> reasons() { return reasons; }

    public String format(FunctionGraph g) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < g.updates().size(); i++) {
            String target = g.updates().get(i).target().toString();
            Entry e = entries.get(i);
            if (e != null) b.append("update ").append(i).append(" (").append(target).append("): in place in ")
                    .append(e.node().op().name()).append(" output ").append(e.output())
                    .append(", after ").append(e.runFirst().size()).append(" other reader(s)\n");
            else b.append("update ").append(i).append(" (").append(target).append("): double-buffered: ").append(reasons.get(i)).append('\n');
        }
        return b.toString();
    }

    /** Analyzes a (usually optimized) function graph. Linear in its size per update that reads its target elementwise. */
    public static InplacePlan analyze(FunctionGraph g) {
        return analyze(g, Topo.sorted(g.allResults(), 1024, false));
    }

    /** Same, with the graph's topological order and positions given (the optimizer has them already). */
    static InplacePlan analyze(FunctionGraph g, Topo.Sorted sorted) {
        if (g.updates().isEmpty()) return new InplacePlan(new TreeMap<>(), new LinkedHashMap<>());
        List<Node> order = sorted.order();
        SerialIntMap<Node> idx = sorted.pos();
        // addressed by serial number (SerialTable): this runs on whole graphs of 10^5 nodes
        SerialMap<Var, List<Node>> clients = new SerialMap<>(order.size());
        for (Node n : order)
            for (Var v : n.inputs()) {
                List<Node> cs = clients.get(v);
                if (cs == null) clients.put(v, cs = new ArrayList<>(2));
                cs.add(n);
            }
        Set<Var> outputs = Collections.newSetFromMap(new IdentityHashMap<>());
        outputs.addAll(g.outputs());
        Set<Var> writtenInPlace = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Integer, Entry> entries = new TreeMap<>();
        Map<Integer, String> reasons = new LinkedHashMap<>();
        // ordering constraints of accepted entries: reader -> nodes that must run after it
        Map<Node, List<Node>> after = new IdentityHashMap<>();
        boolean[] backward = {false};

        for (int i = 0; i < g.updates().size(); i++) {
            SharedVar s = g.updates().get(i).target();
            Var v = g.updates().get(i).value();
            Node n = v.owner();
            if (v == s) { reasons.put(i, "the new value is the old value: nothing to write"); continue; }
            if (n == null) { reasons.put(i, "the new value " + v + " is not computed (a copy)"); continue; }
            if (n.op() instanceof DimShuffle || n.op() instanceof Reshape || n.op() instanceof Flatten) {
                reasons.put(i, "the new value is a " + n.op().name() + " of another value, which a scheduler may alias");
                continue;
            }
            boolean elementwise = n.op() instanceof Elemwise || n.op() instanceof FusedElemwise;
            int operand = -1;
            for (int k = 0; k < n.inputs().size(); k++) if (n.input(k) == s) { operand = k; break; }
            if (operand >= 0 && !elementwise) {
                reasons.put(i, "the new value is computed by " + n.op().name() + ", which reads the old value and is not elementwise");
                continue;
            }
            if (operand >= 0 && !java.util.Arrays.equals(s.type().shape(), v.type().shape())) {
                reasons.put(i, "the new value does not read the old value elementwise");
                continue;
            }
            if (writtenInPlace.contains(v)) { reasons.put(i, "the new value is already written in place into another shared variable"); continue; }
            // s and its views
            List<Var> aliases = new ArrayList<>();
            aliases.add(s);
            for (int a = 0; a < aliases.size(); a++)
                for (Node c : clientsOf(clients, aliases.get(a)))
                    if (c.op() instanceof DimShuffle || c.op() instanceof Reshape || c.op() instanceof Flatten) aliases.add(c.output());
            String problem = null;
            List<Node> readers = new ArrayList<>();
            Set<Node> seenReaders = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Var a : aliases) {
                if (outputs.contains(a)) { problem = "the old value " + (a == s ? "" : "(through a view) ") + "is also a function output"; break; }
                for (Node c : clientsOf(clients, a)) {
                    if (c == n) {
                        if (a != s) { problem = "the node reads the old value through a view (" + a.owner().op().name() + ")"; break; }
                        continue;
                    }
                    if (seenReaders.add(c)) readers.add(c);
                }
                if (problem != null) break;
            }
            if (problem == null) {
                Node late = firstDescendant(n, readers, idx, clients, after, backward);
                if (late != null) problem = "another reader of the old value (" + late.op().name() + " made at " + late.site()
                        + ") must run after the new value's node (it depends on the new value, or an earlier in-place"
                        + " update needs that order), so it cannot run first";
            }
            if (problem != null) { reasons.put(i, problem); continue; }
            readers.sort(java.util.Comparator.comparingInt(r -> idx.get(r, -1)));
            entries.put(i, new Entry(i, s, n, v.index(), operand, readers));
            writtenInPlace.add(v);
            // the scheduler will run each reader before n: later updates must respect that too
            for (Node r : readers) {
                after.computeIfAbsent(r, k -> new ArrayList<>(1)).add(n);
                if (idx.get(r, -1) > idx.get(n, -1)) backward[0] = true;
            }
        }
        return new InplacePlan(entries, reasons);
    }

    /**
     * A reader that must run after {@code n}: reachable from it through data edges or the ordering
     * constraints of entries already accepted; or null. While every constraint points forward in the
     * topological order, the search stops at the last reader's position.
     */
    private static Node firstDescendant(Node n, List<Node> readers, SerialIntMap<Node> idx, SerialMap<Var, List<Node>> clients,
                                        Map<Node, List<Node>> after, boolean[] backward) {
        int start = idx.get(n, -1), limit = backward[0] ? Integer.MAX_VALUE : -1;
        Set<Node> candidates = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node r : readers) if (backward[0] || idx.get(r, -1) > start) { candidates.add(r); limit = Math.max(limit, idx.get(r, -1)); }
        if (candidates.isEmpty()) return null;
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> queue = new ArrayDeque<>();
        queue.add(n);
        seen.add(n);
        while (!queue.isEmpty()) {
            Node x = queue.poll();
            List<Node> next = new ArrayList<>(after.getOrDefault(x, List.of()));
            for (Var o : x.outputs()) next.addAll(clientsOf(clients, o));
            for (Node c : next) {
                if (idx.get(c, -1) > limit || !seen.add(c)) continue;
                if (candidates.contains(c)) return c;
                queue.add(c);
            }
        }
        return null;
    }

    private static List<Node> clientsOf(SerialMap<Var, List<Node>> clients, Var v) {
        List<Node> cs = clients.get(v);
        return cs == null ? List.of() : cs;
    }
}
