package dev.tcc.backend.cuda;

import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.SharedVar;

import java.lang.ref.Cleaner;

/**
 * Where a shared variable lives while CUDA functions use it: its value in device memory, read and
 * updated there in place by the kernels, plus a second buffer (made on first use) for updates that
 * cannot be done in place ({@code UpdateAssignment.Mode.SWAP}): the kernels write the new value
 * there and the two buffers swap after the call. {@code getValue} copies back from the device,
 * {@code setValue} copies to it. One storage per variable, shared by every CUDA function that
 * uses it ({@link #of}); when the variable is garbage, its device memory goes back to the
 * allocator.
 */
public final class CudaStorage implements SharedVar.Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice<?, ?> device;
    private final State state;

    /** What the cleaner frees: the buffers, without a reference back to the storage. */
    private static final class State implements Runnable {
        final CudaDevice<?, ?> device;
        DType dtype;
        int[] shape;
        long bytes;
        DeviceBuffer current;
        DeviceBuffer back;

        State(CudaDevice<?, ?> device) { this.device = device; }

        @Override public void run() {
            synchronized (device) {
                if (current != null) device.release(current);
                if (back != null) device.release(back);
                current = back = null;
            }
        }
    }

    private CudaStorage(CudaDevice<?, ?> device) {
        this.device = device;
        this.state = new State(device);
        CLEANER.register(this, state);
    }

    /** The variable's storage on {@code device}, moving its value there (once) if it lives elsewhere. */
    public static CudaStorage of(SharedVar v, CudaDevice<?, ?> device) {
        if (v.storage() instanceof CudaStorage c && c.device == device) return c;
        synchronized (v) {
            if (v.storage() instanceof CudaStorage c && c.device == device) return c;
            CudaStorage c = new CudaStorage(device);
            v.relocate(c);
            return c;
        }
    }

    @Override public NDArray read() {
        synchronized (device) {
            NDArray a = NDArray.empty(state.dtype, state.shape);
            device.readNow(a.buffer(), state.current, state.bytes);
            return a;
        }
    }

    @Override public void write(NDArray value) {
        synchronized (device) {
            if (state.current == null) {
                state.dtype = value.dtype();
                state.shape = value.shape();
                state.bytes = value.byteSize();
                state.current = device.allocate(state.bytes);
            }
            device.writeNow(state.current, value.buffer(), state.bytes);
        }
    }

    /** The buffer the kernels use as the variable's value. Call with the device's monitor held. */
    DeviceBuffer current() { return state.current; }

    /** The second buffer, made on first use. Call with the device's monitor held. */
    DeviceBuffer back() {
        if (state.back == null) state.back = device.allocate(state.bytes);
        return state.back;
    }

    /** After a call whose update went to the back buffer: it becomes the value. Call with the device's monitor held. */
    void swap() {
        DeviceBuffer t = state.current;
        state.current = back();
        state.back = t;
    }

    long bytes() { return state.bytes; }
}
