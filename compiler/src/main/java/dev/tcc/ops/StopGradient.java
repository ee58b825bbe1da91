package dev.tcc.ops;

import dev.tcc.NDArray;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.TensorType;
import java.util.List;

/** Identity whose gradient is zero (Theano's consider_constant / zero_grad). Removed by the optimizer. */
public record StopGradient() implements Op {
    @Override public String name() { return "stop_gradient"; }

    @Override public List<TensorType> outputTypes(List<TensorType> in) { return List.of(in.get(0)); }

    @Override public NDArray[] perform(Node node, NDArray[] in) { return new NDArray[] {in[0].copy()}; }
}
