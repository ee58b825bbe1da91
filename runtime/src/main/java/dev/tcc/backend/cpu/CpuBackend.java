package dev.tcc.backend.cpu;

import dev.tcc.TccException;
import dev.tcc.cache.KernelCache;

/**
 * Process-wide state of the CPU backend: the C compiler (found once) and the kernel cache.
 * {@link #available()} says, without throwing, whether generated C can be compiled and loaded here.
 */
public final class CpuBackend {
    private static final Object LOCK = new Object();
    private static volatile CCompiler compiler;
    private static volatile String unavailableReason;
    private static volatile KernelCache cache;

    private CpuBackend() {}

    private static volatile boolean threadsConfigured;

    /**
     * Sets, for this process and only where the user has not, how idle worker threads wait:
     * {@code OMP_WAIT_POLICY=passive} (libgomp's threads sleep after a parallel region instead of
     * spinning) and {@code OPENBLAS_THREAD_TIMEOUT=4} (OpenBLAS's threads spin 2^4 cycles, not
     * 2^28). Kernels and OpenBLAS run one after the other on the same cores, each with its own
     * thread pool; a pool that spins while the other works takes its cores, and on a machine with
     * few cores or other load a train step then took 20–40× longer (measured: 196 ms against 9 ms
     * per MLP step with 2 cores under load). Must run before libgomp and OpenBLAS are loaded,
     * which read these at load time; {@code setenv} reaches them (Java's own view of the
     * environment does not change). Never throws.
     */
    static void configureThreads() {
        if (threadsConfigured) return;
        synchronized (LOCK) {
            if (threadsConfigured) return;
            threadsConfigured = true;
            if (!"false".equalsIgnoreCase(System.getProperty("tcc.cpu.passiveThreads", "true"))) {
                setenvIfUnset("OMP_WAIT_POLICY", "passive");
                setenvIfUnset("OPENBLAS_THREAD_TIMEOUT", "4");
            }
        }
    }

    private static void setenvIfUnset(String name, String value) {
        try {
            com.sun.jna.NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[] {name, value, 0});
        } catch (Throwable t) {
            // not a POSIX libc: keep the defaults
        }
    }

    /** The kernel cache the CPU backend uses ({@code TCC_CACHE_DIR}, else {@code ~/.cache/tcc}). */
    public static KernelCache cache() {
        KernelCache c = cache;
        if (c == null) {
            synchronized (LOCK) {
                if (cache == null) cache = KernelCache.defaultCache();
                c = cache;
            }
        }
        return c;
    }

    /**
     * The C compiler, found and checked on first use (and then remembered, also when missing).
     *
     * @throws TccException saying why there is none
     */
    public static CCompiler compiler() {
        CCompiler c = compiler;
        if (c != null) return c;
        synchronized (LOCK) {
            if (compiler != null) return compiler;
            if (unavailableReason != null) throw new TccException(unavailableReason);
            try {
                configureThreads();
                CCompiler found = CCompiler.detect(cache());
                found.openmp();                  // builds and loads the probe library: proves compile + load work
                compiler = found;
                return found;
            } catch (RuntimeException | LinkageError e) {
                unavailableReason = "the CPU backend cannot start: " + e.getMessage();
                throw new TccException(unavailableReason, e);
            }
        }
    }

    private static volatile boolean warming;

    /**
     * Starts finding the compiler, probing OpenMP and vector math, and loading OpenBLAS on a
     * background thread, if that has not
     * happened yet, so that it overlaps the optimizer and the code generator in a fresh process;
     * {@link #compiler()} and {@link #available()} then wait for it. Never throws.
     */
    public static void warmUp() {
        if (compiler != null || unavailableReason != null || warming) return;
        synchronized (CpuBackend.class) {
            if (warming) return;
            warming = true;
        }
        Thread t = new Thread(() -> {
            if (!available()) return;
            compiler.vectorMath();                 // its probe library, too, before the kernels need it
            Blas.available();
        }, "tcc-cpu-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Whether a C compiler works here (compiles and loads a probe library). Never throws. */
    public static boolean available() {
        try {
            compiler();
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Why {@link #available()} is false, or null when it is true (or not yet probed). */
    public static String unavailableReason() { return unavailableReason; }
}
