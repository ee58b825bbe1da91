<#-- GEMM with fused epilogue as a C loop nest (any dtype): OpenMP over the rows of C; each row is
     accumulated in a per-thread buffer (i-k-j order, the inner loop vectorizes), then the epilogue
     runs on it. The CPU backend may instead call BLAS and run the separate epilogue kernel. -->
<#assign mad = k.mad?replace("ACC", "crow[j]")?replace("X", "x_")?replace("Y", "y_")>
/* ${k.description} */
${d.kernel} ${k.name}(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    int64_t batch = 1;
<#list 0..<k.batchRank as i>
    batch *= bd${i};
</#list>
    const int64_t rows = batch * M;
#pragma omp parallel if (rows * N * K >= TCC_PAR_MIN)
    {
        ${k.acc}* crow = (${k.acc}*)malloc(sizeof(${k.acc}) * (size_t)(N > 0 ? N : 1));
#pragma omp for schedule(static)
        for (int64_t row = 0; row < rows; row++) {
            const int64_t t = row / M, i = row % M;
            int64_t aoff = 0, boff = 0;
<#if (k.batchRank > 0)>
            int64_t rb_ = t;
<#list (k.batchRank - 1)..0 as bi>
            const int64_t bi${bi} = rb_ % bd${bi}; rb_ /= bd${bi}; aoff += bi${bi} * bsa${bi}; boff += bi${bi} * bsb${bi};
</#list>
</#if>
            (void)t;
            for (int64_t j = 0; j < N; j++) crow[j] = ${k.zero};
            for (int64_t q = 0; q < K; q++) {
                const ${k.acc} x_ = (${k.acc})a[aoff + <#if k.transA>q * M + i<#else>i * K + q</#if>];
<#if k.transB>
                for (int64_t j = 0; j < N; j++) { const ${k.acc} y_ = (${k.acc})b[boff + j * K + q]; ${mad} }
<#else>
                const ${k.tb}* brow = b + boff + q * N;
                for (int64_t j = 0; j < N; j++) { const ${k.acc} y_ = (${k.acc})brow[j]; ${mad} }
</#if>
            }
            for (int64_t j = 0; j < N; j++) {
                const int64_t f = row * N + j;
                const ${k.ptype} pv = ${k.product?replace("ACC", "crow[j]")};
<#list k.index as l>
                ${l}
</#list>
<#list k.body as l>
                ${l}
</#list>
            }
        }
        free(crow);
    }
}
