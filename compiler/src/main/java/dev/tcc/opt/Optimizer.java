package dev.tcc.opt;

import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph optimizer: phases named like Theano's, run in order:
 * <pre>
 *   merge -> canonicalize -> stabilize -> specialize -> fuse -> inplace -> merge
 * </pre>
 * <ul>
 * <li><b>merge</b>: structural hashing (CSE): identical constants (dtype, shape, contents) and
 *     identical nodes on identical inputs become one;</li>
 * <li><b>canonicalize</b>, <b>stabilize</b>, <b>specialize</b>: local rules ({@link Rules}) to a
 *     fixpoint, with constant folding, merging and dead-code removal in every round;</li>
 * <li><b>fuse</b>: elementwise fusion into {@link dev.tcc.ops.FusedElemwise} nodes ({@link Fusion});</li>
 * <li><b>inplace</b>: the in-place analysis of the updates ({@link InplacePlan}); it changes no node;</li>
 * <li><b>merge</b>: once more, for identical fused nodes.</li>
 * </ul>
 * Usage: {@code OptimizedGraph o = Optimizer.optimize(functionGraph);}.
 */
public final class Optimizer {
    /** The phases, in order. */
    public static final List<String> PHASES = List.of("merge", "canonicalize", "stabilize", "specialize", "fuse", "inplace", "merge");

    /**
     * Settings.
     *
     * @param maxRounds      hard cap on rounds per local phase
     * @param foldLimit      largest constant (elements) folding may create
     * @param budget         limits per fused kernel
     * @param fuseSingletons whether a lone elementwise node also becomes a (one-instruction) fused node,
     *                       so that every elementwise kernel has one form
     * @param skipPhases     phase names not to run (e.g. "fuse" to look at the rewritten, unfused graph)
     * @param disabledRules  rule names not to apply
     */
    public record Options(int maxRounds, long foldLimit, FusionBudget budget, boolean fuseSingletons,
                          Set<String> skipPhases, Set<String> disabledRules) {
        public Options {
            skipPhases = Set.copyOf(skipPhases);
            disabledRules = Set.copyOf(disabledRules);
            if (maxRounds < 1) throw new IllegalArgumentException("maxRounds must be >= 1");
        }

        public static Options defaults() {
            return new Options(10, 100_000, FusionBudget.DEFAULT, true, Set.of(), Set.of());
        }

        public Options skip(String... phases) {
            Set<String> s = new java.util.HashSet<>(skipPhases);
            s.addAll(List.of(phases));
            return new Options(maxRounds, foldLimit, budget, fuseSingletons, s, disabledRules);
        }

        public Options disable(String... rules) {
            Set<String> s = new java.util.HashSet<>(disabledRules);
            s.addAll(List.of(rules));
            return new Options(maxRounds, foldLimit, budget, fuseSingletons, skipPhases, s);
        }

        public Options withBudget(FusionBudget b) {
            return new Options(maxRounds, foldLimit, b, fuseSingletons, skipPhases, disabledRules);
        }

        public Options withFoldLimit(long limit) {
            return new Options(maxRounds, limit, budget, fuseSingletons, skipPhases, disabledRules);
        }

        public Options withMaxRounds(int rounds) {
            return new Options(rounds, foldLimit, budget, fuseSingletons, skipPhases, disabledRules);
        }

        public Options withFuseSingletons(boolean on) {
            return new Options(maxRounds, foldLimit, budget, on, skipPhases, disabledRules);
        }
    }

    private final Options options;

    public Optimizer(Options options) { this.options = options; }

    /** Optimizes with the default options. */
    public static OptimizedGraph optimize(FunctionGraph g) { return new Optimizer(Options.defaults()).run(g); }

    /** Every rule of the local phases, by name (a rule used in several phases appears once). */
    public static Map<String, Rule> allRules() {
        Map<String, Rule> m = new LinkedHashMap<>();
        for (List<Rule> l : List.of(Rules.canonicalize(), Rules.stabilize(), Rules.specialize()))
            for (Rule r : l) m.putIfAbsent(r.name(), r);
        return m;
    }

