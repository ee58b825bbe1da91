package dev.tcc.interp;

import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.ir.Constant;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference interpreter: evaluates a graph node by node with each op's {@code perform}, on
 * host arrays, with no optimization. It is the oracle every compiled path is tested against.
 * Values of inputs come from {@code env}; constants and shared variables supply their own.
 */
public final class Interpreter {
    private Interpreter() {}

    public static List<NDArray> evaluate(List<Var> outputs, Map<Var, NDArray> env) {
        return evaluate(outputs, env, Graphs.toposort(outputs));
    }

    /** Same, with the schedule given (callers that evaluate one graph many times sort it once). */
    public static List<NDArray> evaluate(List<Var> outputs, Map<Var, NDArray> env, List<Node> order) {
        Map<Var, NDArray> values = new IdentityHashMap<>(env);
        // Free each intermediate after its last reader, so big graphs do not hold every temporary.
        Map<Var, Integer> lastUse = new IdentityHashMap<>();
        for (int i = 0; i < order.size(); i++) for (Var v : order.get(i).inputs()) lastUse.put(v, i);
        for (Var o : outputs) lastUse.put(o, Integer.MAX_VALUE);
        for (int i = 0; i < order.size(); i++) {
            Node n = order.get(i);
            NDArray[] in = new NDArray[n.inputs().size()];
            for (int k = 0; k < in.length; k++) in[k] = valueOf(n.input(k), values);
            NDArray[] out;
            try {
                out = n.op().perform(n, in);
            } catch (TccException e) {
                // name the node that failed (its creation site), unless the op already did
                String site = n.site().toString();
                if (e.getMessage() != null && e.getMessage().startsWith(site + ":")) throw e;
                throw new TccException(site + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new TccException(n.site() + ": " + n.op().name() + " failed on inputs of shapes "
                        + shapes(in) + ": " + e.getMessage(), e);
            }
            for (int k = 0; k < out.length; k++) values.put(n.outputs().get(k), out[k]);
            for (Var v : n.inputs())
                if (v.owner() != null && lastUse.get(v) == i && !env.containsKey(v)) values.remove(v);
        }
        List<NDArray> result = new ArrayList<>(outputs.size());
        for (Var o : outputs) result.add(valueOf(o, values));
        return result;
    }

    private static NDArray valueOf(Var v, Map<Var, NDArray> values) {
        NDArray a = values.get(v);
        if (a != null) return a;
        if (v instanceof Constant c) return c.value();
        if (v instanceof SharedVar s) {
            NDArray val = s.getValue();
            values.put(v, val);
            return val;
        }
        throw new TccException("no value for " + v.describe() + ": pass it as an input of the function, or replace it with givens");
    }

    private static String shapes(NDArray[] in) {
        StringBuilder b = new StringBuilder();
        for (NDArray a : in) b.append(b.length() == 0 ? "" : ", ").append(dev.tcc.ir.TensorType.shapeString(a.shape()));
        return b.toString();
    }

    /** Convenience for tests: evaluates one output. */
    public static NDArray evaluate(Var output, Map<Var, NDArray> env) {
        return evaluate(List.of(output), env).get(0);
    }

    public static List<NDArray> evaluateAll(Collection<Var> outputs, Map<Var, NDArray> env) {
        return evaluate(new ArrayList<>(outputs), env);
    }
}
