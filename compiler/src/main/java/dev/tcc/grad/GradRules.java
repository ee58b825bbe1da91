package dev.tcc.grad;

import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.TccException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table of gradient rules, keyed by op class. The built-in rules are registered by one small
 * class per op family ({@link ElemwiseGrads}, {@link ReduceGrads}, {@link LinalgGrads},
 * {@link ShapeGrads}, {@link SoftmaxGrads}, {@link MiscGrads}); an op added elsewhere registers its
 * rule with {@link #register}.
 */
public final class GradRules {
    private GradRules() {}

    private static final Map<Class<? extends Op>, GradRule<?>> RULES = new ConcurrentHashMap<>();

    static {
        ElemwiseGrads.registerAll();
        ReduceGrads.registerAll();
        LinalgGrads.registerAll();
        ShapeGrads.registerAll();
        SoftmaxGrads.registerAll();
        MiscGrads.registerAll();
    }

    /** Registers (or replaces) the gradient rule of ops of class {@code opClass}. */
    public static <O extends Op> void register(Class<O> opClass, GradRule<O> rule) {
        RULES.put(opClass, rule);
    }

    /** Whether ops of this class have a rule. */
    public static boolean has(Class<? extends Op> opClass) { return find(opClass) != null; }

    private static GradRule<?> find(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            GradRule<?> r = RULES.get(k);
            if (r != null) return r;
        }
        return null;
    }

    /** The rule for {@code node}'s op; an error naming the op and the node's site when there is none. */
    @SuppressWarnings("unchecked")
    static GradRule<Op> ruleFor(Node node) {
        GradRule<?> r = find(node.op().getClass());
        if (r == null) throw new TccException(node.site() + ": T.grad: the operation " + node.op().name()
                + " (" + node.op().getClass().getSimpleName() + ") has no gradient rule; register one with "
                + "dev.tcc.grad.GradRules.register, or wrap its result in T.stopGradient(...) if it should count as a constant");
        return (GradRule<Op>) r;
    }
}
