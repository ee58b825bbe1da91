<#-- part of a concatenation: out[o, j, q] = whole[o, start + j, q]. -->
// ${k.description}
template <typename idx_t>
static __device__ __forceinline__ void ${k.name}_body(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    const idx_t stride_ = (idx_t)blockDim.x * (idx_t)gridDim.x;
    for (idx_t i = (idx_t)blockIdx.x * (idx_t)blockDim.x + (idx_t)threadIdx.x; i < n; i += stride_) {
        const idx_t o = i / (len * inner), rem = i % (len * inner), j = rem / inner, q = rem % inner;
        out0[i] = (${k.tout})in0[(o * total + start + j) * inner + q];
    }
}
${d.kernel} ${k.name}(${k.sig}) { ${k.name}_body<int>(${k.call}); }
<#if k.wide>
${d.kernel} ${k.name}_i64(${k.sig}) { ${k.name}_body<long long>(${k.call}); }
</#if>
