package dev.tcc.grad;

import dev.tcc.Var;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.T;
import dev.tcc.TccException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine (Theano's {@code grad} internals). From gradients of some root variables
 * it walks their graph in reverse topological order, calls each node's {@link GradRule}, and sums
 * the contributions each variable receives from its consumers. Only nodes on a path from a
 * {@code wrt} variable to a root are differentiated, and only the inputs that depend on a
 * {@code wrt} get gradients (so e.g. the data matrix of {@code dot(x, w)} costs nothing).
 */
final class Backprop {
    private Backprop() {}

    /**
     * @param grads the gradient of each {@code wrt}, or null where it is zero or disconnected
     * @param connected whether each {@code wrt} is part of the roots' computation
     */
    record Result(Var[] grads, boolean[] connected) {}

    static Result run(List<Var> roots, List<Var> rootGrads, List<Var> wrt, Collection<Var> considerConstant) {
        Set<Var> wrtSet = identitySet(wrt);
        Set<Var> constants = identitySet(considerConstant);
        constants.removeAll(wrtSet);
        List<Node> order = Graphs.toposort(roots);

        // Which variables the roots are computed from (not looking inside held-constant variables).
        Set<Var> ancestors = identitySet(List.of());
        ArrayDeque<Var> stack = new ArrayDeque<>(roots);
        while (!stack.isEmpty()) {
            Var v = stack.pop();
            if (!ancestors.add(v)) continue;
            if (v.owner() != null && !constants.contains(v)) for (Var in : v.owner().inputs()) stack.push(in);
        }
        // Which variables depend on some wrt.
        Set<Var> dependent = identitySet(wrt);
        for (Node n : order) {
            boolean any = false;
            for (Var in : n.inputs()) any |= dependent.contains(in);
            if (any) for (Var out : n.outputs()) if (!constants.contains(out)) dependent.add(out);
        }

        Map<Var, List<Var>> contributions = new IdentityHashMap<>();
        Map<Var, Var> totals = new IdentityHashMap<>();
        for (int i = 0; i < roots.size(); i++) add(contributions, roots.get(i), rootGrads.get(i));

        for (int k = order.size() - 1; k >= 0; k--) {
            Node node = order.get(k);
            List<Var> outs = node.outputs();
            Var[] gOut = new Var[outs.size()];
            boolean anyGrad = false;
            for (int j = 0; j < outs.size(); j++) {
                Var o = outs.get(j);
                gOut[j] = constants.contains(o) ? null : total(o, contributions, totals);
                anyGrad |= gOut[j] != null;
            }
            if (!anyGrad) continue;
            boolean[] needed = new boolean[node.inputs().size()];
            boolean anyNeeded = false;
            for (int i = 0; i < needed.length; i++) {
                Var in = node.input(i);
                needed[i] = dependent.contains(in) && in.dtype().isFloat();
                anyNeeded |= needed[i];
            }
            if (!anyNeeded) continue;
            GradRule<dev.tcc.ir.Op> rule = GradRules.ruleFor(node);
            Var[] gIn = Site.with(node.site(), () -> {
                for (int j = 0; j < gOut.length; j++) if (gOut[j] == null) gOut[j] = GradOps.zerosLike(outs.get(j), outs.get(j).dtype());
                Var[] r = rule.grad(node.op(), node, Arrays.asList(gOut), needed);
                if (r == null || r.length != node.inputs().size()) throw new TccException("internal error in T.grad: the rule for "
                        + node.op().name() + " returned " + (r == null ? "null" : r.length + " gradients") + " for "
                        + node.inputs().size() + " inputs");
                for (int i = 0; i < r.length; i++) if (needed[i] && r[i] != null) r[i] = GradOps.fitTo(r[i], node.input(i));
                return r;
            });
            for (int i = 0; i < gIn.length; i++) if (needed[i] && gIn[i] != null) add(contributions, node.input(i), gIn[i]);
        }

        Var[] grads = new Var[wrt.size()];
        boolean[] connected = new boolean[wrt.size()];
        for (int i = 0; i < wrt.size(); i++) {
            connected[i] = ancestors.contains(wrt.get(i));
            grads[i] = connected[i] ? total(wrt.get(i), contributions, totals) : null;
        }
        return new Result(grads, connected);
    }

    private static void add(Map<Var, List<Var>> contributions, Var v, Var g) {
        contributions.computeIfAbsent(v, k -> new ArrayList<>()).add(g);
    }

    /** The sum of the contributions to {@code v} (built once, at {@code v}'s site), or null when it has none. */
    private static Var total(Var v, Map<Var, List<Var>> contributions, Map<Var, Var> totals) {
        Var t = totals.get(v);
        if (t != null) return t;
        List<Var> cs = contributions.get(v);
        if (cs == null || cs.isEmpty()) return null;
        Var sum = Site.with(v.site(), () -> {
            Var s = cs.get(0);
            for (int i = 1; i < cs.size(); i++) s = T.add(s, cs.get(i));
            return cs.size() > 1 ? GradOps.fitTo(s, v) : s;
        });
        totals.put(v, sum);
        return sum;
    }

    static Set<Var> identitySet(Collection<Var> vs) {
        Set<Var> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(vs);
        return s;
    }
}
