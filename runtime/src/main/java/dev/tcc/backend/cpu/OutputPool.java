package dev.tcc.backend.cpu;

import com.sun.jna.Pointer;
import dev.tcc.DType;
import dev.tcc.NDArray;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The memory of a function's outputs, handed back by {@code Outputs.close()} and reused by its next
 * call. Without it every call allocates its outputs afresh: Java zero-fills each direct buffer, and
 * memory new to the process costs a page fault per page when first written (on this kind of
 * virtual machine ≈ 4 ms for a 4 MB output, as long as a 1024³ product takes). numpy gets its
 * memory back at once through reference counting; a JVM only when the collector runs, which a loop
 * producing a few large arrays rarely triggers.
 *
 * <p>Per OUTPUT buffer it remembers the address of the array the last call returned, and keeps at
 * most one free block: an array given back becomes that block if it is the last call's (so an
 * older array, or one of another function, is never taken). Nothing here keeps an array that was
 * not given back alive.
 */
final class OutputPool {
    private final ByteBuffer[] free;      // by buffer id: memory given back, for the next call
    private final long[] lastIssued;      // by buffer id: address of the array the last call returned

    OutputPool(int buffers) {
        this.free = new ByteBuffer[buffers];
        this.lastIssued = new long[buffers];
    }

    /** An array for output buffer {@code bufferId}: given-back memory (contents undefined) or a new zeroed array. */
    synchronized NDArray take(int bufferId, DType dtype, int[] shape) {
        long bytes = (long) dtype.size * sizeOf(shape);
        ByteBuffer block = free[bufferId];
        free[bufferId] = null;
        NDArray a = block != null && block.capacity() >= bytes && block.capacity() <= 2 * bytes + 4096
                ? NDArray.wrap(dtype, shape, block)
                : NDArray.zeros(dtype, shape);
        lastIssued[bufferId] = address(a);
        return a;
    }

    /** Takes back the last call's arrays among {@code arrays}; any other array is left alone. */
    synchronized void giveBack(List<NDArray> arrays) {
        for (NDArray a : arrays) {
            if (a == null || a.byteSize() == 0) continue;
            long addr = address(a);
            for (int id = 0; id < lastIssued.length; id++) {
                if (lastIssued[id] == addr) {
                    free[id] = a.buffer();
                    lastIssued[id] = 0;
                    break;
                }
            }
        }
    }

    private static long address(NDArray a) { return Pointer.nativeValue(CLibrary.pointer(a)); }

    private static long sizeOf(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
