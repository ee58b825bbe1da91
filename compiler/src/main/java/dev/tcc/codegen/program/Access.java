package dev.tcc.codegen.program;

/**
 * How a kernel reads one operand over its iteration space, decided when the program is built
 * from static types (only axes of static size 1 broadcast, so the pattern is static).
 */
public enum Access {
    /** Same shape as the iteration space and C-contiguous: element {@code i} is at flat index {@code i}. */
    CONTIGUOUS,
    /** A single element (every axis has size 1): always element 0. */
    SCALAR,
    /**
     * Anything else (a broadcast operand, a transposed view): offset = sum over axes of index ×
     * stride; the strides are launch parameters ({@link Program#alignedStrides}), 0 on stretched axes.
     */
    STRIDED
}
