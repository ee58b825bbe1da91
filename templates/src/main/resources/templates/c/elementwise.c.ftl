<#-- Elementwise kernel: an OpenMP loop over the elements (on the calling thread when small); `simd`
     lets the compiler vectorize it, calls to libm included where it has vector variants (the
     elements are independent: element i reads only element i of each operand it writes over).
     With strided operands (broadcast, transposed) the loop is split into rows of the last axis:
     offsets are computed once per row, and the inner loop steps each operand by its last stride. -->
/* ${k.description} */
${d.kernel} ${k.name}(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
<#if k.rows>
    const int64_t inner = ${k.last};
    const int64_t rows = inner == 0 ? 0 : n / inner;
#pragma omp parallel for if (n >= TCC_PAR_MIN) schedule(static)
    for (int64_t row = 0; row < rows; row++) {
<#list k.rowIndex as l>
        ${l}
</#list>
#pragma omp simd
        for (int64_t j = 0; j < inner; j++) {
            const int64_t i = row * inner + j;
<#list k.innerIndex as l>
            ${l}
</#list>
<#list k.body as l>
            ${l}
</#list>
        }
    }
<#else>
#pragma omp parallel for simd if (parallel: n >= TCC_PAR_MIN) schedule(static)
    for (int64_t i = 0; i < n; i++) {
<#list k.body as l>
        ${l}
</#list>
    }
</#if>
}
