package dev.tcc.ir;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A function as the compiler sees it: explicit inputs, outputs and update expressions, with givens
 * already substituted and every rule of DESIGN.md §4 checked. Every backend starts from this.
 */
public final class FunctionGraph {
    /** One update: after the call, {@code target} takes the value of {@code value} (computed from old values). */
    public record Update(SharedVar target, Var value) {}

    private final String name;
    private final List<Var> inputs;
    private final List<Var> outputs;
    private final List<Update> updates;

    private FunctionGraph(String name, List<Var> inputs, List<Var> outputs, List<Update> updates) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.updates = List.copyOf(updates);
    }

    public String name() { return name; }
    public List<Var> inputs() { return inputs; }
    public List<Var> outputs() { return outputs; }
    public List<Update> updates() { return updates; }

    /** Outputs followed by the update values: everything one call computes. */
    public List<Var> allResults() {
        List<Var> all = new ArrayList<>(outputs);
        for (Update u : updates) all.add(u.value());
        return all;
    }

    /** A graph of the same shape with new outputs and update values (what an optimizer returns). */
    public FunctionGraph withResults(List<Var> newResults) {
        List<Update> ups = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) ups.add(new Update(updates.get(i).target(), newResults.get(outputs.size() + i)));
        return new FunctionGraph(name, inputs, newResults.subList(0, outputs.size()), ups);
    }

    /**
     * Checks and assembles a function. {@code givens} maps a variable to a Var, an NDArray or a
     * Java number that replaces it everywhere.
     */
    public static FunctionGraph build(String name, List<Var> inputs, List<Var> outputs,
                                      List<Map.Entry<SharedVar, Var>> updates, Map<Var, Object> givens) {
        String fn = name == null ? "function" : "function '" + name + "'";
        Set<Var> seenInputs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Var in : inputs) {
            if (in == null) throw new TccException(fn + ": an input is null");
            if (in instanceof SharedVar s) throw new TccException(fn + ": shared variable " + s.describe()
                    + " cannot be an explicit input; its value is used implicitly. To substitute another value, use givens(" + label(s) + ", value)");
            if (in instanceof Constant) throw new TccException(fn + ": a constant cannot be an input (" + in.describe() + ")");
            if (in.owner() != null) throw new TccException(fn + ": input " + in.describe()
                    + " is computed from other variables; inputs must be variables made with T.scalar/T.vector/T.matrix/T.tensor, or replace it with givens");
            if (!seenInputs.add(in)) throw new TccException(fn + ": input " + in.describe() + " is listed twice");
        }
        // givens: substitute in outputs and update values
        Map<Var, Var> replace = new IdentityHashMap<>();
        for (Map.Entry<Var, Object> g : givens.entrySet()) {
            Var key = g.getKey();
            Var value = givenValue(fn, key, g.getValue());
            checkSameType(fn + ": givens for " + key.describe(), key.type(), value, "the replacement");
            replace.put(key, value);
        }
        List<Var> roots = new ArrayList<>(outputs);
        Map<SharedVar, Var> seenTargets = new IdentityHashMap<>();
        for (Map.Entry<SharedVar, Var> u : updates) {
            SharedVar target = u.getKey();
            if (seenTargets.containsKey(target)) throw new TccException(fn + ": two updates of shared variable "
                    + target.describe() + ": " + seenTargets.get(target).describe() + " and " + u.getValue().describe()
                    + "; combine them into one expression");
            seenTargets.put(target, u.getValue());
            checkSameType(fn + ": update of shared variable " + target.describe(), target.type(), u.getValue(), "the new value");
            roots.add(u.getValue());
        }
        for (Var o : outputs) if (o == null) throw new TccException(fn + ": an output is null");
        List<Var> replaced = replace.isEmpty() ? roots : Graphs.replace(roots, replace);
        // every input-like leaf must be an explicit input
        for (Var leaf : Graphs.leaves(replaced)) {
            if (leaf.isInput() && !seenInputs.contains(leaf)) throw new TccException(fn + ": missing input " + leaf.describe()
                    + ": add it to inputs(...), or give it a value with givens(" + label(leaf) + ", value)");
        }
        List<Update> ups = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) ups.add(new Update(updates.get(i).getKey(), replaced.get(outputs.size() + i)));
        return new FunctionGraph(name, inputs, replaced.subList(0, outputs.size()), ups);
    }

    private static String label(Var v) { return v.name() != null ? v.name() : "var"; }

    private static Var givenValue(String fn, Var key, Object v) {
        if (v instanceof Var var) return var;
        if (v instanceof NDArray a) return new Constant(a, key.site());
        if (v instanceof Number n) return new Constant(NDArray.scalar(key.dtype(), n.doubleValue()), key.site());
        throw new TccException(fn + ": givens for " + key.describe() + " must be a Var, an NDArray or a number, got "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    /** Dtype and rank must match; known sizes must agree (unknown ones are checked at run time). */
    private static void checkSameType(String what, TensorType target, Var value, String valueLabel) {
        TensorType t = value.type();
        boolean ok = t.dtype() == target.dtype() && t.ndim() == target.ndim();
        if (ok) for (int i = 0; i < t.ndim(); i++) {
            int a = target.size(i), b = t.size(i);
            if (a != TensorType.UNKNOWN && b != TensorType.UNKNOWN && a != b) ok = false;
            if (a == 1 && b == TensorType.UNKNOWN) ok = false;   // broadcast pattern differs
        }
        if (ok) return;
        String fix = t.dtype() != target.dtype()
                ? "; convert it with T.cast(value, DType." + target.dtype().name() + ") (in .graph: cast(value, " + target.dtype() + "))"
                : t.ndim() != target.ndim() ? "; reshape it or reduce it to rank " + target.ndim()
                : "; make the shapes agree";
        throw new TccException(what + " has type " + target + ", but " + valueLabel + " " + value.describe()
                + " has type " + t + fix);
    }

    /** Shapes and dtypes of the inputs that a call's arguments must fit. */
    public Map<Var, DType> inputDtypes() {
        Map<Var, DType> m = new LinkedHashMap<>();
        for (Var v : inputs) m.put(v, v.dtype());
        return m;
    }
}
