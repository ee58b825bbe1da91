package dev.tcc.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory without a driver allocation per request: blocks come in {@link SizeClasses} and a
 * released block goes onto its class's free list, from which the next request of that class is
 * served (last released, first reused). Only when a list is empty does it ask the backing memory
 * (cuMemAlloc) for a new block; when that fails for lack of memory, every cached block is
 * returned to the driver and the request tried once more.
 * <p>
 * Thread-safe. The memory behind it is generic so that the bookkeeping is tested without a GPU.
 *
 * @param <B> the backing allocation's handle
 */
public final class CachingAllocator<B> {
    /** Raw allocations (cuMemAlloc/cuMemFree). */
    public interface Backing<B> {
        /** A new allocation of exactly {@code bytes}; throws {@link OutOfDeviceMemory} when the device is full. */
        B allocate(long bytes);

        void free(B block);

        long address(B block);
    }

    /** The device has no memory left for a request, even after the cache was emptied. */
    public static final class OutOfDeviceMemory extends RuntimeException {
        public OutOfDeviceMemory(String message) { super(message); }
    }

    /** A block handed out: at least the requested size; give it back with {@link #release}. */
    public final class Block implements DeviceBuffer {
        private final B raw;
        private final long size;
        private final long address;
        private boolean inUse;

        private Block(B raw, long size) {
            this.raw = raw;
            this.size = size;
            this.address = backing.address(raw);
        }

        public B raw() { return raw; }

        @Override public long address() { return address; }

        @Override public long bytes() { return size; }

        @Override public String toString() { return "block 0x" + Long.toHexString(address) + " (" + size + " B)"; }
    }

    private final Backing<B> backing;
    private final Map<Long, ArrayDeque<Block>> free = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long backingAllocations;
    private long backingFrees;
    private long reuses;

    public CachingAllocator(Backing<B> backing) {
        this.backing = backing;
    }

    /** A block of at least {@code bytes} (one of at least {@link SizeClasses#MIN} for 0). */
    public synchronized Block allocate(long bytes) {
        long size = SizeClasses.classFor(bytes);
        ArrayDeque<Block> list = free.get(size);
        Block b = list == null ? null : list.pollLast();
        if (b != null) {
            reuses++;
            bytesCached -= size;
        } else {
            b = new Block(allocateBacking(size, bytes), size);
        }
        b.inUse = true;
        bytesInUse += size;
        return b;
    }

    private B allocateBacking(long size, long requested) {
        try {
            B raw = backing.allocate(size);
            backingAllocations++;
            return raw;
        } catch (OutOfDeviceMemory first) {
            long cached = bytesCached;
            trim();
            try {
                B raw = backing.allocate(size);
                backingAllocations++;
                return raw;
            } catch (OutOfDeviceMemory second) {
                throw new OutOfDeviceMemory("out of device memory allocating " + requested + " bytes (" + size
                        + " with rounding), after returning " + cached + " cached bytes to the driver; " + bytesInUse
                        + " bytes are in use by tcc: " + second.getMessage());
            }
        }
    }

    /** Puts {@code b} back on its free list for reuse. Releasing a block twice is an error. */
    public synchronized void release(Block b) {
        if (!b.inUse) throw new IllegalStateException(b + " was released twice");
        b.inUse = false;
        bytesInUse -= b.size;
        bytesCached += b.size;
        free.computeIfAbsent(b.size, k -> new ArrayDeque<>()).addLast(b);
    }

    /** Returns every cached (free) block to the backing memory. */
    public synchronized void trim() {
        for (ArrayDeque<Block> list : free.values()) {
            for (Block b : list) {
                backing.free(b.raw);
                backingFrees++;
            }
        }
        free.clear();
        bytesCached = 0;
    }

    public synchronized long bytesInUse() { return bytesInUse; }

    public synchronized long bytesCached() { return bytesCached; }

    /** How many times the backing memory was asked for a block (cuMemAlloc calls). */
    public synchronized long backingAllocations() { return backingAllocations; }

    public synchronized long backingFrees() { return backingFrees; }

    /** Requests served from a free list. */
    public synchronized long reuses() { return reuses; }
}
