<#-- Elementwise kernel: grid-stride loop. Operands read at i (contiguous), 0 (scalar) or a strided
     offset o<k> computed from the multi-index (broadcast, transposed). Each round of the loop takes
     k.unroll elements a thread (i, i + stride, ...: each still coalesced across a warp), computes
     all of them into registers r<j>[] and only then stores them: an output may alias an input (an
     in-place update), so the compiler may not move a load above an earlier store, and a loop that
     stored each element before loading the next would keep one load a thread in flight, too few
     to saturate HBM. The last partial round runs a plain loop.
     The body is instantiated for 32-bit indices (<name>) and, when sizes may not fit, 64-bit (<name>_i64):
     i0_ + unroll * stride stays below 2^31 because stride is at most 2^24 and n below 2^31 - 2^25. -->
// ${k.description}
template <typename idx_t>
static __device__ __forceinline__ void ${k.name}_body(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    const idx_t stride_ = (idx_t)blockDim.x * (idx_t)gridDim.x;
    idx_t i0_ = (idx_t)blockIdx.x * (idx_t)blockDim.x + (idx_t)threadIdx.x;
    for (; i0_ + ${k.unroll - 1} * stride_ < n; i0_ += ${k.unroll} * stride_) {
<#list k.outTypes as t>
        ${t} r${t?index}[${k.unroll}];
</#list>
#pragma unroll
        for (int u_ = 0; u_ < ${k.unroll}; u_++) {
            const idx_t i = i0_ + u_ * stride_;
<#list k.index as l>
            ${l}
</#list>
<#list k.staged as l>
            ${l}
</#list>
        }
#pragma unroll
        for (int u_ = 0; u_ < ${k.unroll}; u_++) {
<#list k.outTypes as t>
            out${t?index}[i0_ + u_ * stride_] = r${t?index}[u_];
</#list>
        }
    }
    for (idx_t i = i0_; i < n; i += stride_) {
<#list k.index as l>
        ${l}
</#list>
<#list k.body as l>
        ${l}
</#list>
    }
}
${d.kernel} ${k.name}(${k.sig}) { ${k.name}_body<int>(${k.call}); }
<#if k.wide>
${d.kernel} ${k.name}_i64(${k.sig}) { ${k.name}_body<long long>(${k.call}); }
</#if>
