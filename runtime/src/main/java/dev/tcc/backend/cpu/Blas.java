package dev.tcc.backend.cpu;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.tcc.TccException;
import dev.tcc.cache.KernelCache;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Matrix products on the CPU through OpenBLAS: {@code cblas_sgemm} / {@code cblas_dgemm} on the
 * NDArrays' direct buffers, no copies. All matrices are row-major; offsets and leading dimensions
 * are in elements.
 *
 * <p>The library comes from the {@code org.bytedeco:openblas} jar of this platform (classifier
 * {@code linux-x86_64} by default), which carries {@code libopenblas.so.0} and its runtime
 * libraries as resources. They are copied once into the kernel cache
 * ({@code TCC_CACHE_DIR/openblas/KEY/}, atomically: a temporary folder renamed into place) and
 * loaded with JNA, like the generated kernels. This skips JavaCPP's loader, which costs about a
 * quarter of a second at each process start; nothing needs installing on the machine.
 */
public final class Blas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    /** The libraries, dependencies first; libopenblas finds the others through its RUNPATH $ORIGIN. */
    private static final String[] LIBS = {"libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"};

    private static volatile Blas instance;
    private static volatile String failure;

    private final NativeLibrary library;
    private final Function sgemm;
    private final Function dgemm;
    private final Function sgemv;
    private final Function dgemv;
    private final String config;

    private Blas(NativeLibrary library) {
        this.library = library;
        this.sgemm = library.getFunction("cblas_sgemm");
        this.dgemm = library.getFunction("cblas_dgemm");
        this.sgemv = library.getFunction("cblas_sgemv");
        this.dgemv = library.getFunction("cblas_dgemv");
        this.config = library.getFunction("openblas_get_config").invokeString(new Object[0], false);
    }

    /** Loads OpenBLAS (once per process). @throws TccException when it cannot be loaded on this platform */
    public static Blas get() {
        Blas b = instance;
        if (b != null) return b;
        synchronized (Blas.class) {
            if (instance != null) return instance;
            if (failure != null) throw new TccException(failure);
            try {
                CpuBackend.configureThreads();
                instance = new Blas(NativeLibrary.getInstance(extract(CpuBackend.cache()).toString()));
                return instance;
            } catch (Throwable t) {
                failure = "OpenBLAS (from the org.bytedeco:openblas jar for " + platform() + ") could not be loaded: " + t.getMessage()
                        + ". Matrix products on the CPU backend need it: put org.bytedeco:openblas:<version>:" + platform()
                        + " on the class path, or use Backend.INTERP";
                throw new TccException(failure, t);
            }
        }
    }

    /** Whether OpenBLAS loads here. Never throws. */
    public static boolean available() {
        try {
            get();
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /** OpenBLAS's build configuration, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64}. */
    public String config() { return config; }

    /** The number of threads OpenBLAS uses. */
    public int threads() { return (Integer) library.getFunction("openblas_get_num_threads").invoke(Integer.class, new Object[0]); }

    /** C[m,n] = alpha · op(A) · op(B) + beta · C in float32, on direct buffers. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      ByteBuffer a, long aOff, int lda, ByteBuffer b, long bOff, int ldb,
                      float beta, ByteBuffer c, long cOff, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, CLibrary.pointer(a), aOff, lda, CLibrary.pointer(b), bOff, ldb,
                beta, CLibrary.pointer(c), cOff, ldc);
    }

    /** C[m,n] = alpha · op(A) · op(B) + beta · C in float64, on direct buffers. */
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      ByteBuffer a, long aOff, int lda, ByteBuffer b, long bOff, int ldb,
                      double beta, ByteBuffer c, long cOff, int ldc) {
        dgemm(transA, transB, m, n, k, alpha, CLibrary.pointer(a), aOff, lda, CLibrary.pointer(b), bOff, ldb,
                beta, CLibrary.pointer(c), cOff, ldc);
    }

    /** Same as the buffer form, on native addresses. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      Pointer a, long aOff, int lda, Pointer b, long bOff, int ldb,
                      float beta, Pointer c, long cOff, int ldc) {
        gemm(sgemm, sgemv, 4, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Same as the buffer form, on native addresses. */
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      Pointer a, long aOff, int lda, Pointer b, long bOff, int ldb,
                      double beta, Pointer c, long cOff, int ldc) {
        gemm(dgemm, dgemv, 8, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@code cblas_?gemm}, or {@code cblas_?gemv} where C is one row or column; alpha and beta are the dtype's boxed scalar. */
    private static void gemm(Function gemm, Function gemv, int elementBytes, boolean transA, boolean transB, int m, int n, int k,
                             Object alpha, Pointer a, long aOff, int lda, Pointer b, long bOff, int ldb,
                             Object beta, Pointer c, long cOff, int ldc) {
        Pointer pa = at(a, aOff * elementBytes), pb = at(b, bOff * elementBytes), pc = at(c, cOff * elementBytes);
        Object[] v = asGemv(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        if (v != null) gemv.invoke(v);
        else gemm.invoke(new Object[] {ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                pa, lda, pb, ldb, beta, pc, ldc});
    }

    /**
     * A product with one row or one column of C is a matrix-vector product: the arguments of
     * {@code cblas_?gemv} that compute it, or null for a true GEMM (or an empty sum). OpenBLAS's
     * GEMM on such shapes pads the vector to a full tile and wakes its threads for little work
     * (h·w2 of the seed MLP: 140 µs as a GEMM); its GEMV does not.
     *
     * <p>n = 1: C (m × 1, stride ldc) = op(A) · x, x the single column of op(B) — stride ldb in a
     * k × 1 B, 1 in a transposed (1 × k) one. m = 1: Cᵀ (n, contiguous) = op(B)ᵀ · x, x the single
     * row of op(A) — contiguous in a 1 × k A, stride lda in a transposed (k × 1) one.
     */
    private static Object[] asGemv(boolean transA, boolean transB, int m, int n, int k, Object alpha,
                                   Pointer a, int lda, Pointer b, int ldb, Object beta, Pointer c, int ldc) {
        if (k == 0 || (m != 1 && n != 1)) return null;
        if (n == 1) {
            return transA
                    ? new Object[] {ROW_MAJOR, TRANS, k, m, alpha, a, lda, b, transB ? 1 : ldb, beta, c, ldc}
                    : new Object[] {ROW_MAJOR, NO_TRANS, m, k, alpha, a, lda, b, transB ? 1 : ldb, beta, c, ldc};
        }
        return transB
                ? new Object[] {ROW_MAJOR, NO_TRANS, n, k, alpha, b, ldb, a, transA ? lda : 1, beta, c, 1}
                : new Object[] {ROW_MAJOR, TRANS, k, n, alpha, b, ldb, a, transA ? lda : 1, beta, c, 1};
    }

    private static Pointer at(Pointer p, long byteOffset) {
        return byteOffset == 0 ? p : new Pointer(Pointer.nativeValue(p) + byteOffset);
    }

    /** javacpp's platform name: {@code linux-x86_64}, {@code linux-arm64}, {@code macosx-arm64}, ... */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.startsWith("windows") ? "windows" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm64" : arch;
        return o + "-" + a;
    }

    /**
     * Copies the libraries out of the jar into the cache (once) and returns libopenblas's path. The
     * folder's name is derived from the resources' URLs and sizes, so another openblas version gets
     * another folder; a folder is complete when it exists (it is renamed into place when done).
     */
    static Path extract(KernelCache cache) throws IOException {
        String base = "org/bytedeco/openblas/" + platform() + "/";
        ClassLoader cl = Blas.class.getClassLoader();
        List<URL> urls = new ArrayList<>();
        StringBuilder id = new StringBuilder(platform());
        for (String lib : LIBS) {
            URL u = cl.getResource(base + lib);
            if (u == null) {
                if (lib.equals("libopenblas.so.0"))
                    throw new IOException("the class path has no " + base + lib + " (the org.bytedeco:openblas jar with classifier " + platform() + ")");
                urls.add(null);
                continue;
            }
            urls.add(u);
            URLConnection c = u.openConnection();
            id.append('|').append(u).append('|').append(c.getContentLengthLong());
        }
        Path dir = cache.root().resolve("openblas").resolve(KernelCache.key(id.toString()).substring(0, 24));
        Path lib = dir.resolve("libopenblas.so.0");
        if (Files.isRegularFile(lib)) return lib;
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), "extract-");
        try {
            for (int i = 0; i < LIBS.length; i++) {
                if (urls.get(i) == null) continue;
                try (InputStream in = urls.get(i).openStream()) {
                    Files.copy(in, tmp.resolve(LIBS[i]), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another process extracted it first: use theirs
            }
        } finally {
            if (Files.exists(tmp)) {
                try (var s = Files.list(tmp)) {
                    for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
                }
                Files.deleteIfExists(tmp);
            }
        }
        if (!Files.isRegularFile(lib)) throw new IOException("extracting OpenBLAS into " + dir + " failed");
        return lib;
    }
}
