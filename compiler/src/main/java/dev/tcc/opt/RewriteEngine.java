package dev.tcc.opt;

import dev.tcc.NDArray;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.Site;
import dev.tcc.ir.TypeError;
import dev.tcc.ops.Elemwise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies local rules to a fixpoint and merges identical nodes and constants (CSE), on the immutable
 * IR. A round walks the graph from the results, inputs before readers (iteratively, so depth does
 * not matter); each node is rebuilt on its inputs' final versions, looked up in a structural hash
 * table (merge), then offered to the rules indexed by its op. A replacement's new nodes go through
 * the same procedure before it is used, so a round leaves every node at a fixpoint of the rules that
 * look only upward. Another round runs only if a rule declined because a variable had several
 * readers and a rewrite later left it with one, up to a hard cap. What the results no longer
 * reach is dropped (dead-code removal is structural: a round rebuilds only what the results reach).
 * Each node is visited a constant number of times per round and all tables are hash tables (the
 * per-node ones addressed by serial number, {@link SerialTable}), so a round is linear in the graph's size.
 */
final class RewriteEngine {
    /** Nested rule applications deeper than this stop rewriting (guards against rules that ping-pong). */
    private static final int MAX_DEPTH = 64;

    private final Optimizer.Options options;
    private SerialSet<Node> originalNodes = new SerialSet<>(0);
    private final Ranges ranges = new Ranges();
    /** Canonical constant per value (dtype, shape and contents), kept across phases. */
    private final Map<NDArray, Constant> constByValue = new HashMap<>();
    private final SerialMap<Var, Var> constCanon = new SerialMap<>(0);
    private int constantsMerged;

    RewriteEngine(Optimizer.Options options) {
        this.options = options;
    }

    /** The input graph's nodes, whose variables keep their names (set before the first phase). */
    void originalNodes(SerialSet<Node> nodes) { this.originalNodes = nodes; }

    Ranges ranges() { return ranges; }

    /** Runs one phase: rounds of merge + rules until nothing changes or the round cap. */
    List<Var> runPhase(String phase, List<Var> results, RuleSet rules, PassReport report) {
        return runPhase(phase, results, rules, report, true);
    }

    /** {@code countUsesAfter}: whether a later phase has rules (and so needs use counts). */
    List<Var> runPhase(String phase, List<Var> results, RuleSet rules, PassReport report, boolean countUsesAfter) {
        long t0 = System.nanoTime();
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (settled == null) settled = new SerialIntMap<>(originalNodes.size());
        Topo.Sorted sorted = sortedOf(results, !rules.isEmpty());
        int before = sorted.size();
        int rounds = 0;
        boolean capHit = false;
        RuleIndex index = new RuleIndex(rules);
        List<Var> cur = results;
        while (true) {
            if (rounds == options.maxRounds()) { capHit = true; break; }
            rounds++;
            Round r = new Round(index, sorted, cur);
            // Rules build nodes at the replaced node's site; an outer override makes the nested ones cheap.
            List<Var> next = Site.with(Site.UNKNOWN, r::run);
            r.counts.forEach((k, v) -> counts.merge(k, v, Integer::sum));
            if (r.changes == 0) break;                  // the same graph: nothing to re-sort
            // the next round (and phase) may need use counts; the last merge phase does not
            Topo.Sorted nextSorted = Topo.sorted(next, sorted.size(), countUsesAfter || !rules.isEmpty());
            int dead = r.table.size() - nextSorted.size();     // merged nodes that the results no longer reach
            if (dead > 0) counts.merge("dce.nodes", dead, Integer::sum);
            cur = next;
            sorted = nextSorted;
            // Merging alone reaches its fixpoint in one round: inputs are merged before their readers.
            // With rules, a node leaves the walk at a fixpoint of every rule that looks only at the graph
            // above it; another round can find work only where a rule declined because a variable had
            // several readers and now has one (or where the depth guard stopped rewriting).
            if (rules.isEmpty() || !r.mayFindMore(nextSorted.uses())) break;
        }
        List<Node> order = sorted.order();
        last = new Last(cur, sorted);
        report.add(new PassReport.Phase(phase, before, order.size(), rounds, capHit, System.nanoTime() - t0, counts));
        return cur;
    }

    /** The last phase's results and their sorted form, which the next phase reuses. */
    private record Last(List<Var> resultsKey, Topo.Sorted sorted) {}

    private Last last = new Last(null, null);

    /** The sorted form of {@code results} (the last phase's, if they are its results). */
    Topo.Sorted sortedOf(List<Var> results, boolean countUses) {
        if (results != last.resultsKey || (countUses && last.sorted.uses() == null))
            // sized like the last sort (the same graph, or what a phase made of it)
            last = new Last(results, Topo.sorted(results, last.sorted == null ? 1024 : Math.max(1024, last.sorted.size()), countUses));
        return last.sorted;
    }

    List<Node> orderOf(List<Var> results) { return sortedOf(results, false).order(); }

