package dev.tcc.backend.cpu;

import com.sun.jna.Pointer;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;

/**
 * Where a shared variable lives while CPU functions use it: its current value in an NDArray that
 * the kernels read and update in place, plus a second array of the same shape (made on first use)
 * for updates that cannot be done in place ({@code UpdateAssignment.Mode.SWAP}): the kernels write
 * the new value there and the two arrays are exchanged after the call.
 * {@code getValue}/{@code setValue} copy out of / into the current array.
 * One storage per variable, shared by every CPU function that uses it ({@link #of}).
 */
public final class CpuStorage implements SharedVar.Storage {
    private NDArray current;
    private NDArray back;
    private Pointer currentPointer;
    private Pointer backPointer;

    private CpuStorage() {}

    /** The variable's CPU storage, moving its value there (once) if it lives elsewhere. */
    public static CpuStorage of(SharedVar v) {
        if (v.storage() instanceof CpuStorage c) return c;
        synchronized (v) {
            if (v.storage() instanceof CpuStorage c) return c;
            CpuStorage c = new CpuStorage();
            v.relocate(c);
            return c;
        }
    }

    @Override public synchronized NDArray read() { return current.copy(); }

    @Override public synchronized void write(NDArray value) {
        if (current == null) {
            current = value.copy();
            currentPointer = CLibrary.pointer(current);
        } else {
            current.copyFrom(value);
        }
    }

    /** The array the kernels use as the variable's value (not a copy). */
    public synchronized NDArray current() { return current; }

    synchronized Pointer currentPointer() { return currentPointer; }

    synchronized Pointer backPointer() {
        if (back == null) {
            back = NDArray.zeros(current.dtype(), current.shape());
            backPointer = CLibrary.pointer(back);
        }
        return backPointer;
    }

    /** After a call whose update went to the back array: it becomes the value. */
    synchronized void swap() {
        NDArray t = current;
        current = back;
        back = t;
        Pointer p = currentPointer;
        currentPointer = backPointer;
        backPointer = p;
    }
}
