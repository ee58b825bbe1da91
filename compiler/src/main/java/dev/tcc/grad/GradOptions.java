package dev.tcc.grad;

import dev.tcc.Var;
import java.util.List;

/**
 * Options of {@link Gradients#grad} (Theano's {@code disconnected_inputs} and {@code consider_constant}).
 * Immutable: each {@code with}-style method returns a new instance.
 *
 * <pre>{@code
 * T.grad(cost, List.of(w, unused), GradOptions.defaults().disconnected(GradOptions.Disconnected.ZERO));
 * }</pre>
 */
public final class GradOptions {
    /** What to do when a {@code wrt} variable is not part of the cost's computation. */
    public enum Disconnected {
        /** Throw an error naming the variable and where it was made (the default, as in Theano). */
        RAISE,
        /** Return zeros of the variable's type. */
        ZERO
    }

    private static final GradOptions DEFAULTS = new GradOptions(Disconnected.RAISE, List.of());

    private final Disconnected disconnected;
    private final List<Var> considerConstant;

    private GradOptions(Disconnected disconnected, List<Var> considerConstant) {
        this.disconnected = disconnected;
        this.considerConstant = List.copyOf(considerConstant);
    }

    /** Disconnected {@code wrt} raises; nothing is held constant. */
    public static GradOptions defaults() { return DEFAULTS; }

    /** Shorthand for {@code defaults().disconnected(Disconnected.ZERO)}. */
    public static GradOptions zeroIfDisconnected() { return DEFAULTS.disconnected(Disconnected.ZERO); }

    public GradOptions disconnected(Disconnected d) {
        if (d == null) throw new IllegalArgumentException("disconnected must be RAISE or ZERO, not null");
        return new GradOptions(d, considerConstant);
    }

    /**
     * Theano's {@code consider_constant}: gradients do not flow into the computation of these
     * variables (they act as leaves). Unlike {@code T.stopGradient(x)}, which leaves {@code x}'s
     * inputs connected with a zero gradient, a {@code wrt} reached only through these counts as
     * disconnected.
     */
    public GradOptions considerConstant(List<Var> vars) {
        for (Var v : vars) if (v == null) throw new IllegalArgumentException("considerConstant: a variable is null");
        return new GradOptions(disconnected, vars);
    }

    public GradOptions considerConstant(Var... vars) { return considerConstant(List.of(vars)); }

    public Disconnected disconnected() { return disconnected; }

    public List<Var> considerConstant() { return considerConstant; }

    @Override public String toString() {
        return "GradOptions{disconnected=" + disconnected + ", considerConstant=" + considerConstant + "}";
    }
}
