package dev.tcc.backend.cpu;

import dev.tcc.DType;
import dev.tcc.NDArray;

/**
 * Run in a separate JVM by {@link CpuCacheProcessTest}, with {@code TCC_CACHE_DIR} and a logging
 * {@code TCC_CC} in its environment: compiles {@link CCompilerTest#SCALE} through the CPU backend
 * (or finds it in the cache), runs it, and prints {@code result=...} and the cache's counters.
 */
public final class CpuCacheProbeMain {
    public static void main(String[] args) {
        CLibrary lib = CpuBackend.compiler().load(CCompilerTest.SCALE, "probe kernels");
        NDArray in = NDArray.of(new float[] {1, 2, 3});
        NDArray out = NDArray.zeros(DType.FLOAT32, 3);
        lib.call("scale", CLibrary.pointer(out), CLibrary.pointer(in), 3L, 2.0);
        System.out.println("result=" + java.util.Arrays.toString(out.toFloatArray()));
        System.out.println("hits=" + CpuBackend.cache().hits() + " misses=" + CpuBackend.cache().misses()
                + " rebuilds=" + CpuBackend.cache().rebuilds());
    }
}
