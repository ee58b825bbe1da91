<#-- Reduction: one block per output element (grid-stride over outputs). Each thread folds a strided
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
