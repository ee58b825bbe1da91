<#-- concatenate: one thread per output element, which finds the part its position along the axis falls in. -->
// ${k.description}
template <typename idx_t>
static __device__ __forceinline__ void ${k.name}_body(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    const idx_t stride_ = (idx_t)blockDim.x * (idx_t)gridDim.x;
    for (idx_t i = (idx_t)blockIdx.x * (idx_t)blockDim.x + (idx_t)threadIdx.x; i < n; i += stride_) {
        const idx_t o = i / (total * inner), rem = i % (total * inner), j = rem / inner, q = rem % inner;
        idx_t start = 0;
<#list 0..<k.parts as p>
        if (j < start + len${p}) { out0[i] = (${k.tout})in${p}[(o * len${p} + (j - start)) * inner + q]; continue; }
        start += len${p};
</#list>
    }
}
${d.kernel} ${k.name}(${k.sig}) { ${k.name}_body<int>(${k.call}); }
<#if k.wide>
${d.kernel} ${k.name}_i64(${k.sig}) { ${k.name}_body<long long>(${k.call}); }
</#if>