    /** The one constant object that stands for this value. */
    private Var canonicalConstant(Var v) {
        Var c = constCanon.get(v);
        if (c != null) return c;
        Constant k = (Constant) v;
        Constant rep = constByValue.putIfAbsent(k.value(), k);
        if (rep == null) rep = k;
        else constantsMerged++;
        constCanon.put(v, rep);
        return rep;
    }

    /**
     * A phase's rules in priority order, each with the generation that introduced it (canonicalize 1,
     * stabilize 2, specialize 3), and the phase's own generation.
     */
    record RuleSet(List<Rule> rules, int[] generations, int generation) {
        static final RuleSet NONE = new RuleSet(List.of(), new int[0], 0);

        boolean isEmpty() { return rules.isEmpty(); }
    }

    /**
     * Rules by what they trigger on, in priority order. A node already offered the rules of
     * generation g without any firing (see {@code settled}) is offered only newer rules and rules
     * that read use counts: the others would decline again, since the node and the graph above it
     * are the same objects.
     */
    private static final class RuleIndex {
        final RuleSet set;
        final List<Rule> rules;
        private final List<Map<Object, List<Rule>>> cache = new ArrayList<>();

        RuleIndex(RuleSet set) {
            this.set = set;
            this.rules = set.rules();
            for (int g = 0; g <= set.generation(); g++) cache.add(new HashMap<>());
        }

        List<Rule> rulesFor(Node n, int settledAt) {
            int g = Math.min(settledAt, set.generation());
            Object key = n.op() instanceof Elemwise e ? e.scalar() : n.op().getClass();
            Map<Object, List<Rule>> c = cache.get(g);
            List<Rule> l = c.get(key);
            if (l == null) {
                l = new ArrayList<>();
                for (int i = 0; i < rules.size(); i++) {
                    Rule r = rules.get(i);
                    if (set.generations()[i] <= g && !r.readsUseCounts()) continue;
                    Object t = r.trigger();
                    if (t == null || t == key || (t instanceof Class<?> k && k.isInstance(n.op()))) l.add(r);
                }
                c.put(key, l);
            }
            return l;
        }
    }

    /** Node -> the highest generation of rules it was offered without any firing. Kept across phases. */
    private SerialIntMap<Node> settled;                 // made by the first phase, sized for the input graph

    /**
     * For a commutative op on two non-constant operands, whether to look the node up with them
     * swapped too (a+b merges with b+a). Constants keep their side, which constants_right fixes.
     */
    private static boolean commutes(Op op, Var[] ins) {
        if (ins.length != 2 || !(op instanceof Elemwise e) || !Pattern.isCommutative(e.scalar())) return false;
        return !(ins[0] instanceof Constant || ins[1] instanceof Constant || ins[0] == ins[1]);
    }

    /** One walk over the graph. */
    private final class Round implements RewriteContext {
        final RuleIndex index;
        final List<Var> results;
        final Map<String, Integer> counts = new LinkedHashMap<>();
        int changes;
        /** Every variable processed so far -> its final version; a final variable maps to itself. */
        final SerialMap<Var, Var> canon;
        final MergeTable table;
        final boolean trackUses;
        final int generation;
        final SerialIntMap<Var> oldUses;
        final SerialIntMap<Var> newUses;
        int depth;

        Round(RuleIndex index, Topo.Sorted sorted, List<Var> results) {
            this.index = index;
            this.results = results;
            int n = sorted.size();
            canon = new SerialMap<>(n);
            table = new MergeTable(n);
            // use counts only matter to rules; merge-only rounds skip them
            trackUses = !index.rules.isEmpty();
            generation = index.set.generation();
            oldUses = sorted.uses();
            newUses = trackUses ? new SerialIntMap<>(n) : null;
        }

        List<Var> run() {
            int constsBefore = constantsMerged;
            List<Var> out = new ArrayList<>(results.size());
            for (Var v : results) out.add(settle(v));
            int merged = constantsMerged - constsBefore;
            if (merged > 0) { count("merge.constants", merged); changes += merged; }
            return out;
        }

        void count(String what, int n) { counts.merge(what, n, Integer::sum); }

        // ---- RewriteContext ------------------------------------------------------------------------
        @Override public boolean hasOneReader(Var v) {
            if (!trackUses || newUses.get(v, 1) <= 1) return true;
            blocked.add(v);
            return false;
        }

        /** Variables a rule found with several readers (see {@link #mayFindMore}). */
        final Set<Var> blocked = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean depthCapped;

        /**
         * Whether another round might rewrite more: a variable a rule found with several readers
         * has one now, or the depth guard stopped a rewrite. (One that still has several, or that
         * is gone, would make the rules decline again.)
         */
        boolean mayFindMore(SerialIntMap<Var> usesNow) {
            if (depthCapped) return true;
            for (Var v : blocked) if (usesNow.get(v, 0) == 1) return true;
            return false;
        }
        @Override public Ranges ranges() { return ranges; }
        @Override public long foldLimit() { return options.foldLimit(); }
        private final Match match = new Match(this);
        @Override public Match freshMatch() { match.reset(0); return match; }

