package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pinned staging bookkeeping over direct buffers standing in for cuMemAllocHost. */
class StagingBuffersTest {
    static final class FakeHost implements StagingBuffers.HostMemory<ByteBuffer> {
        final List<String> log = new ArrayList<>();

        @Override public ByteBuffer allocate(long bytes) { log.add("alloc " + bytes); return ByteBuffer.allocateDirect((int) bytes); }

        @Override public ByteBuffer view(ByteBuffer h, long bytes) { return h.duplicate().clear().limit((int) bytes).slice(); }

        @Override public void free(ByteBuffer h) { log.add("free " + h.capacity()); }
    }

    @Test void growsToPowersOfTwoAndReusesOtherwise() {
        FakeHost host = new FakeHost();
        try (StagingBuffers<ByteBuffer> s = new StagingBuffers<>(host)) {
            var a = s.get(0, 100);
            assertEquals(100, a.view().remaining());
            assertEquals(4096, a.capacity());
            var b = s.get(0, 4000);
            assertSame(a.handle(), b.handle());
            var c = s.get(0, 5000);
            assertEquals(8192, c.capacity());
            var d = s.get(2, 1 << 20);
            assertEquals(1 << 20, d.capacity());
            for (int i = 0; i < 50; i++) { s.get(0, 6000); s.get(2, 1000); }
            assertEquals(3, s.allocations());
            assertEquals(List.of("alloc 4096", "free 4096", "alloc 8192", "alloc 1048576"), host.log);
            // the view is native order and positioned for a put of the input's bytes
            c.view().putFloat(1.5f);
            assertEquals(4, c.view().position());
        }
        assertEquals(List.of("alloc 4096", "free 4096", "alloc 8192", "alloc 1048576", "free 8192", "free 1048576"), host.log);
        assertEquals(4096, StagingBuffers.capacityFor(0));
        assertEquals(1L << 33, StagingBuffers.capacityFor((1L << 32) + 1));
    }
}
