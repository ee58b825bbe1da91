package dev.tcc.opt;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
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
 * <li><b>Siblings.</b> Groups at the same level of the grouped graph (so neither depends on the
 *     other) that read a common variable of their full shape — which pins their run-time shapes
 *     equal — merge into one multi-output node.</li>
 * <li><b>Budget.</b> A group never exceeds {@link FusionBudget}: CUDA passes kernel parameters in 4 KB, so
 *     the operands (inputs + outputs) and the estimated parameter bytes are capped, as is the number of
 *     scalar instructions (compile time, registers). A node that does not fit starts a new group.</li>
 * </ol>
 * Everything is one pass over the graph with hash maps: linear in its size.
 */
final class Fusion {

    /** The fused graph's results and, per fused node, the creation site of each instruction. */
    record Result(List<Var> results, Map<Node, List<Site>> sites) {}

    private static final class Group {
        final int rootIdx;
        final int[] shape;
        final List<Node> members = new ArrayList<>();
        final LinkedHashSet<Var> inputs = new LinkedHashSet<>();
        final List<Var> outputs = new ArrayList<>();
        int level;
        Group parent = this;

        Group(int rootIdx, int[] shape) {
            this.rootIdx = rootIdx;
            this.shape = shape;
        }

        Group find() {
            Group g = this;
            while (g.parent != g) { g.parent = g.parent.parent; g = g.parent; }
            return g;
        }

        int operands() { return inputs.size() + outputs.size(); }
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

    Result run(List<Var> results, List<Node> order, Map<Node, Integer> idx) {
        int n = order.size();
        Map<Var, List<Node>> clients = new IdentityHashMap<>(2 * n + 16);
        for (Node nd : order)
            for (Var v : nd.inputs()) {
                if (!(nd.op() instanceof Elemwise) && !(v.owner() != null && v.owner().op() instanceof Elemwise)) continue;
                List<Node> l = clients.get(v);
                if (l == null) clients.put(v, List.of(nd));
                else if (l.size() == 1) { List<Node> two = new ArrayList<>(2); two.add(l.get(0)); two.add(nd); clients.put(v, two); }
                else l.add(nd);
            }
        Set<Var> resultSet = Collections.newSetFromMap(new IdentityHashMap<>());
        resultSet.addAll(results);
        Map<Node, Group> groupOf = new IdentityHashMap<>(2 * n + 16);

        // 1. vertical grouping, readers first
        for (int i = n - 1; i >= 0; i--) {
            Node nd = order.get(i);
            if (!(nd.op() instanceof Elemwise)) continue;
            Var out = nd.output();
            List<Node> cl = clients.getOrDefault(out, List.of());
            boolean isResult = resultSet.contains(out);
            Group target = null;
            boolean asOutput = false;
            Group common = null;
            boolean allInOne = !cl.isEmpty();
            for (Node c : cl) {
                Group g = groupOf.get(c);
                if (g == null || (common != null && g != common)) { allInOne = false; break; }
                common = g;
            }
            if (allInOne && !isResult) {
                target = common;
            } else {
                for (Node c : cl) {
                    Group g = groupOf.get(c);
                    if (g == null || !Arrays.equals(out.type().shape(), g.shape)) continue;
                    boolean ok = true;
                    for (Node c2 : cl) if (groupOf.get(c2) != g && idx.get(c2) <= g.rootIdx) { ok = false; break; }
                    if (ok) { target = g; asOutput = true; break; }
                }
            }
            if (target != null && fits(target, nd, asOutput)) {
                target.members.add(nd);
                groupOf.put(nd, target);
                target.inputs.remove(out);
                target.inputs.addAll(nd.inputs());
                if (asOutput) { target.outputs.add(out); count("fuse.extra_outputs", 1); }
            } else {
                if (target != null) count("fuse.budget_splits", 1);
                Group g = new Group(i, out.type().shape());
                g.members.add(nd);
                g.inputs.addAll(nd.inputs());
                g.outputs.add(out);
                groupOf.put(nd, g);
            }
        }

        // 2. levels of the grouped graph (units in the order of their roots are topologically sorted)
        Map<Node, Integer> nodeLevel = new IdentityHashMap<>(2 * n + 16);
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Node nd = order.get(i);
            Group g = groupOf.get(nd);
            if (g == null) {
                nodeLevel.put(nd, 1 + maxLevel(nd.inputs(), groupOf, nodeLevel));
            } else if (g.rootIdx == i) {
                g.level = 1 + maxLevel(g.inputs, groupOf, nodeLevel);
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
                Group p = producerGroup(v, groupOf);
                if (p == null || p == c || !Arrays.equals(p.shape, c.shape)) continue;
                if (target == null || p.level > target.level) target = p;
            }
            if (target == null) continue;
            final Group tgt = target, cons = c;
            boolean ok = true;
            for (Var v : c.inputs) {
                Node p = v.owner();
                if (p == null) continue;
                Group pg = producerGroup(v, groupOf);
                if (pg == target) continue;
                int level = pg != null ? pg.level : nodeLevel.get(p);
                if (level >= target.level) { ok = false; break; }
            }
            if (!ok) continue;
            LinkedHashSet<Var> ins = new LinkedHashSet<>(target.inputs);
            ins.addAll(c.inputs);
            ins.removeIf(v -> { Group pg = producerGroup(v, groupOf); return pg == tgt || pg == cons; });
            int outs = target.outputs.size() + c.outputs.size();
            if (!budget.fits(ins.size() + outs, target.shape.length, target.members.size() + c.members.size())) {
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
                if (!Arrays.equals(v.type().shape(), g.shape)) continue;
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
        record Unit(int level, int seq, Node node, Group group) {}
        List<Unit> units = new ArrayList<>();
        Set<Group> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < n; i++) {
            Node nd = order.get(i);
            Group g = groupOf.get(nd);
            if (g == null) units.add(new Unit(nodeLevel.get(nd), i, nd, null));
            else if (seen.add(g = g.find())) units.add(new Unit(g.level, i, null, g));
        }
        units.sort(Comparator.comparingInt(Unit::level).thenComparingInt(Unit::seq));
        Map<Var, Var> map = new IdentityHashMap<>(2 * n + 16);
        Map<Node, List<Site>> sites = new IdentityHashMap<>();
        int kernels = 0, fusedOps = 0, multi = 0;
        for (Unit u : units) {
            if (u.node() != null) {
                rebuild(u.node(), map);
                continue;
            }
            Group g = u.group();
            g.members.sort(Comparator.comparingInt(idx::get));
            if (g.members.size() == 1 && !fuseSingletons) {
                rebuild(g.members.get(0), map);
                continue;
            }
            pruneOutputs(g, groupOf, clients, resultSet);
            Node fused = emit(g, idx, map, sites);
            kernels++;
            fusedOps += g.members.size();
            if (fused.outputs().size() > 1) multi++;
        }
        count("fuse.kernels", kernels);
        count("fuse.ops", fusedOps);
        count("fuse.multi_output", multi);
        List<Var> out = new ArrayList<>(results.size());
        for (Var r : results) out.add(map.getOrDefault(r, r));
        return new Result(out, sites);
    }

