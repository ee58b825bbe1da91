<#-- Elementwise kernel: one thread per element, grid-stride loop. Operands read at i (contiguous),
     0 (scalar) or a strided offset o<k> computed from the multi-index (broadcast, transposed).
     The body is instantiated for 32-bit indices (<name>) and, when sizes may not fit, 64-bit (<name>_i64). -->
// ${k.description}
template <typename idx_t>
static __device__ __forceinline__ void ${k.name}_body(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    const idx_t stride_ = (idx_t)blockDim.x * (idx_t)gridDim.x;
    for (idx_t i = (idx_t)blockIdx.x * (idx_t)blockDim.x + (idx_t)threadIdx.x; i < n; i += stride_) {
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
