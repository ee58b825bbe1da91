<#-- Reduction: OpenMP over the output elements; a single output with much to reduce is split among
     threads whose partial results are combined in thread order (deterministic for a thread count). -->
<#macro element>
<#list k.index as l>
                ${l}
</#list>
<#list k.body as l>
                ${l}
</#list>
                const ${k.acc} x_ = ${k.element};
                ${k.accumulate}
</#macro>
/* ${k.description} */
${d.kernel} ${k.name}(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    if (outSize == 1 && redSize >= TCC_PAR_MIN && omp_get_max_threads() > 1) {
        ${k.acc} part_v[64];
        int64_t part_i[64];
        for (int t_ = 0; t_ < 64; t_++) { part_v[t_] = ${k.identity}; part_i[t_] = -1; }
        int nt_ = omp_get_max_threads();
        if (nt_ > 64) nt_ = 64;
#pragma omp parallel num_threads(nt_)
        {
            const int t_ = omp_get_thread_num(), T_ = omp_get_num_threads();
            const int64_t o = 0;
            ${k.acc} acc = ${k.identity};
            int64_t acci = -1;
            for (int64_t r = redSize * t_ / T_; r < redSize * (t_ + 1) / T_; r++) {
<@element/>
            }
            part_v[t_] = acc;
            part_i[t_] = acci;
            (void)o;
        }
        ${k.acc} acc = ${k.identity};
        int64_t acci = -1;
        for (int t_ = 0; t_ < 64; t_++) { ${k.combinePart} }
        (void)acci;
        out0[0] = ${k.finalize};
        return;
    }
<#if k.columns>
    if (outSize >= TCC_COL_BLOCK) {
        /* The reduced axes lead (f = r * outSize + o): visit the source row by row and accumulate
           a block of adjacent outputs at once, so that reads are contiguous and the inner loop
           vectorizes. Each output still combines its elements in the order r = 0, 1, ..., exactly
           as the loop below does. */
        const int64_t blocks_ = (outSize + TCC_COL_BLOCK - 1) / TCC_COL_BLOCK;
#pragma omp parallel for if (outSize * redSize >= TCC_PAR_MIN) schedule(static)
        for (int64_t b_ = 0; b_ < blocks_; b_++) {
            const int64_t o0_ = b_ * TCC_COL_BLOCK;
            const int64_t on_ = outSize - o0_ < TCC_COL_BLOCK ? outSize - o0_ : TCC_COL_BLOCK;
            ${k.acc} accv_[TCC_COL_BLOCK];
            int64_t acciv_[TCC_COL_BLOCK];
            for (int64_t j_ = 0; j_ < on_; j_++) { accv_[j_] = ${k.identity}; acciv_[j_] = -1; }
            for (int64_t r = 0; r < redSize; r++) {
#pragma omp simd
                for (int64_t j_ = 0; j_ < on_; j_++) {
                    const int64_t o = o0_ + j_;
                    ${k.acc} acc = accv_[j_];
                    int64_t acci = acciv_[j_];
<@element/>
                    accv_[j_] = acc;
                    acciv_[j_] = acci;
                }
            }
            for (int64_t j_ = 0; j_ < on_; j_++) {
                const ${k.acc} acc = accv_[j_];
                const int64_t acci = acciv_[j_];
                (void)acci;
                out0[o0_ + j_] = ${k.finalize};
            }
        }
        return;
    }
</#if>
#pragma omp parallel for if (outSize * redSize >= TCC_PAR_MIN) schedule(static)
    for (int64_t o = 0; o < outSize; o++) {
        ${k.acc} acc = ${k.identity};
        int64_t acci = -1;
        for (int64_t r = 0; r < redSize; r++) {
<@element/>
        }
        (void)acci;
        out0[o] = ${k.finalize};
    }
}
