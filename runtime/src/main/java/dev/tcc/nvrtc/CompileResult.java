package dev.tcc.nvrtc;

import java.util.List;

/**
 * What NVRTC produced for one program: the CUBIN to hand to {@code cuModuleLoadData}, the log
 * (warnings; empty when clean) and the exact options used, which belong in a cache key.
 */
public record CompileResult(byte[] cubin, String log, List<String> options) {
    public CompileResult {
        options = List.copyOf(options);
    }
}
