<#-- Tiled shared-memory GEMM with fused epilogue: a 16x16 block computes a 64x64 tile of C, each
     thread a 4x4 register tile, stepping through K 16 at a time (operand tiles staged in shared
     memory; transposed operands are read in their stored order so loads stay coalesced).
     grid = (ceil(N/64), ceil(M/64), batch). The epilogue runs on each product element before the
     store, so the product itself is never written to memory when there is one. -->
<#assign mad = k.mad?replace("ACC", "acc[i][j]")?replace("X", "ar[i]")?replace("Y", "br[j]")>
// ${k.description}
${d.kernel} ${k.name}(${k.sig}) {
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
    __shared__ ${k.acc} As[16][64 + 4];
    __shared__ ${k.acc} Bs[16][64 + 4];
    const int tx = threadIdx.x, ty = threadIdx.y, tid = ty * 16 + tx;
    const long long row0 = (long long)blockIdx.y * 64, col0 = (long long)blockIdx.x * 64;
    ${k.acc} acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = ${k.zero};
    for (long long k0 = 0; k0 < K; k0 += 16) {
#pragma unroll
        for (int l = 0; l < 4; l++) {
            const int e = tid + l * 256;
<#if k.transA>
            const int kk = e / 64, mm = e % 64;
<#else>
            const int mm = e / 16, kk = e % 16;
</#if>
            const long long gm = row0 + mm, gk = k0 + kk;
            As[kk][mm] = (gm < M && gk < K) ? (${k.acc})A[<#if k.transA>gk * M + gm<#else>gm * K + gk</#if>] : ${k.zero};
        }
#pragma unroll
        for (int l = 0; l < 4; l++) {
            const int e = tid + l * 256;
<#if k.transB>
            const int nn = e / 16, kk = e % 16;
<#else>
            const int kk = e / 64, nn = e % 64;
</#if>
            const long long gn = col0 + nn, gk = k0 + kk;
            Bs[kk][nn] = (gn < N && gk < K) ? (${k.acc})B[<#if k.transB>gn * K + gk<#else>gk * N + gn</#if>] : ${k.zero};
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < 16; kk++) {
            ${k.acc} ar[4], br[4];
#pragma unroll
            for (int q = 0; q < 4; q++) { ar[q] = As[kk][ty + 16 * q]; br[q] = Bs[kk][tx + 16 * q]; }
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) { ${mad} }
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) {
            const long long gm = row0 + ty + 16 * i, gn = col0 + tx + 16 * j;
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
