<#-- Tiled shared-memory GEMM with fused epilogue, in three tile sizes of one body:
       <name>       64x64 tile of C, K in steps of 16, each of 256 threads a 4x4 register tile;
       <name>_t128  128x128 tile, K in steps of 8, each of 256 threads 8x8 (2x2 groups of 4x4),
                    for products with enough tiles to fill a GPU;
       <name>_t32   32x32 tile, K in steps of 16, each of 64 threads 4x4, for products too small
                    to give every multiprocessor a 64x64 tile (GemmStep.cudaEntry chooses).
     A thread's rows are ty*4 .. ty*4+3 (plus 4*TY for the second group), its columns tx*4 ..
     tx*4+3 (plus 4*TX), so each k step reads its operands from shared memory as whole vectors of 4
     (one 128-bit load for float). Operand tiles are double-buffered: the next tile is loaded from
     global memory into registers while the current one is multiplied, then stored to the other
     buffer, with one barrier a step. A is kept transposed in shared memory (k-major), rows padded
     by 4 so the transposing stores do not conflict on banks. Transposed operands are read in their
     stored order so global loads stay coalesced. grid = (ceil(N/BN), ceil(M/BM), batch).
     A matrix-vector product (k.mv names the vector operand) gets one entry <name> of another
     kind instead, see below. The epilogue runs on each product element before the store, so the
     product itself is never written to memory when there is one. -->
<#assign mad = k.mad?replace("ACC", "acc[i][j]")?replace("X", "ar[i]")?replace("Y", "br[j]")>
// ${k.description}
<#if k.mv == "">
template <int BM, int BN, int BK, int TM, int TN>
static __device__ __forceinline__ void ${k.name}_tile(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    const long long t = blockIdx.z;
    long long aoff = 0, boff = 0;
<#if (k.batchRank > 0)>
    long long rb_ = t;
<#list (k.batchRank - 1)..0 as i>
    const long long bi${i} = rb_ % bd${i}; rb_ /= bd${i}; aoff += bi${i} * bsa${i}; boff += bi${i} * bsb${i};
</#list>
</#if>
    const ${k.ta}* A = a + aoff;
    const ${k.tb}* B = b + boff;
    constexpr int TX = BN / TN, TY = BM / TM;                 // 16 x 16 threads
    constexpr int LA = BM * BK / (TX * TY), LB = BN * BK / (TX * TY);
    __shared__ __align__(16) ${k.acc} As[2][BK][BM + 4];
    __shared__ __align__(16) ${k.acc} Bs[2][BK][BN + 4];
    const int tid = threadIdx.x, tx = tid % TX, ty = tid / TX;
    const long long row0 = (long long)blockIdx.y * BM, col0 = (long long)blockIdx.x * BN;
    ${k.acc} acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) acc[i][j] = ${k.zero};
    ${k.acc} pa[LA], pb[LB];
    // this thread's share of the operand tiles at k0, into registers (zero outside the matrices)
    auto fetch = [&](long long k0) {
#pragma unroll
        for (int l = 0; l < LA; l++) {
            const int e = tid + l * TX * TY;
<#if k.transA>
            const int kk = e / BM, mm = e % BM;
<#else>
            const int mm = e / BK, kk = e % BK;
</#if>
            const long long gm = row0 + mm, gk = k0 + kk;
            pa[l] = (gm < M && gk < K) ? (${k.acc})A[<#if k.transA>gk * M + gm<#else>gm * K + gk</#if>] : ${k.zero};
        }
#pragma unroll
        for (int l = 0; l < LB; l++) {
            const int e = tid + l * TX * TY;
<#if k.transB>
            const int nn = e / BK, kk = e % BK;
<#else>
            const int kk = e / BN, nn = e % BN;
</#if>
            const long long gn = col0 + nn, gk = k0 + kk;
            pb[l] = (gn < N && gk < K) ? (${k.acc})B[<#if k.transB>gn * K + gk<#else>gk * N + gn</#if>] : ${k.zero};
        }
    };
    auto store = [&](int buf) {
#pragma unroll
        for (int l = 0; l < LA; l++) {
            const int e = tid + l * TX * TY;
<#if k.transA>
            As[buf][e / BM][e % BM] = pa[l];
<#else>
            As[buf][e % BK][e / BK] = pa[l];
</#if>
        }
#pragma unroll
        for (int l = 0; l < LB; l++) {
            const int e = tid + l * TX * TY;
<#if k.transB>
            Bs[buf][e % BK][e / BK] = pb[l];
<#else>
            Bs[buf][e / BN][e % BN] = pb[l];
</#if>
        }
    };
    fetch(0);
    store(0);
    __syncthreads();
    int buf = 0;
    for (long long k0 = 0; k0 < K; k0 += BK) {
        const bool more = k0 + BK < K;
        if (more) fetch(k0 + BK);
#pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            ${k.acc} ar[TM], br[TN];
#pragma unroll
            for (int g = 0; g < TM / 4; g++) tcc_load4(&ar[4 * g], &As[buf][kk][g * 4 * TY + ty * 4]);
#pragma unroll
            for (int g = 0; g < TN / 4; g++) tcc_load4(&br[4 * g], &Bs[buf][kk][g * 4 * TX + tx * 4]);
#pragma unroll
            for (int i = 0; i < TM; i++)
#pragma unroll
                for (int j = 0; j < TN; j++) { ${mad} }
        }
        if (more) store(buf ^ 1);
        __syncthreads();
        buf ^= 1;
    }
#pragma unroll
    for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) {
            const long long gm = row0 + (i / 4) * 4 * TY + ty * 4 + i % 4, gn = col0 + (j / 4) * 4 * TX + tx * 4 + j % 4;
            if (gm < M && gn < N) {
                const long long f = (t * M + gm) * N + gn;
                const ${k.ptype} pv = ${k.product?replace("ACC", "acc[i][j]")};
<#list k.index as l>
                ${l}
</#list>
<#list k.body as l>
                ${l}
</#list>
            }
        }
}
${d.kernel} ${k.name}(${k.sig}) { ${k.name}_tile<64, 64, 16, 4, 4>(${k.call}); }
${d.kernel} ${k.name}_t128(${k.sig}) { ${k.name}_tile<128, 128, 8, 8, 8>(${k.call}); }
${d.kernel} ${k.name}_t32(${k.sig}) { ${k.name}_tile<32, 32, 16, 4, 4>(${k.call}); }
<#else>
<#-- out[o] = sum over k of mat(o, k) * vec(k), for the L outputs o. When mat(o, .) is contiguous
     (k.mvRows) a warp computes one output, its lanes reading consecutive k, then shuffles the 32
     partial sums together (8 outputs a block). Otherwise mat(., k) is contiguous: a block takes 32
     consecutive outputs, a column each, and its 8 warps split k (warp w takes k = w, w+8, ...),
     each warp reading 32 consecutive elements; the 8 partial sums meet in shared memory. Either
     way the sums are combined in a fixed order, so results do not depend on timing. -->
