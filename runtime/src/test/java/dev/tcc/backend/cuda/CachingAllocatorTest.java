package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Size classes and free-list bookkeeping, over a fake device that records cuMemAlloc/cuMemFree. */
class CachingAllocatorTest {
    static final class FakeDevice implements CachingAllocator.Backing<Long> {
        long capacity = Long.MAX_VALUE, used, next = 0x1000;
        final List<String> calls = new ArrayList<>();
        final Set<Long> live = new HashSet<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        @Override public Long allocate(long bytes) {
            if (used + bytes > capacity) {
                calls.add("alloc " + bytes + " OOM");
                throw new CachingAllocator.OutOfDeviceMemory("fake device full");
            }
            calls.add("alloc " + bytes);
            long a = next;
            next += bytes + 256;
            used += bytes;
            live.add(a);
            sizes.put(a, bytes);
            return a;
        }

        @Override public void free(Long block) {
            calls.add("free " + sizes.get(block));
            assertTrue(live.remove(block), "freed twice or never allocated");
            used -= sizes.get(block);
        }

        @Override public long address(Long block) { return block; }
    }

    @Test void sizeClasses() {
        assertEquals(512, SizeClasses.classFor(0));
        assertEquals(512, SizeClasses.classFor(1));
        assertEquals(512, SizeClasses.classFor(512));
        assertEquals(1024, SizeClasses.classFor(513));
        assertEquals(1L << 20, SizeClasses.classFor((1L << 20) - 1));
        assertEquals(1L << 20, SizeClasses.classFor(1L << 20));
        assertEquals((1L << 20) + (1L << 18), SizeClasses.classFor((1L << 20) + 1));
        assertEquals(400_000_000L / (1 << 26) * (1 << 26) + (1 << 26), SizeClasses.classFor(400_000_000L));
        for (long n = 1; n < (1L << 34); n = n * 3 + 7) {
            long c = SizeClasses.classFor(n);
            assertTrue(c >= n, "class " + c + " < " + n);
            if (n > SizeClasses.SMALL_LIMIT) assertTrue(c - n <= n / 4, "waste for " + n + " is " + (c - n));
            assertEquals(c, SizeClasses.classFor(c), "a class is its own class");
        }
    }

    @Test void releasedBlocksAreReusedWithoutNewDriverAllocations() {
        FakeDevice dev = new FakeDevice();
        CachingAllocator<Long> alloc = new CachingAllocator<>(dev);
        var a = alloc.allocate(1000);
        var b = alloc.allocate(1000);
        assertEquals(1024, a.bytes());
        assertEquals(2, alloc.backingAllocations());
        assertEquals(2048, alloc.bytesInUse());
        alloc.release(a);
        assertEquals(1024, alloc.bytesCached());
        var c = alloc.allocate(700);        // same class (1024): served from the free list
        assertSame(a, c);
        assertEquals(2, alloc.backingAllocations());
        assertEquals(1, alloc.reuses());
        alloc.release(b);
        alloc.release(c);
        // a steady loop of calls asks the driver for nothing more
        for (int i = 0; i < 100; i++) {
            var x = alloc.allocate(1000);
            var y = alloc.allocate(900);
            alloc.release(x);
            alloc.release(y);
        }
        assertEquals(2, alloc.backingAllocations());
        assertEquals(List.of("alloc 1024", "alloc 1024"), dev.calls);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> alloc.release(b));
        assertTrue(e.getMessage().contains("released twice"), e.getMessage());
    }

    @Test void outOfMemoryReturnsTheCacheToTheDriverAndRetries() {
        FakeDevice dev = new FakeDevice();
        dev.capacity = 3L << 20;
        CachingAllocator<Long> alloc = new CachingAllocator<>(dev);
        var a = alloc.allocate(1L << 20);
        var b = alloc.allocate(1L << 20);
        alloc.release(a);
        alloc.release(b);                 // 2 MiB cached, 1 MiB free on the device
        var big = alloc.allocate(2L << 20); // does not fit beside the cache: trim, retry
        assertEquals(2L << 20, big.bytes());
        assertEquals(0, alloc.bytesCached());
        assertEquals(List.of("alloc 1048576", "alloc 1048576", "alloc 2097152 OOM", "free 1048576", "free 1048576", "alloc 2097152"),
                dev.calls);
        CachingAllocator.OutOfDeviceMemory e = assertThrows(CachingAllocator.OutOfDeviceMemory.class, () -> alloc.allocate(2L << 20));
        assertTrue(e.getMessage().startsWith("out of device memory allocating 2097152 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("2097152 bytes are in use by tcc"), e.getMessage());
    }

    @Test void trimFreesOnlyCachedBlocks() {
        FakeDevice dev = new FakeDevice();
        CachingAllocator<Long> alloc = new CachingAllocator<>(dev);
        var a = alloc.allocate(10);
        var b = alloc.allocate(5000);
        alloc.release(b);
        alloc.trim();
        assertEquals(1, dev.live.size());
        assertTrue(dev.live.contains(a.address()));
        assertEquals(512, alloc.bytesInUse());
        assertEquals(1, alloc.backingFrees());
    }
}
