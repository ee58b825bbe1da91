package dev.tcc.codegen.program;

import java.util.List;

/**
 * The generated code: one CUDA C translation unit and one C translation unit that define every
 * kernel the steps name (same names in both, {@code extern "C"} in CUDA), and the flags they were
 * written for.
 *
 * @param cuda         CUDA C++ for NVRTC; compile with {@code nvrtcOptions} (plus the architecture);
 *                     null when the Program was scheduled for the C target only
 * @param c            C11 with OpenMP; compile with {@code cc <cFlags> -o lib.so file.c -lm};
 *                     null when the Program was scheduled for the CUDA target only
 * @param nvrtcOptions e.g. {@code --fmad=false} (IEEE) or {@code --use_fast_math}
 * @param cFlags       e.g. {@code -O3 -march=native -fopenmp -fPIC -shared -ffp-contract=off}
 */
public record Sources(String cuda, String c, List<String> nvrtcOptions, List<String> cFlags) {
    public Sources {
        nvrtcOptions = List.copyOf(nvrtcOptions);
        cFlags = List.copyOf(cFlags);
    }
}