<#if k.mv == "b">
<#assign mat = "a", vec = "b", tmat = k.ta, tvec = k.tb, outs = "M", om = "o", on = "0">
<#else>
<#assign mat = "b", vec = "a", tmat = k.tb, tvec = k.ta, outs = "N", om = "0", on = "o">
</#if>
<#assign mvmad = k.mad?replace("ACC", "acc")?replace("X", "(" + k.acc + ")" + mat + "[MAT]")?replace("Y", "(" + k.acc + ")" + vec + "[kk]")>
static __device__ __forceinline__ void ${k.name}_mv_body(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    const long long t = 0, L = ${outs};
    ${k.acc} acc = ${k.zero};
<#if k.mvRows>
    const int lane = threadIdx.x & 31;
    const long long o = ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    if (o >= L) return;                                        // a whole warp leaves together
    for (long long kk = lane; kk < K; kk += 32) { ${mvmad?replace("MAT", "o * K + kk")} }
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) {
        const ${k.acc} V = __shfl_down_sync(0xffffffffu, acc, off);
        ${k.add?replace("ACC", "acc")}
    }
    if (lane != 0) return;
<#else>
    __shared__ ${k.acc} part[8][33];
    const int c = threadIdx.x & 31, w = threadIdx.x >> 5;
    const long long o = (long long)blockIdx.x * 32 + c;
    if (o < L)
        for (long long kk = w; kk < K; kk += 8) { ${mvmad?replace("MAT", "kk * L + o")} }
    part[w][c] = acc;
    __syncthreads();
    if (w != 0 || o >= L) return;
#pragma unroll
    for (int j = 1; j < 8; j++) {
        const ${k.acc} V = part[j][c];
        ${k.add?replace("ACC", "acc")}
    }
</#if>
    const long long gm = ${om}, gn = ${on}, f = o;
    const ${k.ptype} pv = ${k.product?replace("ACC", "acc")};
<#list k.index as l>
    ${l}
</#list>
<#list k.body as l>
    ${l}
</#list>
}
${d.kernel} ${k.name}(${k.sig}) { ${k.name}_mv_body(${k.call}); }
</#if>
