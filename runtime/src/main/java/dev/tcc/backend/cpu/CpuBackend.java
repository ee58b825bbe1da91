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
