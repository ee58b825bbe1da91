package dev.tcc.opt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each pass of an optimization did: per phase, the node count before and after, the rounds
 * it ran, its time, and how often each rule or pass action fired. {@code tcc inspect --stage passes}
 * prints {@link #format()}.
 */
public final class PassReport {

    /** One phase: {@code counts} maps a rule or action name (e.g. {@code merge.nodes}, {@code log_sigmoid}) to how often it fired. */
    public record Phase(String name, int nodesBefore, int nodesAfter, int rounds, boolean roundCapHit, long nanos,
                        Map<String, Integer> counts) {
        public Phase {
            counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }

        public int count(String rule) { return counts.getOrDefault(rule, 0); }
    }

    private final List<Phase> phases = new ArrayList<>();

    void add(Phase p) { phases.add(p); }

    public List<Phase> phases() { return Collections.unmodifiableList(phases); }

    /** How often {@code rule} fired, summed over all phases. */
    public int count(String rule) {
        int n = 0;
        for (Phase p : phases) n += p.count(rule);
        return n;
    }

    /** Every rule/action name with its total count, in first-seen order. */
    public Map<String, Integer> totals() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Phase p : phases) for (Map.Entry<String, Integer> e : p.counts().entrySet()) m.merge(e.getKey(), e.getValue(), Integer::sum);
        return m;
    }

    /** Total time of all phases in milliseconds. */
    public double millis() {
        long n = 0;
        for (Phase p : phases) n += p.nanos();
        return n / 1e6;
    }

    /**
     * A table, one block per phase:
     * <pre>
     * phase canonicalize: 412 -> 380 nodes, 2 rounds, 3.1 ms
     *     x_mul_1                      4
     *     merge.nodes                  7
     * </pre>
     */
    public String format() {
        StringBuilder b = new StringBuilder();
        for (Phase p : phases) {
            b.append(String.format(Locale.ROOT, "phase %-13s %7d -> %7d nodes, %d round%s%s, %.1f ms%n", p.name() + ":",
                    p.nodesBefore(), p.nodesAfter(), p.rounds(), p.rounds() == 1 ? "" : "s",
                    p.roundCapHit() ? " (round cap hit)" : "", p.nanos() / 1e6));
            if (p.counts().isEmpty()) b.append("    (no changes)").append(System.lineSeparator());
            for (Map.Entry<String, Integer> e : p.counts().entrySet())
                b.append(String.format(Locale.ROOT, "    %-34s %7d%n", e.getKey(), e.getValue()));
        }
        return b.toString();
    }

    @Override public String toString() { return format(); }
}
