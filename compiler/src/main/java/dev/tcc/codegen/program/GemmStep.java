package dev.tcc.codegen.program;

import dev.tcc.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * A matrix product {@code product = a · b} (numpy dot for ranks 1-2, matmul for stacks) with an
 * optional fused elementwise epilogue (bias, activation, ...) that reads {@code product} and other
 * operands and writes {@code outputs}. A library step with two ways to run:
 * <ul>
 *   <li><b>fused kernel</b> {@link #kernel()} (CUDA: tiled shared-memory GEMM; C: OpenMP loop
 *       nest; both for any dtype): computes the product tile by tile and applies the epilogue
 *       before storing, so {@code product} is never written when there is an epilogue.
 *       args = {@link #args()}, params = {@link #params}.</li>
 *   <li><b>BLAS + epilogue</b> (the CPU backend for float32/float64): run {@link #blas} into
 *       the buffer of {@code product}, then run {@link #epilogue()} (an ordinary
 *       {@link ElementwiseStep} whose inputs include {@code product}) if it is not null.</li>
 * </ul>
 * {@code transA}/{@code transB}: the operand value is a transposed view ([1,0] dimshuffle) of a
 * contiguous matrix; its buffer holds the untransposed matrix (so lda/ldb follow the base).
 *
 * <p>Fused params: {@code M, N, K}; for each of {@code batchRank} leading batch axes of the
 * product: {@code size, aStride, bStride} (elements between consecutive matrices, 0 when that
 * operand broadcasts); then the epilogue's params (as {@link ElementwiseStep#params}) if any.
 * Fused args: {@code outputs}, then {@code a}, {@code b}, then the epilogue's inputs other than
 * {@code product}.
 */
public record GemmStep(String kernel, int a, int b, boolean transA, boolean transB, int product,
                       int batchRank, ElementwiseStep epilogue, List<Integer> outputs,
                       String description) implements Step {
    public GemmStep {
        outputs = List.copyOf(outputs);
    }

    /** The epilogue's inputs other than the product, in order (what the fused kernel reads besides a and b). */
    public List<Integer> epilogueOperands() {
        List<Integer> r = new ArrayList<>();
        if (epilogue != null) for (int v : epilogue.inputs()) if (v != product) r.add(v);
        return List.copyOf(r);
    }

    @Override public List<Integer> args() {
        List<Integer> r = new ArrayList<>(outputs);
        r.add(a);
        r.add(b);
        r.addAll(epilogueOperands());
        return List.copyOf(r);
    }

    @Override public List<Integer> writes() { return outputs; }

    /**
     * Whether a CPU backend with BLAS runs this product through {@code ?gemm} (then its epilogue
     * kernel) rather than the generated loop nest: both operands and the product of one float
     * dtype, and the product stored contiguously. The C source puts the loop nest of such a step
     * under {@code #ifndef TCC_CPU_BLAS}, so that a backend that has BLAS does not compile it.
     */
    public boolean blasEligible(Program p) {
        DType d = p.value(product).dtype();
        return d.isFloat() && p.value(a).dtype() == d && p.value(b).dtype() == d
                && p.value(product).stored() && p.value(product).contiguous();
    }

    /** M, N, K of each matrix product. */
    public int[] mnk(Shapes s) {
        int[] as = s.of(a), bs = s.of(b);
        int m = as.length >= 2 ? as[as.length - 2] : 1;
        int k = as[as.length - 1];
        int n = bs.length >= 2 ? bs[bs.length - 1] : 1;
        return new int[] {m, n, k};
    }

    @Override public long[] params(Program p, Shapes s) {
        int[] mnk = mnk(s);
        List<Long> out = new ArrayList<>(List.of((long) mnk[0], (long) mnk[1], (long) mnk[2]));
        if (batchRank > 0) {
            int[] as = s.of(a), bs = s.of(b), ps = s.of(product);
            long[] sa = batchStrides(as, ps), sb = batchStrides(bs, ps);
            for (int i = 0; i < batchRank; i++) { out.add((long) ps[i]); out.add(sa[i]); out.add(sb[i]); }
        }
        if (epilogue != null) for (long v : epilogue.params(p, s)) out.add(v);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Elements between consecutive matrices along each batch axis; 0 where the operand broadcasts. */
    private long[] batchStrides(int[] opShape, int[] prodShape) {
        int nd = opShape.length;
        long[] st = new long[batchRank];
        long stride = (long) opShape[nd - 1] * opShape[nd - 2];
        for (int i = batchRank - 1; i >= 0; i--) {
            st[i] = opShape[i] == 1 && prodShape[i] != 1 ? 0 : stride;
            stride *= opShape[i];
        }
        return st;
    }

    public long batchCount(Shapes s) {
        long c = 1;
        int[] ps = s.of(product);
        for (int i = 0; i < batchRank; i++) c *= ps[i];
        return c;
    }

    /** The BLAS formulation (row-major) of the product for this call. */
    public BlasCall blas(Shapes s) {
        int[] mnk = mnk(s);
        int m = mnk[0], n = mnk[1], k = mnk[2];
        int lda = transA ? m : k;
        int ldb = s.of(b).length == 1 ? 1 : transB ? k : n;
        int batch = (int) batchCount(s);
        long[] ao = new long[batch], bo = new long[batch], co = new long[batch];
        if (batchRank > 0) {
            int[] ps = s.of(product);
            long[] sa = batchStrides(s.of(a), ps), sb = batchStrides(s.of(b), ps);
            int[] idx = new int[batchRank];
            for (int t = 0; t < batch; t++) {
                long oa = 0, ob = 0;
                for (int i = 0; i < batchRank; i++) { oa += idx[i] * sa[i]; ob += idx[i] * sb[i]; }
                ao[t] = oa;
                bo[t] = ob;
                co[t] = (long) t * m * n;
                for (int i = batchRank - 1; i >= 0; i--) { if (++idx[i] < ps[i]) break; idx[i] = 0; }
            }
        }
        return new BlasCall(batch, m, n, k, transA, transB, lda, ldb, n, ao, bo, co);
    }

    @Override public long work(Program p, Shapes s) { return s.size(product); }

    /**
     * Products with at least this many 128×128 tiles use the kernel's {@code _t128} entry (8×8
     * results a thread: fewer shared-memory reads per multiply-add). 256 is two waves on a
     * 132-multiprocessor H100/H200 at one block per multiprocessor.
     */
    public static final long BIG_TILES = 256;

    /**
     * Products with fewer 64×64 tiles than this use the {@code _t32} entry (32×32 tiles of 64
     * threads, 4×4 results a thread): as many multiply-adds a thread as the 64×64 entry, but four
     * times the blocks, so a small product spreads over a big GPU's multiprocessors instead of
     * queueing eight warps on a few of them. The seed MLP's 400×784·784×300 product makes 35
     * blocks of 64×64 and 130 of 32×32 (an H200 has 132 multiprocessors).
     */
    public static final long SMALL_TILES = 128;

    /**
     * A matrix-vector product (one operand a vector, no batch axes): the CUDA source has no tile
     * entries, only a matrix-vector kernel under the name {@link #kernel()}, which reads the matrix
     * once in coalesced order (a tile kernel would spend 63 of every 64 columns of its tile on nothing).
     */
    public boolean matrixVector(Program p) {
        return batchRank == 0 && (p.value(a).ndim() == 1 || p.value(b).ndim() == 1);
    }

    /**
     * For a matrix-vector product, whether the matrix is read along its rows (its elements for one
     * output are contiguous: a warp per output) rather than across them (one output per thread of
     * a 32-wide column, eight warps splitting the sum).
     */
    public boolean matrixVectorRows(Program p) {
        return p.value(b).ndim() == 1 ? !transA : transB;
    }

    private static long tiles(int[] mnk, long batch, int tile) {
        return (long) ((mnk[0] + tile - 1) / tile) * ((mnk[1] + tile - 1) / tile) * Math.max(1, batch);
    }

    /** The tile entry's edge for this call: 128, 64 or 32 (see {@link #BIG_TILES}, {@link #SMALL_TILES}). */
    public int tile(Shapes s) {
        int[] mnk = mnk(s);
        long batch = batchCount(s);
        if (tiles(mnk, batch, 128) >= BIG_TILES) return 128;
        return tiles(mnk, batch, 64) < SMALL_TILES ? 32 : 64;
    }

    @Override public String cudaEntry(Program p, Shapes s) {
        if (matrixVector(p)) return kernel();
        return switch (tile(s)) {
            case 128 -> kernel() + "_t128";
            case 32 -> kernel() + "_t32";
            default -> kernel();
        };
    }

    /**
     * Matrix-vector: 256 threads, eight outputs a block when the matrix is read along rows (a warp
     * each), else 32. Otherwise one block per tile of C: 256 threads for the 64×64 and 128×128
     * tiles, 64 for 32×32; grid.z walks the batch.
     */
    @Override public Launch launch(Program p, Shapes s) {
        int[] mnk = mnk(s);
        if (matrixVector(p)) {
            long outputs = p.value(b).ndim() == 1 ? mnk[0] : mnk[1];
            int perBlock = matrixVectorRows(p) ? 8 : 32;
            return Launch.linear((outputs + perBlock - 1) / perBlock, 256);
        }
        int tile = tile(s);
        return new Launch(Math.max(1, (mnk[1] + tile - 1) / tile), Math.max(1, (mnk[0] + tile - 1) / tile),
                Math.max(1, batchCount(s)), tile == 32 ? 64 : 256, 1, 1, 0);
    }
}
