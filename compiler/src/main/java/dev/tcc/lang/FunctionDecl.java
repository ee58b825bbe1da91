package dev.tcc.lang;

import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Site;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code function("name")} declaration while the file is read: {@code .inputs}, {@code .outputs},
 * {@code .update} and {@code .givens} add to it, each remembering where it was written, so that
 * the checks at the end of the file can point at the right argument.
 */
final class FunctionDecl {
    final String name;
    final SourceFile.Pos place;
    private final SourceFile src;
    private final List<Var> inputs = new ArrayList<>();
    private final List<SourceFile.Pos> inputPlaces = new ArrayList<>();
    private SourceFile.Pos inputsCall;
    private final List<Var> outputs = new ArrayList<>();
    private final List<Map.Entry<SharedVar, Var>> updates = new ArrayList<>();
    private final List<SourceFile.Pos> updatePlaces = new ArrayList<>();
    private final List<SourceFile.Pos> targetPlaces = new ArrayList<>();
    private final Map<Var, Object> givens = new LinkedHashMap<>();
    private final Map<Var, SourceFile.Pos> givenPlaces = new IdentityHashMap<>();

    FunctionDecl(String name, SourceFile.Pos place, SourceFile src) {
        this.name = name;
        this.place = place;
        this.src = src;
    }

    FunctionDecl inputs(Args a) {
        if (inputsCall == null) inputsCall = a.place;
        for (int i = 1; i < a.size(); i++) {
            Var v = a.var(i);
            SourceFile.Pos at = a.place(i);
            if (v instanceof SharedVar s) throw src.error(at, "function '" + name + "': shared variable " + label(s)
                    + " cannot be an input; its value is used implicitly. To use another value in its place, write .givens("
                    + label(s) + ", value)");
            if (v instanceof Constant) throw src.error(at, "function '" + name + "': a constant cannot be an input");
            if (v.owner() != null) throw src.error(at, "function '" + name + "': input " + label(v)
                    + " is computed from other variables (made at " + v.site() + "); inputs must be made with scalar/vector/matrix/tensor(...)");
            int k = indexOf(inputs, v);
            if (k >= 0) throw src.error(at, "function '" + name + "': input " + label(v) + " is listed twice (first at "
                    + inputPlaces.get(k).line() + ":" + inputPlaces.get(k).column() + ")");
            inputs.add(v);
            inputPlaces.add(at);
        }
        return this;
    }

    FunctionDecl outputs(Args a) {
        outputs.addAll(a.vars(1));
        return this;
    }

    FunctionDecl update(Args a) {
        SharedVar target = a.shared(1);
        for (int i = 0; i < updates.size(); i++) if (updates.get(i).getKey() == target) {
            SourceFile.Pos first = targetPlaces.get(i);
            throw src.error(a.place(1), "function '" + name + "': a second update of shared variable " + label(target)
                    + " (the first is at " + first.line() + ":" + first.column() + "); combine them into one expression");
        }
        Object v = a.operand(2);
        Var value = v instanceof Var var ? var : new Constant(NDArray.scalar(target.dtype(), ((Number) v).doubleValue()), Site.here());
        updates.add(new AbstractMap.SimpleImmutableEntry<>(target, value));
        updatePlaces.add(a.place(2));
        targetPlaces.add(a.place(1));
        return this;
    }

    FunctionDecl givens(Args a) {
        Var key = a.var(1);
        if (givenPlaces.containsKey(key)) {
            SourceFile.Pos first = givenPlaces.get(key);
            throw src.error(a.place(1), "function '" + name + "': " + label(key) + " is given twice (first at "
                    + first.line() + ":" + first.column() + ")");
        }
        givens.put(key, a.get(2));
        givenPlaces.put(key, a.place(2));
        return this;
    }

    /** Checks the declaration as {@link FunctionGraph#build} does, reporting a failure at the argument it concerns. */
    FunctionSpec finish() {
        FunctionGraph graph;
        try {
            graph = FunctionGraph.build(name, inputs, outputs, updates, givens);
        } catch (TccException e) {
            throw src.error(locate(e.getMessage()), strip(e.getMessage()), e);
        }
        return new FunctionSpec(name, src.site(place), inputs, outputs, updates, givens, graph);
    }

    private SourceFile.Pos locate(String m) {
        for (int i = 0; i < updates.size(); i++)
            if (m.contains("update of shared variable " + updates.get(i).getKey().describe())) return updatePlaces.get(i);
        for (Map.Entry<Var, SourceFile.Pos> g : givenPlaces.entrySet())
            if (m.contains("givens for " + g.getKey().describe())) return g.getValue();
        if (m.contains("missing input") && inputsCall != null) return inputsCall;
        return place;
    }

    /** A type error re-raised while substituting givens starts with its own site; keep the message, drop nothing else. */
    private static String strip(String m) { return m == null ? "invalid function" : m; }

    private static String label(Var v) { return v.name() != null ? "'" + v.name() + "'" : v.type().toString(); }

    private static int indexOf(List<Var> vs, Var v) {
        for (int i = 0; i < vs.size(); i++) if (vs.get(i) == v) return i;
        return -1;
    }
}
