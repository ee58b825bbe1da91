package dev.tcc.backend.cuda;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays a function's launch sequence as a CUDA graph once it has been stable for a few calls.
 * <p>
 * Each call names its launch sequence with a key (kernels, launch sizes and the argument bytes:
 * a graph keeps the arguments it was captured with, so changed pointers or sizes need another
 * graph). A key's first {@code warmupCalls} calls run eagerly; its next call captures the sequence
 * (cuStreamBeginCapture, the launches, cuStreamEndCapture, cuGraphInstantiate) and launches the
 * graph; later calls with a key that has a graph launch it directly (cuGraphLaunch). Calls are
 * counted per key among the last {@link #RECENT_KEYS} keys seen, so that keys that alternate
 * (double-buffered updates swap two pointers every call) are each captured, while keys that never
 * repeat (sizes that change every call) never are. Up to {@code maxGraphs} graphs are kept, least
 * recently used dropped first. A shape change makes a new key, so its calls run eagerly again
 * until it has been seen enough, then it is captured. The key must determine the launches exactly:
 * replaying a graph must do what running the launches would.
 * <p>
 * If capturing fails, the capture is ended, graphs are turned off for this function with one
 * warning, and the call runs eagerly.
 *
 * @param <G> an instantiated graph (CUgraphExec)
 */
public final class GraphReplayer<G> {
    /** The stream operations capture needs. */
    public interface Ops<G> {
        void beginCapture();

        /** Ends the capture and instantiates it. */
        G endCapture();

        /** Ends a capture that failed part way and discards it; must not throw. */
        void abortCapture();

        void launch(G graph);

        void destroy(G graph);
    }

    /** What a call did. */
    public enum Mode { EAGER, CAPTURED, REPLAYED }

    private final Ops<G> ops;
    private final int warmupCalls;
    private final int maxGraphs;
    private boolean enabled;
    private final LinkedHashMap<Object, G> graphs = new LinkedHashMap<>(16, 0.75f, true);
    /** How many keys' call counts are remembered. */
    public static final int RECENT_KEYS = 16;
    private final LinkedHashMap<Object, Integer> seen = new LinkedHashMap<>(32, 0.75f, true);
    private long eager, captures, replays, evictions, failures;
    private String disabledReason;

    public GraphReplayer(Ops<G> ops, boolean enabled, int warmupCalls, int maxGraphs) {
        if (warmupCalls < 0 || maxGraphs < 1) throw new IllegalArgumentException("warmupCalls >= 0 and maxGraphs >= 1");
        this.ops = ops;
        this.enabled = enabled;
        this.warmupCalls = warmupCalls;
        this.maxGraphs = maxGraphs;
        if (!enabled) disabledReason = "turned off";
    }

    /**
     * Runs one call: {@code launches} enqueues the call's kernel launches on the stream (and
     * nothing else: no copies from pageable memory, no synchronization, no allocation).
     */
    public synchronized Mode run(Object key, Runnable launches) {
        if (!enabled) {
            launches.run();
            eager++;
            return Mode.EAGER;
        }
        G g = graphs.get(key);
        if (g != null) {
            ops.launch(g);
            replays++;
            return Mode.REPLAYED;
        }
        int count = seen.merge(key, 1, Integer::sum);
        if (seen.size() > RECENT_KEYS) {
            Iterator<Object> eldest = seen.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        if (count <= warmupCalls) {
            launches.run();
            eager++;
            return Mode.EAGER;
        }
        seen.remove(key);
        G captured;
        try {
            ops.beginCapture();
            launches.run();
            captured = ops.endCapture();
        } catch (RuntimeException | Error e) {
            ops.abortCapture();
            failures++;
            disable("capturing a CUDA graph failed (" + e + "); running without graphs");
            launches.run();
            eager++;
            return Mode.EAGER;
        }
        captures++;
        graphs.put(key, captured);
        evict();
        ops.launch(captured);
        return Mode.CAPTURED;
    }

    private void evict() {
        Iterator<Map.Entry<Object, G>> it = graphs.entrySet().iterator();
        while (graphs.size() > maxGraphs && it.hasNext()) {
            Map.Entry<Object, G> eldest = it.next();
            it.remove();
            ops.destroy(eldest.getValue());
            evictions++;
        }
    }

    private void disable(String reason) {
        enabled = false;
        disabledReason = reason;
        System.err.println("tcc: cuda: " + reason);
        clear();
    }

    /** Destroys every graph (when the function's buffers are freed). */
    public synchronized void clear() {
        for (G g : graphs.values()) ops.destroy(g);
        graphs.clear();
        seen.clear();
    }

    public synchronized boolean enabled() { return enabled; }

    /** Why graphs are off, or null. */
    public synchronized String disabledReason() { return enabled ? null : disabledReason; }

    public synchronized int graphCount() { return graphs.size(); }

    public synchronized long eagerCalls() { return eager; }

    public synchronized long captures() { return captures; }

    public synchronized long replays() { return replays; }

    public synchronized long evictions() { return evictions; }

    public synchronized long failures() { return failures; }
}
