package dev.tcc.backend.cuda;

import java.util.Map;
import java.util.Properties;

/**
 * Settings of the CUDA backend, read when a function is compiled for CUDA:
 * <ul>
 *   <li>CUDA graphs: on unless {@code -Dtcc.cuda.graphs=false} or {@code TCC_CUDA_GRAPHS=0}.</li>
 *   <li>Calls with one launch sequence before it is captured: {@code -Dtcc.cuda.graphWarmup=N}
 *       or {@code TCC_CUDA_GRAPH_WARMUP=N} (default 2).</li>
 *   <li>Graphs kept per function: {@code -Dtcc.cuda.maxGraphs=N} (default 4).</li>
 * </ul>
 * {@link #graphs(boolean)} overrides the graph setting for functions compiled afterwards.
 */
public record CudaOptions(boolean graphs, int graphWarmup, int maxGraphs) {
    private static volatile Boolean graphsOverride;

    public static CudaOptions current() {
        return from(System.getenv(), System.getProperties());
    }

    /** Turns CUDA graphs on or off for functions compiled from now on; null goes back to the settings. */
    public static void graphs(Boolean on) { graphsOverride = on; }

    static CudaOptions from(Map<String, String> env, Properties props) {
        boolean graphs = flag(props.getProperty("tcc.cuda.graphs"), env.get("TCC_CUDA_GRAPHS"), true);
        if (graphsOverride != null) graphs = graphsOverride;
        int warmup = number(props.getProperty("tcc.cuda.graphWarmup"), env.get("TCC_CUDA_GRAPH_WARMUP"), 2, "graph warm-up calls");
        int max = Math.max(1, number(props.getProperty("tcc.cuda.maxGraphs"), env.get("TCC_CUDA_MAX_GRAPHS"), 4, "graphs kept"));
        return new CudaOptions(graphs, warmup, max);
    }

    private static boolean flag(String prop, String env, boolean dflt) {
        String v = prop != null ? prop : env;
        if (v == null || v.isBlank()) return dflt;
        v = v.strip().toLowerCase();
        if (v.equals("0") || v.equals("false") || v.equals("off") || v.equals("no")) return false;
        if (v.equals("1") || v.equals("true") || v.equals("on") || v.equals("yes")) return true;
        throw new IllegalArgumentException("CUDA graph setting '" + v + "' is not one of true/false/1/0/on/off");
    }

    private static int number(String prop, String env, int dflt, String what) {
        String v = prop != null ? prop : env;
        if (v == null || v.isBlank()) return dflt;
        try {
            int n = Integer.parseInt(v.strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the number of " + what + " must be a whole number >= 0, not '" + v + "'");
        }
    }
}
