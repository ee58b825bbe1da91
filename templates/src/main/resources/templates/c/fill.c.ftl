<#-- a scalar known from shapes (an element count). -->
/* ${k.description} */
${d.kernel} ${k.name}(${k.sig}) {
<#list k.loads as l>
    ${l}
</#list>
    out0[0] = ${k.value};
}
