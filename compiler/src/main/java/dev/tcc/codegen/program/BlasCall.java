package dev.tcc.codegen.program;

/**
 * A row-major GEMM for BLAS ({@code cblas_?gemm(CblasRowMajor, transA, transB, m, n, k, 1, A + aOffsets[t],
 * lda, B + bOffsets[t], ldb, 0, C + cOffsets[t], ldc)} for each of the {@code batch} matrices).
 * Offsets and leading dimensions are in elements. The operands are the buffers of
 * {@link GemmStep#a()} and {@link GemmStep#b()}; C is the buffer of {@link GemmStep#product()}.
 */
public record BlasCall(int batch, int m, int n, int k, boolean transA, boolean transB,
                       int lda, int ldb, int ldc, long[] aOffsets, long[] bOffsets, long[] cOffsets) {}
