package dev.tcc.codegen.program;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One kernel launch of a Program, in execution order.
 *
 * <h2>Kernel ABI (both targets)</h2>
 * Every kernel named by {@link #kernel()} exists in both {@link Sources#cuda()} and
 * {@link Sources#c()} with the same parameter list:
 * <pre>
 *   kernel(T0* arg0, T1* arg1, ..., int64 p0, int64 p1, ...)
 * </pre>
 * first one pointer per entry of {@link #args()} (the start of that value's buffer; outputs are
 * listed first, then inputs), then one 64-bit integer per entry of {@link #params} (C:
 * {@code int64_t}, CUDA: {@code long long}). In CUDA the entry is {@code extern "C" __global__};
 * launch it with {@link #launch}. In C it is a plain exported function that parallelizes itself
 * with OpenMP; just call it. {@link #cudaEntry} names the CUDA symbol to use for a call's shapes
 * (the {@code _i64} variant when indices do not fit 32 bits); the C symbol is always {@link #kernel()}.
 * Steps whose iteration space is empty may be skipped.
 *
 * <p>{@link GemmStep} is a library step: the CPU backend may instead call BLAS and then its
 * {@link GemmStep#epilogue()} (see there).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ElementwiseStep.class, name = "elementwise"),
    @JsonSubTypes.Type(value = ReduceStep.class, name = "reduce"),
    @JsonSubTypes.Type(value = GemmStep.class, name = "gemm"),
    @JsonSubTypes.Type(value = SoftmaxStep.class, name = "softmax"),
    @JsonSubTypes.Type(value = ConcatStep.class, name = "concat"),
    @JsonSubTypes.Type(value = SliceStep.class, name = "slice"),
    @JsonSubTypes.Type(value = FillStep.class, name = "fill"),
})
public sealed interface Step permits ElementwiseStep, ReduceStep, GemmStep, SoftmaxStep, ConcatStep, SliceStep, FillStep {
    /** The kernel's symbol in both sources (the CUDA 32-bit-index variant). */
    String kernel();

    /** What it computes and where that was written, e.g. {@code fused{add,sigmoid} at Mlp.java:12}. */
    String description();

    /** Values whose buffer pointers are passed, in order: the written values, then the read ones. */
    List<Integer> args();

    /** Values this step writes (a prefix of {@link #args()}). */
    List<Integer> writes();

    /** Values this step reads through a pointer (the rest of {@link #args()}). */
    default List<Integer> reads() { return args().subList(writes().size(), args().size()); }

    /** The int64 launch parameters for this call's shapes. */
    long[] params(Program p, Shapes s);

    /** CUDA grid/block for this call's shapes. */
    Launch launch(Program p, Shapes s);

    /** The CUDA symbol for this call: {@link #kernel()}, or {@code kernel() + "_i64"} for large sizes. */
    default String cudaEntry(Program p, Shapes s) { return kernel(); }

    /** Number of elements in the iteration space (0: the step may be skipped). */
    long work(Program p, Shapes s);

    int THREADS = 256;

    /**
     * The most elements a 32-bit-index CUDA entry handles: below 2^31 by more than one grid's worth
     * of threads ({@link #blocksFor} blocks of {@link #THREADS}), so a grid-stride index never overflows.
     */
    long I32_LIMIT = Integer.MAX_VALUE - (1L << 25);

    /** Blocks for a grid-stride loop over n elements. */
    static long blocksFor(long n) { return Math.max(1, Math.min((n + THREADS - 1) / THREADS, 1L << 16)); }

    /** A power of two in [32, 256] covering n (threads for one row of a reduction or softmax). */
    static int rowThreads(long n) {
        int t = 32;
        while (t < THREADS && t < n) t <<= 1;
        return t;
    }
}
