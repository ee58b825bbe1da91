<#-- a scalar known from shapes (an element count), written by one thread. -->
// ${k.description}
${d.kernel} ${k.name}(${k.sig}) {
    if (blockIdx.x == 0 && threadIdx.x == 0) {
<#list k.loads as l>
        ${l}
</#list>
        out0[0] = ${k.value};
    }
}
