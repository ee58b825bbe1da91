package dev.tcc.backend.cuda;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What {@link CudaExecutable} and {@link CudaStorage} need from a device: memory, kernels, copies
 * and graph capture on one stream. {@link CudaContext} is the real one (JCuda); tests put a
 * recording fake in its place to check the host-side bookkeeping without a GPU.
 * <p>
 * Copies and launches named "enqueue" are ordered on the device's stream and may still be running
 * when they return; {@link #synchronize} waits for them. A caller issuing a sequence of operations
 * holds the device's monitor ({@code synchronized (device)}) throughout.
 *
 * @param <H> pinned host memory
 * @param <G> an instantiated CUDA graph
 */
public interface CudaDevice<H, G> extends GraphReplayer.Ops<G> {
    /** Launch limits of the device. */
    LaunchConfig.Limits limits();

    /** Device memory of at least {@code bytes} (from a caching allocator; no driver call in steady state). */
    DeviceBuffer allocate(long bytes);

    /** Gives back memory from {@link #allocate}. */
    void release(DeviceBuffer buffer);

    /**
     * Kernel {@code entry} of a CUDA C translation unit, compiled for this device with
     * {@code options} (once per distinct source and options) and loaded.
     */
    CudaKernel load(String source, String fileName, List<String> options, String entry);

    /** Enqueues a kernel launch. */
    void launch(CudaKernel kernel, LaunchConfig config, KernelArgs args);

    /** Pinned host memory for {@link StagingBuffers}. */
    StagingBuffers.HostMemory<H> pinnedMemory();

    /** Enqueues a copy of {@code bytes} from pinned memory to the device. */
    void copyToDevice(DeviceBuffer dst, H src, long bytes);

    /** Enqueues a copy of {@code bytes} from the device to pinned memory (readable after {@link #synchronize}). */
    void copyToHost(H dst, DeviceBuffer src, long bytes);

    /** Waits for everything enqueued; reports a failed kernel or copy. */
    void synchronize();

    /** Waits for the stream, then copies {@code bytes} from the device into {@code dst} (any host buffer). */
    void readNow(ByteBuffer dst, DeviceBuffer src, long bytes);

    /** Waits for the stream, then copies {@code bytes} of {@code src} (any host buffer) to the device. */
    void writeNow(DeviceBuffer dst, ByteBuffer src, long bytes);
}
