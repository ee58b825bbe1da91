package dev.tcc.grad;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import java.util.List;

/**
 * The gradient of one op (Theano's {@code Op.grad}, reverse mode): given the gradients of the cost
 * with respect to the node's outputs, builds the gradients with respect to its inputs as ordinary
 * graph nodes. Rules are registered per op class in {@link GradRules}; the ops themselves know
 * nothing about differentiation.
 *
 * <p>A rule runs with the creation site of the node it differentiates (see
 * {@link dev.tcc.ir.Site#with}), so the builder calls it makes ({@code T.*}) are attributed to the
 * user's line. The engine casts each returned gradient to its input's dtype and makes its static
 * shape keep the input's broadcastable (size-1) axes, so a rule may return e.g. a float64
 * gradient for a float32 input.
 *
 * @param <O> the op class
 */
@FunctionalInterface
public interface GradRule<O extends Op> {
    /**
     * @param op the node's op
     * @param node the forward node
     * @param outputGrads the gradient of each output (never null: missing ones are zeros), each with
     *        the output's rank
     * @param needed which inputs need a gradient (float inputs that depend on a {@code wrt}); a rule
     *        may skip the others
     * @return one entry per input: its gradient (same rank as the input), or null for a zero gradient
     *         or one that is not needed
     */
    Var[] grad(O op, Node node, List<Var> outputGrads, boolean[] needed);
}
