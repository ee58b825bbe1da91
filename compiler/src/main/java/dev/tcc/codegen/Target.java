package dev.tcc.codegen;

/** The two languages kernels are generated in. */
public enum Target {
    /** CUDA C++ for NVRTC: {@code extern "C" __global__} kernels, one thread per element. */
    CUDA,
    /** C11 with OpenMP for {@code cc -O3 -march=native -fopenmp -fPIC -shared}. */
    C
}
