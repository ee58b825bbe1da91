<#-- Reduction: one block per output element (grid-stride over outputs; column reductions with many
     outputs also get the _cols entry at the end). Each thread folds a strided
     share of the reduced elements (computed by the fused prologue), then warp shuffles and one warp
     over the per-warp partials combine them. -->
// ${k.description}
template <typename idx_t>
static __device__ __forceinline__ void ${k.name}_body(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    __shared__ ${k.acc} sh_v[32];
<#if k.arg>
    __shared__ int64_t sh_i[32];
</#if>
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = (blockDim.x + 31) >> 5;
    for (idx_t o = (idx_t)blockIdx.x; o < outSize; o += (idx_t)gridDim.x) {
        ${k.acc} acc = ${k.identity};
        int64_t acci = -1;
        for (idx_t r = (idx_t)threadIdx.x; r < redSize; r += (idx_t)blockDim.x) {
<#list k.index as l>
            ${l}
</#list>
<#list k.body as l>
            ${l}
</#list>
            const ${k.acc} x_ = ${k.element};
            ${k.accumulate}
        }
#pragma unroll
        for (int off = 16; off > 0; off >>= 1) {
            const ${k.acc} ov = __shfl_down_sync(0xffffffffu, acc, off);
            const int64_t oi = <#if k.arg>__shfl_down_sync(0xffffffffu, acci, off)<#else>-1</#if>;
            ${k.combineShfl}
        }
        if (lane == 0) {
            sh_v[warp] = acc;
<#if k.arg>
            sh_i[warp] = acci;
</#if>
        }
        __syncthreads();
        if (warp == 0) {
            acc = lane < nwarps ? sh_v[lane] : ${k.identity};
<#if k.arg>
            acci = lane < nwarps ? sh_i[lane] : -1;
</#if>
#pragma unroll
            for (int off = 16; off > 0; off >>= 1) {
                const ${k.acc} ov = __shfl_down_sync(0xffffffffu, acc, off);
                const int64_t oi = <#if k.arg>__shfl_down_sync(0xffffffffu, acci, off)<#else>-1</#if>;
                ${k.combineShfl}
            }
            if (lane == 0) out0[o] = ${k.finalize};
        }
        __syncthreads();
    }
}
${d.kernel} ${k.name}(${k.sig}) { ${k.name}_body<int>(${k.call}); }
<#if k.wide>
${d.kernel} ${k.name}_i64(${k.sig}) { ${k.name}_body<long long>(${k.call}); }
</#if>
<#if k.columns>
<#-- Column reduction (the reduced axes lead: output o's elements are f = r * outSize + o), for many
     outputs (ReduceStep.COLUMN_OUTPUTS): a block takes 32 adjacent outputs, a column a lane, and its
     8 warps split the rows (warp w takes r = w, w + 8, ...), so every warp reads 32 adjacent
     elements; the 8 partial results meet in shared memory and are combined in warp order. -->
template <typename idx_t>
static __device__ __forceinline__ void ${k.name}_cols_body(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    __shared__ ${k.acc} part_v[8][33];
    __shared__ int64_t part_i[8][33];
    const int c_ = threadIdx.x & 31, w_ = threadIdx.x >> 5;
    for (idx_t o0_ = (idx_t)blockIdx.x * 32; o0_ < outSize; o0_ += (idx_t)gridDim.x * 32) {
        const idx_t o = o0_ + c_;
        ${k.acc} acc = ${k.identity};
        int64_t acci = -1;
        if (o < outSize) {
            for (idx_t r = (idx_t)w_; r < redSize; r += 8) {
<#list k.index as l>
                ${l}
</#list>
<#list k.body as l>
                ${l}
</#list>
                const ${k.acc} x_ = ${k.element};
                ${k.accumulate}
            }
        }
        part_v[w_][c_] = acc;
        part_i[w_][c_] = acci;
        __syncthreads();
        if (w_ == 0 && o < outSize) {
            for (int t_ = 1; t_ < 8; t_++) { ${k.combineColumn} }
            out0[o] = ${k.finalize};
        }
        __syncthreads();
    }
}
${d.kernel} ${k.name}_cols(${k.sig}) { ${k.name}_cols_body<int>(${k.call}); }
<#if k.wide>
${d.kernel} ${k.name}_cols_i64(${k.sig}) { ${k.name}_cols_body<long long>(${k.call}); }
</#if>
</#if>
