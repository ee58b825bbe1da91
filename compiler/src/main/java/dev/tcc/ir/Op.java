package dev.tcc.ir;

import dev.tcc.NDArray;
import dev.tcc.Var;
import java.util.List;

/**
 * An operation. Implementations are records (or otherwise have structural equals/hashCode) so that
 * the merge pass can unify identical nodes: two nodes are the same when their ops are equal and
 * their inputs are the same variables.
 */
public interface Op {
    /** Short name for printing, e.g. {@code add}, {@code sum{axes=[0]}}. */
    String name();

    /** Output types for these inputs, or a {@link TypeError} saying what is wrong and how to fix it. */
    List<TensorType> outputTypes(List<TensorType> inputs);

    /** The reference semantics: evaluates the node on host arrays. Must be simple and obviously right. */
    NDArray[] perform(Node node, NDArray[] inputs);

    /** Builds a node at the current creation site and returns its outputs. */
    default List<Var> apply(Var... inputs) {
        return applyAt(Site.here(), List.of(inputs)).outputs();
    }

    default Node applyAt(Site site, List<Var> inputs) {
        List<TensorType> in = new java.util.ArrayList<>(inputs.size());
        for (Var v : inputs) in.add(v.type());
        List<TensorType> out;
        try {
            out = outputTypes(in);
        } catch (TypeError e) {
            throw e.at(site, inputs);
        }
        return new Node(this, inputs, out, site);
    }
}