    public OptimizedGraph run(FunctionGraph g) {
        List<Var> results = g.allResults();
        RewriteEngine engine = new RewriteEngine(options);
        List<Node> original = engine.orderOf(results);
        SerialSet<Node> originalNodes = new SerialSet<>(original.size());
        for (Node n : original) originalNodes.add(n);
        engine.originalNodes(originalNodes);
        PassReport report = new PassReport();
        Map<Node, List<Site>> sites = new IdentityHashMap<>();
        InplacePlan plan = null;
        List<Var> planOf = null;                        // the results the plan was computed for
        List<Rule> canonical = rules(Rules.canonicalize()), stabilize = rules(Rules.stabilize()), specialize = rules(Rules.specialize());
        RewriteEngine.RuleSet canonicalSet = ruleSet(1, canonical);
        RewriteEngine.RuleSet stabilizeSet = ruleSet(2, canonical, stabilize);
        RewriteEngine.RuleSet specializeSet = ruleSet(3, canonical, stabilize, specialize);
        for (int phaseIndex = 0; phaseIndex < PHASES.size(); phaseIndex++) {
            String phase = PHASES.get(phaseIndex);
            if (options.skipPhases().contains(phase)) continue;
            switch (phase) {
                case "merge": results = engine.runPhase("merge", results, RewriteEngine.RuleSet.NONE, report, !lastMerge(phaseIndex)); break;
                case "canonicalize": results = engine.runPhase(phase, results, canonicalSet, report); break;
                case "stabilize": results = engine.runPhase(phase, results, stabilizeSet, report); break;
                case "specialize": results = engine.runPhase(phase, results, specializeSet, report); break;
                case "fuse": {
                    long t0 = System.nanoTime();
                    Topo.Sorted sorted = engine.sortedOf(results, false);
                    List<Node> order = sorted.order();
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    Fusion.Result r = new Fusion(options.budget(), options.fuseSingletons(), counts).run(results, order, sorted.pos());
                    results = r.results();
                    sites.putAll(r.sites());
                    report.add(new PassReport.Phase(phase, order.size(), engine.orderOf(results).size(), 1, false,
                            System.nanoTime() - t0, counts));
                    break;
                }
                case "inplace": {
                    long t0 = System.nanoTime();
                    FunctionGraph cur = g.withResults(results);
                    plan = InplacePlan.analyze(cur, engine.sortedOf(results, false));
                    planOf = results;
                    int n = engine.orderOf(results).size();
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    if (!plan.updateIndices().isEmpty()) counts.put("inplace.updates", plan.updateIndices().size());
                    int doubled = g.updates().size() - plan.updateIndices().size();
                    if (doubled > 0) counts.put("inplace.double_buffered", doubled);
                    report.add(new PassReport.Phase(phase, n, n, 1, false, System.nanoTime() - t0, counts));
                    break;
                }
                default: throw new AssertionError(phase);
            }
        }
        FunctionGraph out = g.withResults(results);
        List<Node> finalOrder = engine.orderOf(results);
        // the plan must refer to the final graph's nodes: the last merge may have rebuilt some
        if (plan == null || planOf != results) plan = InplacePlan.analyze(out, engine.sortedOf(results, false));
        // keep the site lists of fused nodes that survived (one the last merge rebuilt has an equal op)
        Map<dev.tcc.ir.Op, List<Site>> byOp = null;
        Map<Node, List<Site>> live = new IdentityHashMap<>();
        for (Node n : finalOrder) {
            if (!(n.op() instanceof dev.tcc.ops.FusedElemwise)) continue;
            List<Site> s = sites.get(n);
            if (s == null) {
                if (byOp == null) {
                    byOp = new java.util.HashMap<>();
                    for (Map.Entry<Node, List<Site>> e : sites.entrySet()) byOp.putIfAbsent(e.getKey().op(), e.getValue());
                }
                s = byOp.get(n.op());
            }
            if (s != null) live.put(n, s);
        }
        return new OptimizedGraph(out, g, report, original.size(), finalOrder.size(), plan, live);
    }

    /** Whether no phase with rules follows phase {@code i}. */
    private static boolean lastMerge(int i) { return i > PHASES.indexOf("specialize"); }

    private List<Rule> rules(List<Rule> all) {
        if (options.disabledRules().isEmpty()) return all;
        List<Rule> l = new ArrayList<>();
        for (Rule r : all) if (!options.disabledRules().contains(r.name())) l.add(r);
        return l;
    }

    /**
     * The rules of a phase of generation {@code tiers.length}: the newest tier first (a phase's own
     * rules take priority), then the earlier phases' rules for what the new ones produce. A rule in
     * several tiers (constant folding) keeps its earliest generation and its first position.
     */
    @SafeVarargs
    private static RewriteEngine.RuleSet ruleSet(int generation, List<Rule>... tiers) {
        List<Rule> rules = new ArrayList<>();
        List<Integer> gens = new ArrayList<>();
        for (int t = tiers.length - 1; t >= 0; t--)
            for (Rule r : tiers[t]) {
                int at = rules.indexOf(r);
                if (at < 0) { rules.add(r); gens.add(t + 1); }
                else gens.set(at, Math.min(gens.get(at), t + 1));
            }
        int[] g = new int[gens.size()];
        for (int i = 0; i < g.length; i++) g[i] = gens.get(i);
        return new RewriteEngine.RuleSet(rules, g, generation);
    }
}
