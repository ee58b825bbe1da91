package dev.tcc.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Page-locked (pinned) host buffers that inputs and outputs pass through on their way to and from
 * the device: copies from pinned memory run at full bus speed and asynchronously. One buffer per
 * slot (an input or output position of a function); a slot's buffer grows to the next power of
 * two when a call needs more, and is otherwise reused, so steady calls allocate nothing.
 * Not thread-safe: one per function, used under the function's lock.
 *
 * @param <H> the pinned allocation's handle
 */
public final class StagingBuffers<H> implements AutoCloseable {
    /** Pinned host memory (cuMemAllocHost/cuMemFreeHost). */
    public interface HostMemory<H> {
        H allocate(long bytes);

        /** A native-order view of the first {@code bytes} bytes. */
        ByteBuffer view(H handle, long bytes);

        void free(H handle);
    }

    /** A slot's buffer: the handle to copy from/to and a view of exactly the bytes asked for. */
    public record Staged<H>(H handle, ByteBuffer view, long capacity) {}

    public static final long MIN_CAPACITY = 4096;

    private final HostMemory<H> memory;
    private final List<H> handles = new ArrayList<>();
    private final List<Long> capacities = new ArrayList<>();
    private long allocations;

    public StagingBuffers(HostMemory<H> memory) {
        this.memory = memory;
    }

    /** The buffer of {@code slot}, at least {@code bytes} large; its view is positioned at 0 with limit {@code bytes}. */
    public Staged<H> get(int slot, long bytes) {
        while (handles.size() <= slot) {
            handles.add(null);
            capacities.add(0L);
        }
        long cap = capacities.get(slot);
        if (handles.get(slot) == null || cap < bytes) {
            if (handles.get(slot) != null) memory.free(handles.get(slot));
            handles.set(slot, null);
            cap = capacityFor(bytes);
            handles.set(slot, memory.allocate(cap));
            capacities.set(slot, cap);
            allocations++;
        }
        ByteBuffer v = memory.view(handles.get(slot), bytes).order(ByteOrder.nativeOrder());
        v.clear();
        return new Staged<>(handles.get(slot), v, cap);
    }

    static long capacityFor(long bytes) {
        if (bytes <= MIN_CAPACITY) return MIN_CAPACITY;
        long p = Long.highestOneBit(bytes);
        return p == bytes ? p : p << 1;
    }

    /** How many pinned allocations were made. */
    public long allocations() { return allocations; }

    @Override public void close() {
        for (H h : handles) if (h != null) memory.free(h);
        handles.clear();
        capacities.clear();
    }
}
