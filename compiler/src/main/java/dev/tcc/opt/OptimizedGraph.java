package dev.tcc.opt;

import dev.tcc.ir.FunctionGraph;
import dev.tcc.ir.Graphs;
import dev.tcc.ir.Node;
import dev.tcc.ir.Site;
import dev.tcc.ops.FusedElemwise;
import java.util.List;
import java.util.Map;

/**
 * What {@link Optimizer#optimize} returns.
 *
 * @param graph       the rewritten function (same inputs, update targets and names; new outputs and update values)
 * @param original    the function as given
 * @param report      what each phase did
 * @param nodesBefore nodes computing the original's outputs and updates
 * @param nodesAfter  nodes computing the optimized ones
 * @param inplace     which updates can be computed into their shared variable's buffer
 * @param fusedSites  per fused node, the creation site of each instruction of its program (for
 *                    comments in generated code and for inspection)
 */
public record OptimizedGraph(FunctionGraph graph, FunctionGraph original, PassReport report, int nodesBefore,
                             int nodesAfter, InplacePlan inplace, Map<Node, List<Site>> fusedSites) {

    /** Every node of the optimized graph, each after its inputs. */
    public List<Node> nodes() { return Graphs.toposort(graph.allResults()); }

    /** How many fused elementwise kernels the optimized graph has. */
    public int fusedKernels() {
        int n = 0;
        for (Node node : nodes()) if (node.op() instanceof FusedElemwise) n++;
        return n;
    }

    /** Instruction sites of a fused node (empty if unknown). */
    public List<Site> sitesOf(Node fused) { return fusedSites.getOrDefault(fused, List.of()); }
}
