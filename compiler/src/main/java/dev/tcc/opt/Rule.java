package dev.tcc.opt;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ops.ScalarOp;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A local rewrite: looks at one single-output node (and, through its inputs, at the graph above it)
 * and returns the variable that should replace the node's output, or null to leave it alone.
 * The replacement must have the same type (dtype and static shape) as the output; the engine
 * refuses it otherwise. Nodes a rule builds take the creation site of the node it replaces.
 *
 * <p>Most rules are written as a {@link Pattern} and a builder, in the spirit of tinygrad's pattern
 * matcher and PyTensor's node rewriters:
 * <pre>{@code
 * Rule.of("log_sigmoid", elem(LOG, elem(SIGMOID, any("x"))), m -> T.softplus(m.x("x").neg()).neg())
 * }</pre>
 */
public interface Rule {
    /** Name printed in the pass report, e.g. {@code log_sigmoid}. */
    String name();

    /**
     * Which nodes the engine offers to this rule: a {@link ScalarOp} (elementwise nodes of that
     * scalar op), an {@link Op} class (nodes whose op is an instance of it), or null (every node).
     */
    Object trigger();

    /** The replacement for {@code node.output()}, or null. */
    Var rewrite(Node node, RewriteContext ctx);

    /**
     * Whether the rule's answer depends on {@link RewriteContext#uses} (which changes as other parts
     * of the graph change). Every other rule's answer depends only on the node and the graph above
     * it, so the engine need not offer a node to it again once it declined that very node.
     */
    default boolean readsUseCounts() { return false; }

    /** This rule, marked as reading use counts. */
    default Rule readingUseCounts() {
        Rule self = this;
        return new Rule() {
            @Override public String name() { return self.name(); }
            @Override public Object trigger() { return self.trigger(); }
            @Override public Var rewrite(Node node, RewriteContext ctx) { return self.rewrite(node, ctx); }
            @Override public boolean readsUseCounts() { return true; }
            @Override public String toString() { return self.toString(); }
        };
    }

    /** A rule from a pattern and a builder that sees the bindings. */
    static Rule of(String name, Pattern pattern, Function<Match, Var> build) {
        return new PatternRule(name, pattern, (m, ctx) -> build.apply(m));
    }

    /** A rule from a pattern and a builder that also sees the context (uses, ranges, limits). */
    static Rule of(String name, Pattern pattern, BiFunction<Match, RewriteContext, Var> build) {
        return new PatternRule(name, pattern, build);
    }

    /** A rule written as plain code, offered the nodes {@code trigger} selects. */
    static Rule code(String name, Object trigger, BiFunction<Node, RewriteContext, Var> body) {
        return new Rule() {
            @Override public String name() { return name; }
            @Override public Object trigger() { return trigger; }
            @Override public Var rewrite(Node node, RewriteContext ctx) { return body.apply(node, ctx); }
            @Override public String toString() { return name; }
        };
    }

    /** A pattern rule. */
    final class PatternRule implements Rule {
        private final String name;
        private final Pattern pattern;
        private final BiFunction<Match, RewriteContext, Var> build;

        PatternRule(String name, Pattern pattern, BiFunction<Match, RewriteContext, Var> build) {
            this.name = name;
            this.pattern = pattern;
            this.build = build;
        }

        @Override public String name() { return name; }
        @Override public Object trigger() { return pattern.trigger(); }
        public Pattern pattern() { return pattern; }

        @Override public Var rewrite(Node node, RewriteContext ctx) {
            Match m = ctx.freshMatch();
            if (!pattern.match(node.output(), m)) return null;
            return build.apply(m, ctx);
        }

        @Override public String toString() { return name + ": " + pattern; }
    }
}
