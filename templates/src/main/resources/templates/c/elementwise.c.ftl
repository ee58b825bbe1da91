<#-- Elementwise kernel: an OpenMP loop over the elements (on the calling thread when small); `simd`
     lets the compiler vectorize it, calls to libm included where it has vector variants (the
     elements are independent: element i reads only element i of each operand it writes over). -->
/* ${k.description} */
${d.kernel} ${k.name}(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
#pragma omp parallel for simd if (parallel: n >= TCC_PAR_MIN) schedule(static)
    for (int64_t i = 0; i < n; i++) {
<#list k.index as l>
        ${l}
</#list>
<#list k.body as l>
        ${l}
</#list>
    }
}
