package dev.tcc.backend.cuda;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CUDA device emulated on the CPU, for running tcc's generated CUDA C where there is no GPU. It
 * compiles a Program's CUDA source with g++ after {@code cuda-emu/tcc_cuda_emu.h} (a launcher per
 * kernel appended) and runs every launch's blocks one after another, each CUDA thread a coroutine
 * switched at barriers and warp shuffles. Device memory is host memory (256-byte aligned, like
 * cuMemAlloc's); copies are memcpy; a CUDA graph is the list of launches recorded while capturing
 * (with the arguments they had then), replayed in order.
 * <p>
 * What it checks before a launch, as a device would: the launch limits, and the thread count
 * against the kernel's {@code __launch_bounds__}. What it cannot show: anything about speed, the
 * memory model between unsynchronized threads, NVRTC's own dialect (the NVRTC tests do that).
 */
final class EmulatedDevice implements CudaDevice<ByteBuffer, List<Runnable>> {
    private static final List<String> FLAGS = List.of("-std=c++17", "-O1", "-fPIC", "-shared", "-w", "-fvisibility=hidden",
            "-ffp-contract=off");
    private static final Pattern BOUNDS = Pattern.compile("__launch_bounds__\\s*\\(\\s*(\\d+)[^)]*\\)\\s*(\\w+)\\s*\\(");
    private static final String HEADER = resource("/cuda-emu/tcc_cuda_emu.h");
    private static volatile EmulatedDevice instance;
    private static volatile String unavailable;

    private final Path cacheDir;
    private final CachingAllocator<Long> allocator;
    private final Map<String, NativeLibrary> libraries = new HashMap<>();
    private final Map<CudaKernel, Launcher> launchers = new IdentityHashMap<>();
    private List<Runnable> capture;
    /** Kernel launches run (eager or replayed), for tests that count them. */
    long launchesRun;

    private record Launcher(Function function, int maxThreads) {}

    private EmulatedDevice(Path cacheDir) {
        this.cacheDir = cacheDir;
        this.allocator = new CachingAllocator<>(new CachingAllocator.Backing<>() {
            @Override public Long allocate(long bytes) {
                long raw = Native.malloc(bytes + 256);
                if (raw == 0) throw new CachingAllocator.OutOfDeviceMemory("host malloc of " + bytes + " bytes failed");
                return raw;
            }

            @Override public void free(Long raw) { Native.free(raw); }

            @Override public long address(Long raw) { return (raw + 255) & ~255L; }
        });
    }

    /** The emulator, or null when it cannot run here ({@link #unavailableReason()} says why). */
    static synchronized EmulatedDevice instance() {
        if (instance == null && unavailable == null) {
            try {
                Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) throw new IOException("g++ --version exited with " + p.exitValue());
                Path dir = Path.of("target", "cuda-emu");
                Files.createDirectories(dir);
                instance = new EmulatedDevice(dir);
            } catch (IOException | InterruptedException e) {
                unavailable = "the CUDA emulator needs g++ (Debian/Ubuntu: apt-get install g++): " + e.getMessage();
            }
        }
        return instance;
    }

    static String unavailableReason() { return unavailable; }

    // ---- kernels ------------------------------------------------------------------------------

    /**
     * {@code options} (NVRTC's {@code --fmad=false} or {@code --use_fast_math}) are not passed on:
     * the emulator always compiles without contraction ({@code -ffp-contract=off}) and maps the
     * fast intrinsics ({@code __expf}, ...) to libm, so fast-math programs get IEEE results here.
     */
    @Override public synchronized CudaKernel load(String source, String fileName, List<String> options, String entry) {
        NativeLibrary lib = libraries.computeIfAbsent(source, s -> compile(s, fileName));
        KernelSignature sig = KernelSignature.parse(source, entry);
        CudaKernel k = new CudaKernel(null, sig);
        Matcher m = BOUNDS.matcher(source);
        int max = LaunchConfig.Limits.DEFAULT.maxThreadsPerBlock();
        while (m.find()) if (m.group(2).equals(entry)) max = Integer.parseInt(m.group(1));
        launchers.put(k, new Launcher(lib.getFunction("tcc_emu_launch_" + entry), max));
        return k;
    }

    /** The source plus a launcher per kernel, compiled (or found in target/cuda-emu) and loaded. */
    private NativeLibrary compile(String source, String fileName) {
        StringBuilder unit = new StringBuilder(source).append("\n// ---- launchers (tcc CUDA emulator) ----\n");
        for (KernelSignature s : KernelSignature.parseAll(source)) {
            unit.append("static void tcc_emu_call_").append(s.name()).append("(void** p) { tcc_emu::call(&").append(s.name())
                    .append(", p); }\n")
                    .append("extern \"C\" __attribute__((visibility(\"default\"))) int tcc_emu_launch_").append(s.name())
                    .append("(const long long* dims, void** p, char* err, int errlen) { return tcc_emu::launch(dims, tcc_emu_call_")
                    .append(s.name()).append(", p, err, errlen); }\n");
        }
        String key = sha256(HEADER + "\n" + FLAGS + "\n" + unit);
        Path lib = cacheDir.resolve(key + ".so");
        try {
            if (!Files.exists(lib)) {
                Path header = cacheDir.resolve("tcc_cuda_emu-" + sha256(HEADER).substring(0, 16) + ".h");
                if (!Files.exists(header)) Files.writeString(header, HEADER);
                Path src = cacheDir.resolve(key + ".cu.cc");
                Files.writeString(src, unit);
                Path tmp = cacheDir.resolve(key + ".so.tmp" + ProcessHandle.current().pid());
                List<String> cmd = new ArrayList<>(List.of("g++"));
                cmd.addAll(FLAGS);
                cmd.addAll(List.of("-include", header.toAbsolutePath().toString(), "-o", tmp.toString(), src.toString()));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalArgumentException("the CUDA emulator could not compile " + fileName + " (" + src + "):\n" + log);
                }
                Files.move(tmp, lib, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return NativeLibrary.getInstance(lib.toAbsolutePath().toString());
    }

    @Override public synchronized void launch(CudaKernel kernel, LaunchConfig config, KernelArgs args) {
        config.check(kernel.name(), limits());
        Launcher l = launchers.get(kernel);
        if (l == null) throw new IllegalArgumentException(kernel + " was not loaded on this device");
        if (config.threadsPerBlock() > l.maxThreads()) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " declares __launch_bounds__(" + l.maxThreads()
                    + ") but is launched with " + config.threadsPerBlock() + " threads a block (" + config + ")");
        }
        byte[] image = args.image();
        Runnable run = () -> run(kernel, l, config, args, image);
        if (capture != null) capture.add(run);
        else run.run();
    }

    private void run(CudaKernel kernel, Launcher l, LaunchConfig c, KernelArgs args, byte[] image) {
        int n = args.size();
        Memory space = new Memory(Math.max(8, image.length));
        space.write(0, image, 0, image.length);
        int[] offsets = KernelArgs.offsets(args.signature().types());
        Memory pointers = new Memory(8L * Math.max(1, n));
        for (int i = 0; i < n; i++) pointers.setPointer(8L * i, space.share(offsets[i]));
        Memory dims = new Memory(6 * 8);
        long[] d = {c.gridX(), c.gridY(), c.gridZ(), c.blockX(), c.blockY(), c.blockZ()};
        dims.write(0, d, 0, 6);
        Memory err = new Memory(512);
        err.setByte(0, (byte) 0);
        int rc = (Integer) l.function().invoke(Integer.class, new Object[] {dims, pointers, err, 512});
        java.lang.ref.Reference.reachabilityFence(space);   // the pointers point into it
        launchesRun++;
        if (rc != 0) throw new IllegalStateException("kernel " + kernel.name() + " " + c + ": " + err.getString(0));
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Override public LaunchConfig.Limits limits() { return LaunchConfig.Limits.DEFAULT; }

    @Override public DeviceBuffer allocate(long bytes) { return allocator.allocate(bytes); }

    @Override @SuppressWarnings("unchecked") public void release(DeviceBuffer buffer) {
        allocator.release((CachingAllocator<Long>.Block) buffer);
    }

    private static ByteBuffer memory(DeviceBuffer b, long bytes) {
        if (bytes > b.bytes()) throw new IllegalArgumentException(bytes + " bytes do not fit " + b);
        return new Pointer(b.address()).getByteBuffer(0, bytes);
    }

    @Override public StagingBuffers.HostMemory<ByteBuffer> pinnedMemory() {
        return new StagingBuffers.HostMemory<>() {
            @Override public ByteBuffer allocate(long bytes) { return ByteBuffer.allocateDirect(Math.toIntExact(bytes)); }

            @Override public ByteBuffer view(ByteBuffer h, long bytes) {
                return h.duplicate().clear().limit((int) bytes).slice().order(java.nio.ByteOrder.nativeOrder());
            }

            @Override public void free(ByteBuffer h) {}
        };
    }

    @Override public void copyToDevice(DeviceBuffer dst, ByteBuffer src, long bytes) { writeNow(dst, src, bytes); }

    @Override public void copyToHost(ByteBuffer dst, DeviceBuffer src, long bytes) { readNow(dst, src, bytes); }

    @Override public void synchronize() {}

    @Override public void readNow(ByteBuffer dst, DeviceBuffer src, long bytes) {
        dst.duplicate().clear().put(memory(src, bytes));
    }

    @Override public void writeNow(DeviceBuffer dst, ByteBuffer src, long bytes) {
        memory(dst, bytes).put(src.duplicate().clear().limit(Math.toIntExact(bytes)));
    }

    // ---- graphs ---------------------------------------------------------------------------------

    @Override public void beginCapture() {
        if (capture != null) throw new IllegalStateException("a capture is already running");
        capture = new ArrayList<>();
    }

    @Override public List<Runnable> endCapture() {
        List<Runnable> g = List.copyOf(capture);
        capture = null;
        return g;
    }

    @Override public void abortCapture() { capture = null; }

    @Override public void launch(List<Runnable> graph) { for (Runnable r : graph) r.run(); }

    @Override public void destroy(List<Runnable> graph) {}

    // ---- helpers --------------------------------------------------------------------------------

    private static String resource(String name) {
        try (InputStream in = EmulatedDevice.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
