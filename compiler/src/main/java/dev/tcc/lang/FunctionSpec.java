package dev.tcc.lang;

import dev.tcc.SharedVar;
import dev.tcc.Var;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Site;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function declared in a {@code .graph} file: what {@code function("name").inputs(...).outputs(...)
 * .update(...).givens(...)} collected, already checked. {@link #graph()} is the checked
 * {@link FunctionGraph}; a runtime builds a callable function from the parts (in the runtime module,
 * {@code Tcc.function(name).inputs(spec.inputs()).outputs(spec.outputs())}, then each update and given).
 */
public final class FunctionSpec {
    private final String name;
    private final Site site;
    private final List<Var> inputs;
    private final List<Var> outputs;
    private final List<Map.Entry<SharedVar, Var>> updates;
    private final Map<Var, Object> givens;
    private final FunctionGraph graph;

    FunctionSpec(String name, Site site, List<Var> inputs, List<Var> outputs, List<Map.Entry<SharedVar, Var>> updates,
                 Map<Var, Object> givens, FunctionGraph graph) {
        this.name = name;
        this.site = site;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.updates = List.copyOf(updates);
        this.givens = Collections.unmodifiableMap(new LinkedHashMap<>(givens));
        this.graph = graph;
    }

    public String name() { return name; }
    /** Where {@code function("name")} was written. */
    public Site site() { return site; }
    public List<Var> inputs() { return inputs; }
    public List<Var> outputs() { return outputs; }
    /** Update targets and their new values, in declaration order. */
    public List<Map.Entry<SharedVar, Var>> updates() { return updates; }
    /** Each replaced variable and its replacement (a Var, an NDArray or a Number), in declaration order. */
    public Map<Var, Object> givens() { return givens; }
    /** The checked function graph, givens substituted. */
    public FunctionGraph graph() { return graph; }

    @Override public String toString() { return "function '" + name + "' at " + site; }
}
