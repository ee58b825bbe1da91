package dev.tcc.backend.cuda;

import dev.tcc.TccException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The thin driver-API layer over JCuda: one device's primary context, one non-blocking stream that
 * every copy and launch goes to, module loading from CUBINs, kernel launches, device memory through
 * a {@link CachingAllocator}, pinned host memory, events for timing, and CUDA-graph capture.
 * <p>
 * Only {@link CudaBackend} makes one, after {@link CudaProbe} found a device: JCuda's classes
 * need libcuda.so.1. JCuda's exceptions stay off; every call's {@code CUresult} is checked here and
 * a failure is a {@link TccException} naming the call and the error. Calls from any thread are
 * fine (each makes the context current first), but a caller that issues a sequence of operations
 * (a function call) holds the context's monitor for the whole sequence.
 */
public final class CudaContext implements CudaDevice<CudaContext.Pinned, CUgraphExec> {
    private final CudaProbe.Device device;
    private final CUdevice cuDevice = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final LaunchConfig.Limits limits;
    private final CachingAllocator<DevicePointer> allocator;
    private final Map<String, CUmodule> modules = new ConcurrentHashMap<>();
    private final Map<String, CUmodule> sourceModules = new ConcurrentHashMap<>();
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private CudaContext(CudaProbe.Device device) {
        this.device = device;
        JCudaDriver.setExceptionsEnabled(false);
        check(JCudaDriver.cuInit(0), "cuInit");
        check(JCudaDriver.cuDeviceGet(cuDevice, device.ordinal()), "cuDeviceGet");
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, cuDevice), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        int optin = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
        this.limits = new LaunchConfig.Limits(
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z),
                Math.max(optin, attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK)));
        this.allocator = new CachingAllocator<>(new CachingAllocator.Backing<>() {
            @Override public DevicePointer allocate(long bytes) {
                makeCurrent();
                DevicePointer p = new DevicePointer();
                int rc = JCudaDriver.cuMemAlloc(p, bytes);
                if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
                    throw new CachingAllocator.OutOfDeviceMemory("cuMemAlloc(" + bytes + ") returned CUDA_ERROR_OUT_OF_MEMORY");
                }
                check(rc, "cuMemAlloc(" + bytes + ")");
                return p;
            }

            @Override public void free(DevicePointer block) {
                makeCurrent();
                check(JCudaDriver.cuMemFree(block), "cuMemFree");
            }

            @Override public long address(DevicePointer block) { return block.address(); }
        });
    }

    /** Starts the device's primary context; throws when JCuda or the driver cannot. */
    static CudaContext start(CudaProbe.Device device) {
        return new CudaContext(device);
    }

    public CudaProbe.Device device() { return device; }

    @Override public LaunchConfig.Limits limits() { return limits; }

    public CachingAllocator<DevicePointer> allocator() { return allocator; }

    /** Makes this context current on the calling thread (once per thread). */
    public void makeCurrent() {
        if (!current.get()) {
            check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            current.set(Boolean.TRUE);
        }
    }

    private int attribute(int attribute) {
        int[] v = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(v, attribute, cuDevice), "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    // ---- modules and kernels ----

    /** Loads a CUBIN (once per distinct CUBIN) and returns its kernel {@code signature.name()}. */
    public CudaKernel kernel(byte[] cubin, KernelSignature signature) {
        makeCurrent();
        String key = sha256(cubin);
        CUmodule module = modules.computeIfAbsent(key, k -> {
            CUmodule m = new CUmodule();
            check(JCudaDriver.cuModuleLoadData(m, cubin), "cuModuleLoadData");
            return m;
        });
        CUfunction f = new CUfunction();
        check(JCudaDriver.cuModuleGetFunction(f, module, signature.name()), "cuModuleGetFunction(" + signature.name() + ")");
        return new CudaKernel(f, signature);
    }

    /** Compiles {@code source} for this device (through the kernel cache) and loads kernel {@code name}. */
    public CudaKernel compile(KernelCompiler compiler, String source, String fileName, String name, List<String> options) {
        makeCurrent();
        String key = sha256(KernelCompiler.keyMaterial(source, fileName, device.arch(), options, compiler.nvrtc().version())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CUmodule module = sourceModules.computeIfAbsent(key, k -> {
            byte[] cubin = compiler.cubin(source, fileName, device.arch(), options);
            return modules.computeIfAbsent(sha256(cubin), c -> {
                CUmodule m = new CUmodule();
                check(JCudaDriver.cuModuleLoadData(m, cubin), "cuModuleLoadData(" + fileName + ")");
                return m;
            });
        });
        KernelSignature signature = KernelSignature.parse(source, name);
        CUfunction f = new CUfunction();
        check(JCudaDriver.cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
        return new CudaKernel(f, signature);
    }

    @Override public CudaKernel load(String source, String fileName, List<String> options, String entry) {
        return compile(CudaBackend.compiler(), source, fileName, entry, options);
    }

    /** Enqueues a launch on the stream. */
    @Override public void launch(CudaKernel kernel, LaunchConfig config, KernelArgs args) {
        makeCurrent();
        config.check(kernel.name(), limits);
        if (config.sharedBytes() > kernel.sharedBytesAllowed) {
            check(JCudaDriver.cuFuncSetAttribute(kernel.function,
                    CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, config.sharedBytes()),
                    "cuFuncSetAttribute(" + kernel.name() + ", max dynamic shared memory " + config.sharedBytes() + ")");
            kernel.sharedBytesAllowed = config.sharedBytes();
        }
        Pointer[] params = new Pointer[args.size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = switch (args.type(i)) {
                case PTR -> Pointer.to(new long[] {args.address(i)});
                case I32 -> Pointer.to(new int[] {args.intValue(i)});
                case I64 -> Pointer.to(new long[] {args.longValue(i)});
                case F32 -> Pointer.to(new float[] {args.floatValue(i)});
                case F64 -> Pointer.to(new double[] {args.doubleValue(i)});
            };
        }
        check(JCudaDriver.cuLaunchKernel(kernel.function, config.gridX(), config.gridY(), config.gridZ(),
                config.blockX(), config.blockY(), config.blockZ(), config.sharedBytes(), stream,
                Pointer.to(params), null), "cuLaunchKernel(" + kernel.name() + ", " + config + ")");
    }

    // ---- memory ----

    /** Device memory from the caching allocator. */
    @Override public CachingAllocator<DevicePointer>.Block allocate(long bytes) {
        return allocator.allocate(bytes);
    }

    @Override public void release(DeviceBuffer block) {
        allocator.release(block(block));
    }

    @SuppressWarnings("unchecked")
    private static CachingAllocator<DevicePointer>.Block block(DeviceBuffer b) {
        if (!(b instanceof CachingAllocator<?>.Block)) throw new IllegalArgumentException(b + " is not device memory of this context");
        return (CachingAllocator<DevicePointer>.Block) b;
    }

    private static DevicePointer raw(DeviceBuffer b) { return block(b).raw(); }

    /** A JCuda host pointer that tells its address. */
    static final class HostPointer extends Pointer {
        long address() { return getNativePointer() + getByteOffset(); }
    }

    /** Pinned host memory: handle and view. */
    public static final class Pinned {
        final Pointer pointer;
        final long bytes;

        Pinned(Pointer pointer, long bytes) {
            this.pointer = pointer;
            this.bytes = bytes;
        }
    }

    /** Pinned host memory for {@link StagingBuffers}. */
    @Override public StagingBuffers.HostMemory<Pinned> pinnedMemory() {
        return new StagingBuffers.HostMemory<>() {
            @Override public Pinned allocate(long bytes) {
                makeCurrent();
                HostPointer p = new HostPointer();
                check(JCudaDriver.cuMemAllocHost(p, bytes), "cuMemAllocHost(" + bytes + ")");
                if (p.address() == 0) throw new TccException("CUDA: cuMemAllocHost(" + bytes + ") returned a null pointer");
                return new Pinned(p, bytes);
            }

            @Override public ByteBuffer view(Pinned h, long bytes) {
                if (bytes > h.bytes) throw new IllegalArgumentException(bytes + " bytes of a " + h.bytes + "-byte pinned buffer");
                // JCuda attaches a direct buffer to the pointer it fills; if it did not, view the address with JNA
                ByteBuffer b = h.pointer.getByteBuffer(0, bytes);
                if (b == null) b = new com.sun.jna.Pointer(((HostPointer) h.pointer).address()).getByteBuffer(0, bytes);
                return b;
            }

            @Override public void free(Pinned h) {
                makeCurrent();
                check(JCudaDriver.cuMemFreeHost(h.pointer), "cuMemFreeHost");
            }
        };
    }

    /** Enqueues a copy of {@code bytes} from pinned host memory to the device. */
    @Override public void copyToDevice(DeviceBuffer dst, Pinned src, long bytes) {
        if (bytes == 0) return;
        checkSize(dst, bytes);
        check(JCudaDriver.cuMemcpyHtoDAsync(raw(dst), src.pointer, bytes, stream), "cuMemcpyHtoDAsync(" + bytes + ")");
    }

    /** Enqueues a copy of {@code bytes} from the device to pinned host memory. */
    @Override public void copyToHost(Pinned dst, DeviceBuffer src, long bytes) {
        if (bytes == 0) return;
        checkSize(src, bytes);
        check(JCudaDriver.cuMemcpyDtoHAsync(dst.pointer, raw(src), bytes, stream), "cuMemcpyDtoHAsync(" + bytes + ")");
    }

    /** Enqueues a device-to-device copy. */
    public void copy(DeviceBuffer dst, DeviceBuffer src, long bytes) {
        if (bytes == 0) return;
        checkSize(dst, bytes);
        checkSize(src, bytes);
        check(JCudaDriver.cuMemcpyDtoDAsync(raw(dst), raw(src), bytes, stream), "cuMemcpyDtoDAsync(" + bytes + ")");
    }

    /** Enqueues zero-filling of the first {@code bytes}. */
    public void zero(DeviceBuffer dst, long bytes) {
        if (bytes == 0) return;
        checkSize(dst, bytes);
        check(JCudaDriver.cuMemsetD8Async(raw(dst), (byte) 0, bytes, stream), "cuMemsetD8Async(" + bytes + ")");
    }

    @Override public void readNow(ByteBuffer dst, DeviceBuffer src, long bytes) {
        synchronize();
        if (bytes == 0) return;
        checkSize(src, bytes);
        if (!dst.isDirect() || dst.remaining() < bytes) throw new IllegalArgumentException("readNow needs a direct buffer of " + bytes + " bytes");
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(dst), raw(src), bytes), "cuMemcpyDtoH(" + bytes + ")");
    }

    @Override public void writeNow(DeviceBuffer dst, ByteBuffer src, long bytes) {
        synchronize();
        if (bytes == 0) return;
        checkSize(dst, bytes);
        if (!src.isDirect() || src.remaining() < bytes) throw new IllegalArgumentException("writeNow needs a direct buffer of " + bytes + " bytes");
        check(JCudaDriver.cuMemcpyHtoD(raw(dst), Pointer.to(src), bytes), "cuMemcpyHtoD(" + bytes + ")");
    }

    private static void checkSize(DeviceBuffer b, long bytes) {
        if (bytes > b.bytes()) throw new IllegalArgumentException("copy of " + bytes + " bytes into/out of " + b);
    }

    /** Waits for everything enqueued on the stream; reports a failed kernel here. */
    @Override public void synchronize() {
        makeCurrent();
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize (an earlier kernel or copy failed)");
    }

    /** Runs {@code work} (which enqueues on the stream) between two events; milliseconds between them. */
    public float timeMillis(Runnable work) {
        makeCurrent();
        CUevent start = new CUevent(), end = new CUevent();
        check(JCudaDriver.cuEventCreate(start, 0), "cuEventCreate");
        check(JCudaDriver.cuEventCreate(end, 0), "cuEventCreate");
        try {
            check(JCudaDriver.cuEventRecord(start, stream), "cuEventRecord");
            work.run();
            check(JCudaDriver.cuEventRecord(end, stream), "cuEventRecord");
            check(JCudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
            float[] ms = new float[1];
            check(JCudaDriver.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
            return ms[0];
        } finally {
            JCudaDriver.cuEventDestroy(start);
            JCudaDriver.cuEventDestroy(end);
        }
    }

    // ---- CUDA graphs ----

    @Override public void beginCapture() {
        makeCurrent();
        check(JCudaDriver.cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
                "cuStreamBeginCapture");
    }

    @Override public CUgraphExec endCapture() {
        CUgraph graph = new CUgraph();
        check(JCudaDriver.cuStreamEndCapture(stream, graph), "cuStreamEndCapture");
        try {
            CUgraphExec exec = new CUgraphExec();
            check(JCudaDriver.cuGraphInstantiate(exec, graph, 0), "cuGraphInstantiate");
            return exec;
        } finally {
            JCudaDriver.cuGraphDestroy(graph);
        }
    }

    @Override public void abortCapture() {
        try {
            CUgraph graph = new CUgraph();
            if (JCudaDriver.cuStreamEndCapture(stream, graph) == CUresult.CUDA_SUCCESS) JCudaDriver.cuGraphDestroy(graph);
        } catch (Throwable ignored) {
            // the capture is over either way
        }
    }

    @Override public void launch(CUgraphExec graph) {
        check(JCudaDriver.cuGraphLaunch(graph, stream), "cuGraphLaunch");
    }

    @Override public void destroy(CUgraphExec graph) {
        makeCurrent();
        JCudaDriver.cuGraphExecDestroy(graph);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    // ---- errors ----

    static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new TccException("CUDA: " + call + " failed: " + CUresult.stringFor(rc) + " (" + rc + ")");
        }
    }

    @Override public String toString() { return "CUDA context on " + device; }
}