    private record SiblingKey(Var v, int level) {}

    private static Group producerGroup(Var v, Map<Node, Group> groupOf) {
        Node p = v.owner();
        if (p == null) return null;
        Group g = groupOf.get(p);
        return g == null ? null : g.find();
    }

    private static int maxLevel(Iterable<Var> inputs, Map<Node, Group> groupOf, Map<Node, Integer> nodeLevel) {
        int m = 0;
        for (Var v : inputs) {
            Node p = v.owner();
            if (p == null) continue;
            Group g = groupOf.get(p);
            int l = g != null ? g.level : nodeLevel.get(p);
            m = Math.max(m, l);
        }
        return m;
    }

    private boolean fits(Group g, Node nd, boolean asOutput) {
        Var out = nd.output();
        int inputs = g.inputs.size() - (g.inputs.contains(out) ? 1 : 0);
        List<Var> added = new ArrayList<>(3);
        for (Var v : nd.inputs()) if (v != out && !g.inputs.contains(v) && !added.contains(v)) added.add(v);
        inputs += added.size();
        int outputs = g.outputs.size() + (asOutput ? 1 : 0);
        return budget.fits(inputs + outputs, g.shape.length, g.members.size() + 1);
    }

    private boolean fitsMerged(Group h, Group g) {
        int inputs = h.inputs.size();
        for (Var v : g.inputs) if (!h.inputs.contains(v)) inputs++;
        return budget.fits(inputs + h.outputs.size() + g.outputs.size(), h.shape.length, h.members.size() + g.members.size());
    }

    private static void rebuild(Node nd, Map<Var, Var> map) {
        List<Var> ins = new ArrayList<>(nd.inputs().size());
        boolean same = true;
        for (Var v : nd.inputs()) {
            Var m = map.getOrDefault(v, v);
            same &= m == v;
            ins.add(m);
        }
        Node k = same ? nd : nd.op().applyAt(nd.site(), ins);
        for (int i = 0; i < nd.outputs().size(); i++) map.put(nd.outputs().get(i), k.outputs().get(i));
    }

    /** After merges, a group's output that only its own members read is internal. */
    private static void pruneOutputs(Group g, Map<Node, Group> groupOf, Map<Var, List<Node>> clients, Set<Var> results) {
        g.outputs.removeIf(o -> {
            if (results.contains(o)) return false;
            for (Node c : clients.getOrDefault(o, List.of())) {
                Group cg = groupOf.get(c);
                if (cg == null || cg.find() != g) return false;
            }
            return true;
        });
    }

    /** Builds the fused node of a group whose members are sorted topologically. */
    private static Node emit(Group g, Map<Node, Integer> idx, Map<Var, Var> map, Map<Node, List<Site>> sites) {
        Map<Var, Integer> slot = new IdentityHashMap<>();
        for (int j = 0; j < g.members.size(); j++) slot.put(g.members.get(j).output(), j);
        Map<Var, Integer> inputIndex = new IdentityHashMap<>();
        List<Var> ins = new ArrayList<>();
        for (Node m : g.members)
            for (Var v : m.inputs())
                if (!slot.containsKey(v) && !inputIndex.containsKey(v)) {
                    inputIndex.put(v, ins.size());
                    ins.add(map.getOrDefault(v, v));
                }
        int nIn = ins.size();
        List<FusedElemwise.Instr> program = new ArrayList<>(g.members.size());
        List<Site> instrSites = new ArrayList<>(g.members.size());
        for (Node m : g.members) {
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
        outs.sort(Comparator.comparingInt(v -> idx.get(v.owner())));
        List<Integer> outIdx = new ArrayList<>(outs.size());
        for (Var o : outs) outIdx.add(slot.get(o));
        Site site = outs.get(outs.size() - 1).owner().site();
        Node fused = new FusedElemwise(nIn, program, outIdx).applyAt(site, ins);
        for (int k = 0; k < outs.size(); k++) {
            Var old = outs.get(k), nu = fused.outputs().get(k);
            if (!old.type().equals(nu.type()))
                throw new IllegalStateException("fusion changed the type of " + old.describe() + " to " + nu.type());
            if (old.name() != null) nu.named(old.name());
            map.put(old, nu);
        }
        sites.put(fused, List.copyOf(instrSites));
        return fused;
    }

}
