package dev.tcc.backend.cuda;

import dev.tcc.Config;
import dev.tcc.cache.KernelCache;
import dev.tcc.nvrtc.Nvrtc;

import java.util.ArrayList;
import java.util.List;

/**
 * CUDA C to CUBIN with NVRTC, through the on-disk {@link KernelCache}. The cache key holds
 * everything that changes the CUBIN: the source, the file name NVRTC sees, the exact options, the
 * target architecture and NVRTC's version. A compile error is NVRTC's
 * {@link dev.tcc.nvrtc.NvrtcException}, whose message has the NVRTC log and the numbered source.
 * Needs no GPU.
 */
public final class KernelCompiler {
    private final Nvrtc nvrtc;
    private final KernelCache cache;

    public KernelCompiler(Nvrtc nvrtc, KernelCache cache) {
        this.nvrtc = nvrtc;
        this.cache = cache;
    }

    public Nvrtc nvrtc() { return nvrtc; }

    public KernelCache cache() { return cache; }

    /** The options tcc adds: fast math when {@code Tcc.config().fastMath()} is on. */
    public static List<String> defaultOptions() {
        List<String> o = new ArrayList<>();
        if (Config.get().fastMath()) o.add("--use_fast_math");
        return o;
    }

    /** What the cache entry for this compile is keyed by. */
    public static String keyMaterial(String source, String fileName, String arch, List<String> options, String nvrtcVersion) {
        return "tcc cubin v1\nnvrtc " + nvrtcVersion + "\narch " + arch + "\noptions " + String.join(" ", Nvrtc.options(arch, options))
                + "\nfile " + fileName + "\n" + source;
    }

    /** The CUBIN of {@code source} for {@code arch} ("sm_90"), from the cache or compiled now. */
    public byte[] cubin(String source, String fileName, String arch, List<String> options) {
        return cache.getOrCompute("cubin", keyMaterial(source, fileName, arch, options, nvrtc.version()),
                () -> nvrtc.compile(source, fileName, arch, options).cubin());
    }
}
