<#-- Row softmax: one block per row (outer x inner rows, elements inner apart); block reductions for
     the maximum and the sum of exponentials, then one pass writing the result. -->
// ${k.description}
template <typename idx_t>
static __device__ __forceinline__ void ${k.name}_body(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    __shared__ ${k.ct} sh[32];
    const idx_t rows = outer * inner;
    for (idx_t row = (idx_t)blockIdx.x; row < rows; row += (idx_t)gridDim.x) {
        const idx_t base = (row / inner) * len * inner + row % inner;
        ${k.ct} m = ${k.ninf};
        for (idx_t j = (idx_t)threadIdx.x; j < len; j += (idx_t)blockDim.x) m = ${k.max}(m, (${k.ct})in0[base + j * inner]);
        m = tcc_block_reduce(m, ${k.ninf}, TccMax(), sh);
        ${k.ct} s = ${k.zero};
        for (idx_t j = (idx_t)threadIdx.x; j < len; j += (idx_t)blockDim.x) s += ${k.exp}((${k.ct})in0[base + j * inner] - m);
        s = tcc_block_reduce(s, ${k.zero}, TccSum(), sh);
<#if k.log>
        const ${k.ct} ls = ${k.logf}(s);
</#if>
        for (idx_t j = (idx_t)threadIdx.x; j < len; j += (idx_t)blockDim.x) {
            const ${k.ct} x = (${k.ct})in0[base + j * inner] - m;
            out0[base + j * inner] = (${k.tout})(<#if k.log>x - ls<#else>${k.exp}(x) / s</#if>);
        }
    }
}
${d.kernel} ${k.name}(${k.sig}) { ${k.name}_body<int>(${k.call}); }
<#if k.wide>
${d.kernel} ${k.name}_i64(${k.sig}) { ${k.name}_body<long long>(${k.call}); }
</#if>