        /** The final version of {@code v}, or null if it has not been processed. */
        private Var lookup(Var v) {
            if (v.owner() == null) return v instanceof Constant ? canonicalConstant(v) : v;
            return canon.get(v);
        }

        /** Processes everything {@code r} depends on that is not final yet, and returns r's final version. */
        Var settle(Var r) {
            Var c = lookup(r);
            if (c != null) return c;
            ArrayDeque<Var> stack = new ArrayDeque<>();
            stack.push(r);
            while (!stack.isEmpty()) {
                Var v = stack.peek();
                if (lookup(v) != null) { stack.pop(); continue; }
                Node n = v.owner();
                int k = n.inputs().size();
                Var[] ins = new Var[k];
                boolean ready = true;
                for (int i = k - 1; i >= 0; i--) {
                    Var in = n.input(i);
                    Var f = lookup(in);
                    if (f == null) { stack.push(in); ready = false; }
                    else ins[i] = f;
                }
                if (!ready) continue;
                stack.pop();
                process(n, ins);
            }
            return lookup(r);
        }

        /** Rebuilds {@code n} on its inputs' final versions, merges it, rewrites it, and records its outputs' final versions. */
        private void process(Node n, Var[] ins) {
            int k = ins.length;
            boolean same = true;
            for (int i = 0; i < k; i++) same &= ins[i] == n.input(i);
            Op op = n.op();
            Node node = table.get(op, ins, false);
            if (node == null && commutes(op, ins)) node = table.get(op, ins, true);
            if (node == null) {
                node = same ? n : op.applyAt(n.site(), Arrays.asList(ins));
                table.add(op, ins, node);
            } else if (node != n) {
                count("merge.nodes", 1);
                changes++;
            }
            // Nodes of the round's starting graph are processed by the top-level walk; a rule's new
            // nodes only inside rule applications (depth > 0).
            boolean old = depth == 0;
            for (int i = 0; i < n.outputs().size(); i++) {
                Var o = n.outputs().get(i);
                Var f = node.outputs().size() == 1 ? normalize(node) : finalOutput(node.outputs().get(i));
                if (o != node.outputs().get(i) || f != o) canon.put(o, f);     // else normalize recorded it
                if (old && trackUses) {
                    int u = oldUses.get(o, 0);
                    if (u != 0) newUses.add(f, u);
                }
                transferName(o, f);
            }
        }

        private Var finalOutput(Var o) {
            Var c = canon.putIfAbsent(o, o);
            return c == null ? o : c;
        }

        /** Offers a merged node to the rules; returns its output's final version. */
        private Var normalize(Node node) {
            Var out = node.output();
            Var memo = canon.get(out);
            if (memo != null) return memo;
            // Provisionally final: a rule whose result rebuilds this very node (directly or through
            // other rules) finds it here and stops instead of looping.
            canon.put(out, out);
            if (index.rules.isEmpty()) return out;
            int settledAt = settled.get(node, 0);
            List<Rule> rules = index.rulesFor(node, settledAt);
            if (rules.isEmpty()) return out;
            if (depth >= MAX_DEPTH) { count("engine.depth_cap", 1); depthCapped = true; return out; }
            depth++;
            try {
                Var f = Site.with(node.site(), () -> applyRules(node, out, rules));
                if (f == out && settledAt < generation) settled.put(node, generation);
                return f;
            } finally {
                depth--;
            }
        }

        /** Tries the node's rules in order; the first acceptable replacement wins. Runs at the node's site. */
        private Var applyRules(Node node, Var out, List<Rule> rules) {
            for (Rule rule : rules) {
                Var cand;
                try {
                    cand = rule.rewrite(node, this);
                } catch (TypeError e) {
                    count(rule.name() + ".failed", 1);
                    continue;
                }
                if (cand == null || cand == out) continue;
                if (!cand.type().equals(out.type())) {
                    count(rule.name() + ".rejected", 1);
                    continue;
                }
                // a candidate may settle back into this very node; then whatever settling it merged
                // or folded on the way is no change of the graph
                int changesBefore = changes, constantsBefore = constantsMerged;
                Map<String, Integer> countsBefore = new LinkedHashMap<>(counts);
                Var f = settle(cand);
                if (f == out) {
                    changes = changesBefore;
                    constantsMerged = constantsBefore;
                    counts.clear();
                    counts.putAll(countsBefore);
                    continue;
                }
                count(rule.name(), 1);
                changes++;
                canon.put(out, f);
                transferName(out, f);
                return f;
            }
            return out;
        }

        /** A variable made by the optimizer takes the name of the one it replaces (for inspection and saved outputs). */
        private void transferName(Var old, Var f) {
            if (old == f || old.name() == null || f.name() != null || f.owner() == null) return;
            if (originalNodes.contains(f.owner())) return;     // never rename the user's own variables
            f.named(old.name());
        }
    }
}
