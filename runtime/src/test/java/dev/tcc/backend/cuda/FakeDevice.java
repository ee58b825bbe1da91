package dev.tcc.backend.cuda;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in device that records what would reach the driver, for testing the host-side
 * bookkeeping without a GPU. Memory and copies are real (host buffers keyed by fake device
 * addresses, so that data moved to and from the "device" can be checked); kernels are NOT run:
 * a launch is only logged, and nothing in the tests depends on what a kernel would compute.
 */
final class FakeDevice implements CudaDevice<ByteBuffer, String> {
    final List<String> log = new ArrayList<>();
    final Map<Long, ByteBuffer> memory = new HashMap<>();
    final CachingAllocator<Long> allocator;
    final Map<String, CudaKernel> kernels = new HashMap<>();
    long pinnedAllocations;
    int graphs;
    boolean capturing;
    private long next = 0x10000;

    FakeDevice() {
        allocator = new CachingAllocator<>(new CachingAllocator.Backing<>() {
            @Override public Long allocate(long bytes) {
                long a = next;
                next += (bytes + 0xFFFF) & ~0xFFFFL;
                memory.put(a, ByteBuffer.allocateDirect((int) bytes));
                log.add("cuMemAlloc " + bytes);
                return a;
            }

            @Override public void free(Long block) { memory.remove(block); log.add("cuMemFree"); }

            @Override public long address(Long block) { return block; }
        });
    }

    /** Log entries starting with {@code prefix}. */
    List<String> entries(String prefix) {
        return log.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    private ByteBuffer mem(DeviceBuffer b) {
        ByteBuffer m = memory.get(b.address());
        if (m == null) throw new IllegalStateException("no device memory at 0x" + Long.toHexString(b.address()));
        return m.duplicate().clear();
    }

    @Override public LaunchConfig.Limits limits() { return LaunchConfig.Limits.DEFAULT; }

    @Override public DeviceBuffer allocate(long bytes) { return allocator.allocate(bytes); }

    @Override @SuppressWarnings("unchecked") public void release(DeviceBuffer buffer) {
        allocator.release((CachingAllocator<Long>.Block) buffer);
    }

    @Override public CudaKernel load(String source, String fileName, List<String> options, String entry) {
        return kernels.computeIfAbsent(entry, e -> {
            log.add("load " + e + " from " + fileName + " " + options);
            return new CudaKernel(null, KernelSignature.parse(source, e));
        });
    }

    @Override public void launch(CudaKernel kernel, LaunchConfig config, KernelArgs args) {
        config.check(kernel.name(), limits());
        log.add((capturing ? "record " : "launch ") + args + " " + config);
    }

    @Override public StagingBuffers.HostMemory<ByteBuffer> pinnedMemory() {
        return new StagingBuffers.HostMemory<>() {
            @Override public ByteBuffer allocate(long bytes) { pinnedAllocations++; return ByteBuffer.allocateDirect((int) bytes); }

            @Override public ByteBuffer view(ByteBuffer h, long bytes) { return h.duplicate().clear().limit((int) bytes).slice(); }

            @Override public void free(ByteBuffer h) {}
        };
    }

    @Override public void copyToDevice(DeviceBuffer dst, ByteBuffer src, long bytes) {
        log.add("h2d " + bytes + " -> 0x" + Long.toHexString(dst.address()));
        mem(dst).put(src.duplicate().clear().limit((int) bytes));
    }

    @Override public void copyToHost(ByteBuffer dst, DeviceBuffer src, long bytes) {
        log.add("d2h " + bytes + " <- 0x" + Long.toHexString(src.address()));
        dst.duplicate().clear().put(mem(src).limit((int) bytes));
    }

    @Override public void synchronize() { log.add("sync"); }

    @Override public void readNow(ByteBuffer dst, DeviceBuffer src, long bytes) {
        log.add("read " + bytes + " <- 0x" + Long.toHexString(src.address()));
        dst.duplicate().clear().put(mem(src).limit((int) bytes));
    }

    @Override public void writeNow(DeviceBuffer dst, ByteBuffer src, long bytes) {
        log.add("write " + bytes + " -> 0x" + Long.toHexString(dst.address()));
        mem(dst).put(src.duplicate().clear().limit((int) bytes));
    }

    @Override public void beginCapture() { capturing = true; log.add("begin capture"); }

    @Override public String endCapture() { capturing = false; String g = "graph" + graphs++; log.add("end capture " + g); return g; }

    @Override public void abortCapture() { capturing = false; log.add("abort capture"); }

    @Override public void launch(String graph) { log.add("launch " + graph); }

    @Override public void destroy(String graph) { log.add("destroy " + graph); }
}
