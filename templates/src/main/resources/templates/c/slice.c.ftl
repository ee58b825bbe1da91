<#-- part of a concatenation: out[o, j, q] = whole[o, start + j, q]. -->
/* ${k.description} */
${d.kernel} ${k.name}(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
#pragma omp parallel for if (n >= TCC_PAR_MIN) schedule(static)
    for (int64_t i = 0; i < n; i++) {
        const int64_t o = i / (len * inner), rem = i % (len * inner), j = rem / inner, q = rem % inner;
        out0[i] = (${k.tout})in0[(o * total + start + j) * inner + q];
    }
}
