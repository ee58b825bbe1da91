package dev.tcc;

import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.TensorType;
import dev.tcc.runtime.Backends;
import dev.tcc.runtime.Executable;
import java.util.ArrayList;
import java.util.List;

/** A compiled function: call it with one argument per input, like a Theano function. */
public final class Function {
    private final String name;
    private final List<Var> inputs;
    private final FunctionGraph graph;
    private final Executable executable;

    Function(FunctionGraph graph, Backend backend) {
        this(graph.name(), graph.inputs(), graph, Backends.compile(graph, backend));
    }

    /** A function loaded from a Program ({@link GraphModule}): {@code graph} is null, inputs come from the Program. */
    Function(String name, List<Var> inputs, FunctionGraph graph, Executable executable) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.graph = graph;
        this.executable = executable;
    }

    public String name() { return name; }
    public List<Var> inputs() { return inputs; }
    /** The symbolic outputs; empty for a function loaded from a Program. */
    public List<Var> outputs() { return graph == null ? List.of() : graph.outputs(); }
    /** The checked graph (before optimization), or null for a function loaded from a Program. */
    public FunctionGraph graph() { return graph; }
    /** The compiled form (for benchmarks and inspection). */
    public Executable executable() { return executable; }
    /** The backend this function runs on (AUTO resolved). */
    public Backend backend() { return executable.backend(); }

    /**
     * Runs the function. Each argument is an {@link NDArray} of the input's dtype, a Java number, or
     * a Java array ({@code double[]}, {@code float[]}, {@code double[][]}, {@code float[][]},
     * {@code int[]}, {@code long[]}, {@code boolean[]}), converted to the input's dtype.
     */
    public Outputs call(Object... args) {
        List<Var> ins = inputs;
        if (args.length != ins.size()) throw new TccException(label() + " takes " + ins.size() + " argument"
                + (ins.size() == 1 ? "" : "s") + " " + names(ins) + ", but was called with " + args.length);
        List<NDArray> converted = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) converted.add(convert(ins.get(i), args[i], i));
        Executable ex = executable;
        return new Outputs(ex.run(converted), ex::recycle);
    }

    private String label() { return name == null ? "this function" : "function '" + name + "'"; }

    private static String names(List<Var> ins) {
        List<String> n = new ArrayList<>();
        for (Var v : ins) n.add(v.name() != null ? v.name() : v.type().toString());
        return n.toString();
    }

    private NDArray convert(Var input, Object arg, int position) {
        TensorType t = input.type();
        String who = "argument " + (position + 1) + " of " + label() + " (input " + input.describe() + ")";
        NDArray a;
        if (arg instanceof NDArray nd) {
            if (nd.dtype() != t.dtype()) throw new TccException(who + " is an NDArray of dtype " + nd.dtype()
                    + ", but the input is " + t.dtype() + "; convert it with .astype(DType." + t.dtype().name() + ")");
            a = nd;
        } else if (arg instanceof Number n) {
            a = NDArray.scalar(t.dtype(), n.doubleValue());
        } else if (arg instanceof Boolean b) {
            a = NDArray.scalar(t.dtype(), b ? 1 : 0);
        } else if (arg instanceof double[] d) { a = NDArray.of(d).astype(t.dtype());
        } else if (arg instanceof float[] f) { a = NDArray.of(f).astype(t.dtype());
        } else if (arg instanceof double[][] d) { a = NDArray.of(d).astype(t.dtype());
        } else if (arg instanceof float[][] f) { a = NDArray.of(f).astype(t.dtype());
        } else if (arg instanceof int[] d) { a = NDArray.of(d).astype(t.dtype());
        } else if (arg instanceof long[] d) { a = NDArray.of(d).astype(t.dtype());
        } else if (arg instanceof boolean[] d) { a = NDArray.of(d).astype(t.dtype());
        } else {
            throw new TccException(who + " has Java type " + (arg == null ? "null" : arg.getClass().getSimpleName())
                    + "; pass an NDArray, a number or a Java array");
        }
        if (a.ndim() != t.ndim()) throw new TccException(who + " has rank " + a.ndim() + " (shape "
                + TensorType.shapeString(a.shape()) + "), but the input has rank " + t.ndim() + " (type " + t + ")");
        if (!t.accepts(a.shape())) throw new TccException(who + " has shape " + TensorType.shapeString(a.shape())
                + ", which does not fit the input type " + t);
        return a;
    }
}
