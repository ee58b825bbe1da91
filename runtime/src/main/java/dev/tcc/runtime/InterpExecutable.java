package dev.tcc.runtime;

import dev.tcc.Backend;
import dev.tcc.NDArray;
import dev.tcc.Var;
import dev.tcc.interp.Interpreter;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Node;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The {@code interp} backend: the reference interpreter on the unoptimized graph. */
public final class InterpExecutable implements Executable {
    private final FunctionGraph graph;
    private final List<Var> results;
    private final List<Node> order;

    public InterpExecutable(FunctionGraph graph) {
        this.graph = graph;
        this.results = graph.allResults();
        this.order = Graphs.toposort(results);
    }

    @Override public List<NDArray> run(List<NDArray> inputs) {
        Map<Var, NDArray> env = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) env.put(graph.inputs().get(i), inputs.get(i));
        List<NDArray> values = Interpreter.evaluate(results, env, order);
        int nOut = graph.outputs().size();
        // every update value was computed from the old values above; now assign them all
        for (int i = 0; i < graph.updates().size(); i++) graph.updates().get(i).target().storage().write(values.get(nOut + i));
        // An output that is an input or a constant would otherwise alias the caller's array or the graph's constant.
        List<NDArray> outs = new java.util.ArrayList<>(values.subList(0, nOut));
        for (int i = 0; i < nOut; i++) if (graph.outputs().get(i).owner() == null) outs.set(i, outs.get(i).copy());
        return outs;
    }

    @Override public Backend backend() { return Backend.INTERP; }
}
