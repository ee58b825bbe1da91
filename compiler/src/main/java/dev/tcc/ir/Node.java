package dev.tcc.ir;

import dev.tcc.Var;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application of an {@link Op} to input variables, producing output variables (Theano's Apply).
 * Nodes are immutable; rewrites build new ones.
 */
public final class Node implements Serial {
    private static final AtomicInteger SERIALS = new AtomicInteger();

    private final int serial = SERIALS.getAndIncrement();
    private final Op op;
    private final List<Var> inputs;
    private final List<Var> outputs;
    private final Site site;

    /** Use {@link Op#apply} or {@link dev.tcc.ir.Graphs#apply}; it checks types and names outputs. */
    public Node(Op op, List<Var> inputs, List<TensorType> outputTypes, Site site) {
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.site = site;
        Var[] outs = new Var[outputTypes.size()];
        for (int i = 0; i < outs.length; i++) outs[i] = Var.output(this, i, outputTypes.get(i), site);
        this.outputs = List.of(outs);
    }

    public Op op() { return op; }
    public List<Var> inputs() { return inputs; }
    public Var input(int i) { return inputs.get(i); }
    public List<Var> outputs() { return outputs; }
    public Var output() { return outputs.get(0); }
    public Site site() { return site; }
    @Override public int serial() { return serial; }

    @Override public String toString() { return op + inputs.toString(); }
}
