<#-- Row softmax: OpenMP over the rows; three passes per row (max, sum of exponentials, write). -->
/* ${k.description} */
${d.kernel} ${k.name}(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    const int64_t rows = outer * inner;
#pragma omp parallel for if (rows * len >= TCC_PAR_MIN) schedule(static)
    for (int64_t row = 0; row < rows; row++) {
        const int64_t base = (row / inner) * len * inner + row % inner;
        ${k.ct} m = ${k.ninf};
        for (int64_t j = 0; j < len; j++) m = ${k.max}(m, (${k.ct})in0[base + j * inner]);
        ${k.ct} s = ${k.zero};
        for (int64_t j = 0; j < len; j++) s += ${k.exp}((${k.ct})in0[base + j * inner] - m);
<#if k.log>
        const ${k.ct} ls = ${k.logf}(s);
</#if>
        for (int64_t j = 0; j < len; j++) {
            const ${k.ct} x = (${k.ct})in0[base + j * inner] - m;
            out0[base + j * inner] = (${k.tout})(<#if k.log>x - ls<#else>${k.exp}(x) / s</#if>);
        }
    }
}
