package dev.tcc.opt;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;
import dev.tcc.ops.Elemwise;
import dev.tcc.ops.FusedElemwise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elementwise fusion: groups of {@link Elemwise} nodes become {@link FusedElemwise} nodes, each a
 * straight-line scalar program evaluated once per element of the group's (broadcast) result.
 *
 * <ol>
 * <li><b>Vertical.</b> Nodes are visited readers first. A node joins the group of its readers when
 *     all of them are in one group (it becomes an internal value, whatever its shape: broadcasting
 *     is re-done per element), or, when some readers are elsewhere, as an <em>extra output</em> if it
 *     has the group's full shape and every outside reader comes after the group's root in the
 *     topological order (which keeps the grouped graph acyclic). Otherwise it starts a new group.</li>
 * <li><b>Vertical merge of groups.</b> A group that reads an output of a group of the same shape
 *     joins it when every other unit it reads from is at a lower level of the grouped graph.</li>
 * <li><b>Siblings.</b> Groups at the same level of the grouped graph (so neither depends on the
 *     other) that read a common variable of their full shape — which pins their run-time shapes
 *     equal — merge into one multi-output node.</li>
 * <li><b>Budget.</b> A group never exceeds {@link FusionBudget}: CUDA passes kernel parameters in 4 KB, so
 *     the operands (inputs + outputs) and the estimated parameter bytes are capped, as is the number of
 *     scalar instructions (compile time, registers). A node that does not fit starts a new group.</li>
 * </ol>
 * One pass over the graph: per-node data lives in arrays indexed by topological position (each
 * edge's producer position is looked up once), so the pass is linear in the graph's size.
 */
final class Fusion {

    /** The fused graph's results and, per fused node, the creation site of each instruction. */
    record Result(List<Var> results, Map<Node, List<Site>> sites) {}

    private static final class Group {
        final int rootIdx;
        /** The type of the root's output: every member and output has its shape. */
        final TensorType type;
        final List<Integer> members = new ArrayList<>();          // positions
        final LinkedHashSet<Var> inputs = new LinkedHashSet<>();
        final List<Var> outputs = new ArrayList<>();
        int level;
        Group parent = this;

        Group(int rootIdx, TensorType type) {
            this.rootIdx = rootIdx;
            this.type = type;
        }

        Group find() {
            Group g = this;
            while (g.parent != g) { g.parent = g.parent.parent; g = g.parent; }
            return g;
        }
    }

    private final FusionBudget budget;
    private final boolean fuseSingletons;
    private final Map<String, Integer> counts;

    Fusion(FusionBudget budget, boolean fuseSingletons, Map<String, Integer> counts) {
        this.budget = budget;
        this.fuseSingletons = fuseSingletons;
        this.counts = counts;
    }

    private void count(String what, int n) { if (n > 0) counts.merge(what, n, Integer::sum); }

    // per-run state, indexed by topological position
    private List<Node> order;
    private int[][] inPos;          // producer position of each input, -1 for a leaf
    private int[][] readers;        // positions of the nodes reading an elementwise node's output
    private Group[] groupAt;
    private int[] levelAt;

    private Group groupOfPos(int p) {
        if (p < 0) return null;
        Group g = groupAt[p];
        return g == null ? null : g.find();
    }

    /** Level of the unit (group or node) that produces input {@code k} of the node at {@code i}; 0 for a leaf. */
    private int producerLevel(int p) {
        if (p < 0) return 0;
        Group g = groupAt[p];
        return g != null ? g.find().level : levelAt[p];
    }

    Result run(List<Var> results, List<Node> order, SerialIntMap<Node> idx) {
        this.order = order;
        int n = order.size();
        inPos = new int[n][];
        int[] readerCount = new int[n];
        for (int i = 0; i < n; i++) {
            List<Var> ins = order.get(i).inputs();
            int[] ps = new int[ins.size()];
            for (int k = 0; k < ps.length; k++) {
                Node p = ins.get(k).owner();
                ps[k] = p == null ? -1 : idx.get(p, -1);
                if (ps[k] >= 0) readerCount[ps[k]]++;
            }
            inPos[i] = ps;
        }
        readers = new int[n][];
        for (int i = 0; i < n; i++) readers[i] = order.get(i).op() instanceof Elemwise ? new int[readerCount[i]] : null;
        int[] fill = new int[n];
        for (int i = 0; i < n; i++)
            for (int p : inPos[i]) if (p >= 0 && readers[p] != null) {
                int[] r = readers[p];
                if (fill[p] == 0 || r[fill[p] - 1] != i) r[fill[p]++] = i;    // a reader counts once
            }
        for (int i = 0; i < n; i++) if (readers[i] != null && fill[i] < readers[i].length) readers[i] = Arrays.copyOf(readers[i], fill[i]);
        Set<Var> resultSet = Collections.newSetFromMap(new IdentityHashMap<>());
        resultSet.addAll(results);
        groupAt = new Group[n];

        // 1. vertical grouping, readers first
        for (int i = n - 1; i >= 0; i--) {
            Node nd = order.get(i);
            if (!(nd.op() instanceof Elemwise)) continue;
            Var out = nd.output();
            int[] cl = readers[i];
            boolean isResult = resultSet.contains(out);
            Group target = null;
            boolean asOutput = false;
            Group common = null;
            boolean allInOne = cl.length > 0;
            for (int c : cl) {
                Group g = groupAt[c];
                if (g == null || (common != null && g != common)) { allInOne = false; break; }
                common = g;
            }
            if (allInOne && !isResult) {
                target = common;
            } else {
                // as an extra output of a reader's group: try the first two candidate groups
                Group tried = null;
                for (int c : cl) {
                    Group g = groupAt[c];
                    if (g == null || g == tried || !out.type().sameShape(g.type)) continue;
                    boolean ok = true;
                    for (int c2 : cl) if (groupAt[c2] != g && c2 <= g.rootIdx) { ok = false; break; }
                    if (ok) { target = g; asOutput = true; break; }
                    if (tried != null) break;
                    tried = g;
                }
            }
            if (target != null && fits(target, nd, asOutput)) {
                target.members.add(i);
                groupAt[i] = target;
                target.inputs.remove(out);
                target.inputs.addAll(nd.inputs());
                if (asOutput) { target.outputs.add(out); count("fuse.extra_outputs", 1); }
            } else {
                if (target != null) count("fuse.budget_splits", 1);
                Group g = new Group(i, out.type());
                g.members.add(i);
                g.inputs.addAll(nd.inputs());
                g.outputs.add(out);
                groupAt[i] = g;
            }
        }

        // 2. levels of the grouped graph (units in the order of their roots are topologically sorted)
        levelAt = new int[n];
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Group g = groupAt[i];
            if (g == null) {
                int m = 0;
                for (int p : inPos[i]) m = Math.max(m, producerLevel(p));
                levelAt[i] = 1 + m;
            } else if (g.rootIdx == i) {
                int m = 0;
                for (int member : g.members)
                    for (int p : inPos[member]) if (p >= 0 && groupAt[p] != g) m = Math.max(m, producerLevel(p));
                g.level = 1 + m;
                groups.add(g);
            }
        }

        // 3. vertical merge of groups: a group that reads an output of a group of the same shape joins
        //    it when every other unit it reads from is at a lower level than that group (so no path
        //    leaves the producer and comes back); levels stay a valid labelling of the grouped graph
        groups.sort(Comparator.comparingInt((Group g) -> g.level).thenComparingInt(g -> g.rootIdx));
        for (Group g0 : groups) {
            Group c = g0.find();
            Group target = null;
            for (Var v : c.inputs) {
                Group p = producerGroup(v, idx);
                if (p == null || p == c || !p.type.sameShape(c.type)) continue;
                if (target == null || p.level > target.level) target = p;
            }
            if (target == null) continue;
            final Group tgt = target, cons = c;
            boolean ok = true;
            for (Var v : c.inputs) {
                Node p = v.owner();
                if (p == null) continue;
                int pp = idx.get(p, -1);
                if (groupOfPos(pp) == target) continue;
                if (producerLevel(pp) >= target.level) { ok = false; break; }
            }
            if (!ok) continue;
            LinkedHashSet<Var> ins = new LinkedHashSet<>(target.inputs);
            ins.addAll(c.inputs);
            ins.removeIf(v -> { Group pg = producerGroup(v, idx); return pg == tgt || pg == cons; });
            int outs = target.outputs.size() + c.outputs.size();
            if (!budget.fits(ins.size() + outs, target.type.ndim(), target.members.size() + c.members.size())) {
                count("fuse.budget_splits", 1);
                continue;
            }
            target.members.addAll(c.members);
            target.inputs.clear();
            target.inputs.addAll(ins);
            target.outputs.addAll(c.outputs);
            c.parent = target;
            count("fuse.vertical_merges", 1);
        }

        // 4. siblings: same level, a shared input of their full shape
        Map<SiblingKey, Group> firstReader = new HashMap<>();
        for (Group g0 : groups) {
            for (Var v : new ArrayList<>(g0.inputs)) {
                Group g = g0.find();
                if (!v.type().sameShape(g.type)) continue;
                SiblingKey key = new SiblingKey(v, g.level);
                Group h = firstReader.get(key);
                if (h == null) { firstReader.put(key, g); continue; }
                h = h.find();
                if (h == g) continue;
                if (!fitsMerged(h, g)) { count("fuse.budget_splits", 1); continue; }
                h.members.addAll(g.members);
                h.inputs.addAll(g.inputs);
                h.outputs.addAll(g.outputs);
                g.parent = h;
                count("fuse.sibling_merges", 1);
            }
        }

        // 5. emit units by level (then by position), building fused nodes
        long[] units = new long[n];                 // level << 32 | position of the unit's first node
        int nu = 0;
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            Group g = groupAt[i];
            if (g == null) units[nu++] = ((long) levelAt[i] << 32) | i;
            else {
                g = g.find();
                if (!seen[g.rootIdx]) { seen[g.rootIdx] = true; units[nu++] = ((long) g.level << 32) | i; }
            }
        }
        Arrays.sort(units, 0, nu);
        List<Var>[] newOut = newOutputs(n);
        Map<Node, List<Site>> sites = new IdentityHashMap<>();
        int kernels = 0, fusedOps = 0, multi = 0;
        for (int u = 0; u < nu; u++) {
            int i = (int) units[u];
            Group g = groupAt[i];
            if (g == null) { rebuild(i, newOut); continue; }
            g = g.find();
            Collections.sort(g.members);
            if (g.members.size() == 1 && !fuseSingletons) { rebuild(g.members.get(0), newOut); continue; }
            pruneOutputs(g, resultSet, idx);
            Node fused = emit(g, idx, newOut, sites);
            kernels++;
            fusedOps += g.members.size();
            if (fused.outputs().size() > 1) multi++;
        }
        count("fuse.kernels", kernels);
        count("fuse.ops", fusedOps);
        count("fuse.multi_output", multi);
        List<Var> out = new ArrayList<>(results.size());
        for (Var r : results) out.add(mapped(r, idx, newOut));
        return new Result(out, sites);
    }

    @SuppressWarnings("unchecked")
    private static List<Var>[] newOutputs(int n) { return (List<Var>[]) new List<?>[n]; }

    /** The fused graph's version of {@code v}. */
    private static Var mapped(Var v, SerialIntMap<Node> idx, List<Var>[] newOut) {
        Node p = v.owner();
        if (p == null) return v;
        List<Var> l = newOut[idx.get(p, -1)];
        return l == null ? v : l.get(v.index());
    }

    private record SiblingKey(Var v, int level) {}

    private Group producerGroup(Var v, SerialIntMap<Node> idx) {
        Node p = v.owner();
        return p == null ? null : groupOfPos(idx.get(p, -1));
    }

    private boolean fits(Group g, Node nd, boolean asOutput) {
        Var out = nd.output();
        int inputs = g.inputs.size() - (g.inputs.contains(out) ? 1 : 0);
        List<Var> added = new ArrayList<>(3);
        for (Var v : nd.inputs()) if (v != out && !g.inputs.contains(v) && !added.contains(v)) added.add(v);
        inputs += added.size();
        int outputs = g.outputs.size() + (asOutput ? 1 : 0);
        return budget.fits(inputs + outputs, g.type.ndim(), g.members.size() + 1);
    }

    private boolean fitsMerged(Group h, Group g) {
        int inputs = h.inputs.size();
        for (Var v : g.inputs) if (!h.inputs.contains(v)) inputs++;
        return budget.fits(inputs + h.outputs.size() + g.outputs.size(), h.type.ndim(), h.members.size() + g.members.size());
    }

    /** The node at position i on its inputs' fused-graph versions (itself if none changed). */
    private void rebuild(int i, List<Var>[] newOut) {
        Node nd = order.get(i);
        int k = nd.inputs().size();
        Var[] ins = null;                   // made at the first input that changed
        for (int j = 0; j < k; j++) {
            Var v = nd.input(j);
            int p = inPos[i][j];
            Var m = p < 0 || newOut[p] == null ? v : newOut[p].get(v.index());
            if (m != v && ins == null) ins = nd.inputs().toArray(new Var[k]);
            if (ins != null) ins[j] = m;
        }
        newOut[i] = ins == null ? nd.outputs() : nd.op().applyAt(nd.site(), Arrays.asList(ins)).outputs();
    }

    /** After merges, a group's output that only its own members read is internal. */
    private void pruneOutputs(Group g, Set<Var> results, SerialIntMap<Node> idx) {
        g.outputs.removeIf(o -> {
            if (results.contains(o)) return false;
            for (int c : readers[idx.get(o.owner(), -1)]) if (groupOfPos(c) != g) return false;
            return true;
        });
    }

    /** Builds the fused node of a group whose members are sorted by position. */
    private Node emit(Group g, SerialIntMap<Node> idx, List<Var>[] newOut, Map<Node, List<Site>> sites) {
        Map<Var, Integer> slot = new IdentityHashMap<>();
        for (int j = 0; j < g.members.size(); j++) slot.put(order.get(g.members.get(j)).output(), j);
        Map<Var, Integer> inputIndex = new IdentityHashMap<>();
        List<Var> ins = new ArrayList<>();
        for (int mi : g.members) {
            Node m = order.get(mi);
            for (int k = 0; k < m.inputs().size(); k++) {
                Var v = m.input(k);
                if (slot.containsKey(v) || inputIndex.containsKey(v)) continue;
                inputIndex.put(v, ins.size());
                int p = inPos[mi][k];
                ins.add(p < 0 || newOut[p] == null ? v : newOut[p].get(v.index()));
            }
        }
        int nIn = ins.size();
        List<FusedElemwise.Instr> program = new ArrayList<>(g.members.size());
        List<Site> instrSites = new ArrayList<>(g.members.size());
        for (int mi : g.members) {
            Node m = order.get(mi);
            Elemwise e = (Elemwise) m.op();
            List<Integer> args = new ArrayList<>(m.inputs().size());
            for (Var v : m.inputs()) {
                Integer s = slot.get(v);
                args.add(s != null ? nIn + s : inputIndex.get(v));
            }
            program.add(new FusedElemwise.Instr(e.scalar(), e.castTo(), m.output().dtype(), args));
            instrSites.add(m.site());
        }
        List<Var> outs = new ArrayList<>(g.outputs);
        outs.sort(Comparator.comparingInt(v -> idx.get(v.owner(), -1)));
        List<Integer> outIdx = new ArrayList<>(outs.size());
        for (Var o : outs) outIdx.add(slot.get(o));
        Site site = outs.get(outs.size() - 1).owner().site();
        Node fused = new FusedElemwise(nIn, program, outIdx).applyAt(site, ins);
        for (int k = 0; k < outs.size(); k++) {
            Var old = outs.get(k), nu = fused.outputs().get(k);
            if (!old.type().equals(nu.type()))
                throw new IllegalStateException("fusion changed the type of " + old.describe() + " to " + nu.type());
            if (old.name() != null) nu.named(old.name());
            newOut[idx.get(old.owner(), -1)] = List.of(nu);      // elementwise nodes have one output
        }
        sites.put(fused, List.copyOf(instrSites));
        return fused;
    }
}
