package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.backend.cuda.GraphReplayer.Mode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Graph-capture bookkeeping over a fake stream that records what would reach the driver. Nothing
 * here is computed: it checks when calls run eagerly, are captured, replayed, re-captured and evicted.
 */
class GraphReplayerTest {
    static final class FakeStream implements GraphReplayer.Ops<String> {
        final List<String> log = new ArrayList<>();
        boolean capturing;
        int nextGraph;
        RuntimeException failEnd;

        void kernel(String name) { log.add((capturing ? "record " : "launch ") + name); }

        @Override public void beginCapture() { capturing = true; log.add("begin"); }

        @Override public String endCapture() {
            capturing = false;
            if (failEnd != null) throw failEnd;
            String g = "g" + nextGraph++;
            log.add("end " + g);
            return g;
        }

        @Override public void abortCapture() { capturing = false; log.add("abort"); }

        @Override public void launch(String graph) { log.add("graph " + graph); }

        @Override public void destroy(String graph) { log.add("destroy " + graph); }
    }

    @Test void capturesAfterWarmupAndReplaysWhileShapesAreStable() {
        FakeStream s = new FakeStream();
        GraphReplayer<String> r = new GraphReplayer<>(s, true, 2, 4);
        Runnable call = () -> { s.kernel("a"); s.kernel("b"); };
        List<Mode> modes = new ArrayList<>();
        for (int i = 0; i < 5; i++) modes.add(r.run("shape(400,784)", call));
        assertEquals(List.of(Mode.EAGER, Mode.EAGER, Mode.CAPTURED, Mode.REPLAYED, Mode.REPLAYED), modes);
        assertEquals(List.of("launch a", "launch b", "launch a", "launch b",
                "begin", "record a", "record b", "end g0", "graph g0", "graph g0", "graph g0"), s.log);
        assertEquals(1, r.captures());
        assertEquals(2, r.replays());
        assertEquals(2, r.eagerCalls());
    }

    @Test void aShapeChangeRunsEagerlyThenRecaptures() {
        FakeStream s = new FakeStream();
        GraphReplayer<String> r = new GraphReplayer<>(s, true, 1, 4);
        Runnable call = () -> s.kernel("k");
        assertEquals(Mode.EAGER, r.run("n=10", call));
        assertEquals(Mode.CAPTURED, r.run("n=10", call));
        assertEquals(Mode.EAGER, r.run("n=20", call));
        assertEquals(Mode.CAPTURED, r.run("n=20", call));
        assertEquals(Mode.REPLAYED, r.run("n=10", call), "the first shape's graph is still kept");
        assertEquals(Mode.REPLAYED, r.run("n=20", call));
        assertEquals(2, r.graphCount());
    }

    @Test void keysThatNeverRepeatNeverCapture() {
        FakeStream s = new FakeStream();
        GraphReplayer<String> r = new GraphReplayer<>(s, true, 2, 4);
        for (int i = 0; i < 100; i++) assertEquals(Mode.EAGER, r.run("n=" + i, () -> s.kernel("k")));
        assertEquals(0, r.captures());
        assertFalse(s.log.contains("begin"));
    }

    @Test void keysSeenLongAgoAreForgotten() {
        FakeStream s = new FakeStream();
        GraphReplayer<String> r = new GraphReplayer<>(s, true, 1, 4);
        assertEquals(Mode.EAGER, r.run("a", () -> s.kernel("k")));
        for (int i = 0; i < GraphReplayer.RECENT_KEYS; i++) r.run("n=" + i, () -> s.kernel("k"));
        assertEquals(Mode.EAGER, r.run("a", () -> s.kernel("k")), "a's first call was forgotten");
        assertEquals(Mode.CAPTURED, r.run("a", () -> s.kernel("k")));
    }

    @Test void alternatingPointerSwapsAreEachCaptured() {
        FakeStream s = new FakeStream();
        GraphReplayer<String> r = new GraphReplayer<>(s, true, 2, 4);
        List<Mode> modes = new ArrayList<>();
        for (int i = 0; i < 10; i++) modes.add(r.run(i % 2 == 0 ? "w@A" : "w@B", () -> s.kernel("k")));
        assertEquals(List.of(Mode.EAGER, Mode.EAGER, Mode.EAGER, Mode.EAGER, Mode.CAPTURED, Mode.CAPTURED,
                Mode.REPLAYED, Mode.REPLAYED, Mode.REPLAYED, Mode.REPLAYED), modes);
        assertEquals(2, r.captures());
    }

    @Test void leastRecentlyUsedGraphIsDestroyedBeyondTheLimit() {
        FakeStream s = new FakeStream();
        GraphReplayer<String> r = new GraphReplayer<>(s, true, 0, 2);
        r.run("a", () -> s.kernel("k"));   // g0
        r.run("b", () -> s.kernel("k"));   // g1
        r.run("a", () -> s.kernel("k"));   // replay g0: b is now the eldest
        r.run("c", () -> s.kernel("k"));   // g2, evicts b's g1
        assertTrue(s.log.contains("destroy g1"), s.log.toString());
        assertFalse(s.log.contains("destroy g0"), s.log.toString());
        assertEquals(1, r.evictions());
        assertEquals(Mode.REPLAYED, r.run("a", () -> s.kernel("k")));
        r.clear();
        assertEquals(0, r.graphCount());
        assertTrue(s.log.contains("destroy g0") && s.log.contains("destroy g2"), s.log.toString());
    }

    @Test void turnedOffRunsEverythingEagerly() {
        FakeStream s = new FakeStream();
        GraphReplayer<String> r = new GraphReplayer<>(s, false, 0, 4);
        for (int i = 0; i < 5; i++) assertEquals(Mode.EAGER, r.run("same", () -> s.kernel("k")));
        assertEquals(List.of("launch k", "launch k", "launch k", "launch k", "launch k"), s.log);
        assertEquals("turned off", r.disabledReason());
    }

    @Test void aFailedCaptureIsAbortedAndTheCallRunsEagerly() {
        FakeStream s = new FakeStream();
        s.failEnd = new IllegalStateException("CUDA_ERROR_STREAM_CAPTURE_INVALIDATED");
        GraphReplayer<String> r = new GraphReplayer<>(s, true, 0, 4);
        assertEquals(Mode.EAGER, r.run("k", () -> s.kernel("k")));
        assertEquals(List.of("begin", "record k", "abort", "launch k"), s.log);
        assertFalse(r.enabled());
        assertTrue(r.disabledReason().contains("CUDA_ERROR_STREAM_CAPTURE_INVALIDATED"), r.disabledReason());
        assertEquals(Mode.EAGER, r.run("k", () -> s.kernel("k")));
        assertEquals(1, r.failures());
    }

    @Test void aLaunchErrorStillSurfaces() {
        FakeStream s = new FakeStream();
        GraphReplayer<String> r = new GraphReplayer<>(s, true, 0, 4);
        RuntimeException e = assertThrows(RuntimeException.class, () -> r.run("k", () -> { throw new RuntimeException("bad launch"); }));
        assertEquals("bad launch", e.getMessage());
        assertEquals(List.of("begin", "abort"), s.log);
    }

    @Test void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new GraphReplayer<>(new FakeStream(), true, -1, 4));
        assertThrows(IllegalArgumentException.class, () -> new GraphReplayer<>(new FakeStream(), true, 1, 0));
    }
}
