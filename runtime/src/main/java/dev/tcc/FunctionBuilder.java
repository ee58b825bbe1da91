package dev.tcc;

import dev.tcc.ir.FunctionGraph;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects a function's inputs, outputs, updates and givens; {@link #build} checks them and compiles. */
public final class FunctionBuilder {
    private final String name;
    private final List<Var> inputs = new ArrayList<>();
    private final List<Var> outputs = new ArrayList<>();
    private final List<Map.Entry<SharedVar, Var>> updates = new ArrayList<>();
    private final Map<Var, Object> givens = new LinkedHashMap<>();
    private Backend backend = Backend.AUTO;

    FunctionBuilder(String name) { this.name = name; }

    public FunctionBuilder inputs(Var... vars) { return inputs(Arrays.asList(vars)); }

    public FunctionBuilder inputs(List<Var> vars) { inputs.addAll(vars); return this; }

    public FunctionBuilder outputs(Var... vars) { return outputs(Arrays.asList(vars)); }

    public FunctionBuilder outputs(List<Var> vars) { outputs.addAll(vars); return this; }

    /** After each call, {@code target} takes the value of {@code newValue}, computed from the values before the call. */
    public FunctionBuilder update(SharedVar target, Var newValue) {
        updates.add(new AbstractMap.SimpleImmutableEntry<>(target, newValue));
        return this;
    }

    /** Replaces {@code var} by {@code value} (a Var, an NDArray or a number) when the function is built. */
    public FunctionBuilder givens(Var var, Object value) {
        givens.put(var, value);
        return this;
    }

    public FunctionBuilder backend(Backend b) { this.backend = b; return this; }

    public Function build() {
        FunctionGraph graph = FunctionGraph.build(name, inputs, outputs, updates, givens);
        return new Function(graph, backend);
    }
}
