<#-- concatenate: OpenMP over output elements; each finds the part it comes from. -->
/* ${k.description} */
${d.kernel} ${k.name}(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
#pragma omp parallel for if (n >= TCC_PAR_MIN) schedule(static)
    for (int64_t i = 0; i < n; i++) {
        const int64_t o = i / (total * inner), rem = i % (total * inner), j = rem / inner, q = rem % inner;
        int64_t start = 0;
<#list 0..<k.parts as p>
        if (j < start + len${p}) { out0[i] = (${k.tout})in${p}[(o * len${p} + (j - start)) * inner + q]; continue; }
        start += len${p};
</#list>
    }
}
