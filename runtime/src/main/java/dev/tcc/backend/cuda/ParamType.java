package dev.tcc.backend.cuda;

/**
 * The kinds of kernel parameter tcc's generated kernels take, with their size and alignment in
 * the kernel's parameter space (natural alignment, as nvcc lays out {@code __global__} parameters).
 */
public enum ParamType {
    /** A device pointer ({@code float*}, {@code const double* __restrict__}, ...). */
    PTR(8),
    /** {@code int}, {@code int32_t}, {@code unsigned}. */
    I32(4),
    /** {@code long long}, {@code int64_t}, {@code size_t}. */
    I64(8),
    /** {@code float}. */
    F32(4),
    /** {@code double}. */
    F64(8);

    public final int bytes;

    ParamType(int bytes) { this.bytes = bytes; }
}
