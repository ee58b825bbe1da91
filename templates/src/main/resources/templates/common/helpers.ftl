<#-- Scalar helpers shared by both preludes. TCC_FN is the target's helper qualifier; d.* the dialect table. -->
/* max/min propagate NaN like numpy's maximum/minimum */
TCC_FN float tcc_max_f32(float a, float b) { return (a != a) ? a : ((b != b) ? b : (a > b ? a : b)); }
TCC_FN float tcc_min_f32(float a, float b) { return (a != a) ? a : ((b != b) ? b : (a < b ? a : b)); }
TCC_FN double tcc_max_f64(double a, double b) { return (a != a) ? a : ((b != b) ? b : (a > b ? a : b)); }
TCC_FN double tcc_min_f64(double a, double b) { return (a != a) ? a : ((b != b) ? b : (a < b ? a : b)); }
TCC_FN int64_t tcc_max_i64(int64_t a, int64_t b) { return a > b ? a : b; }
TCC_FN int64_t tcc_min_i64(int64_t a, int64_t b) { return a < b ? a : b; }
/* mod takes the divisor's sign (numpy / Python); integer x % 0 is 0 like numpy's */
TCC_FN float tcc_mod_f32(float a, float b) { float r = fmodf(a, b); if (r != 0 && ((r < 0) != (b < 0))) r += b; return r; }
TCC_FN double tcc_mod_f64(double a, double b) { double r = fmod(a, b); if (r != 0 && ((r < 0) != (b < 0))) r += b; return r; }
TCC_FN int64_t tcc_mod_i64(int64_t a, int64_t b) {
    if (b == 0 || b == -1) return 0;
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
/* integer power by squaring, wrapping like numpy; a negative exponent (numpy raises) gives 0 */
TCC_FN int64_t tcc_pow_i64(int64_t a, int64_t b) {
    if (b < 0) return 0;
    uint64_t r = 1, base = (uint64_t)a;
    for (uint64_t e = (uint64_t)b; e > 0; e >>= 1) { if (e & 1) r *= base; base *= base; }
    return (int64_t)r;
}
/* sigmoid and softplus, computed stably as the interpreter does. In float32 with IEEE semantics
   they are computed in double and rounded once (a correctly rounded result, like the interpreter's):
   composed in float, their few-ulp errors near 1 would be amplified by log(1 - sigmoid(x)).
   Both are written without branches (e = exp(-|x|), then a select) so that C compilers vectorize
   loops calling them; the values are those of the branching form: 1/(1+exp(-x)) for x >= 0,
   exp(x)/(1+exp(x)) below, and x + log1p(exp(-x)) / log1p(exp(x)). */
TCC_FN double tcc_sigmoid_f64(double x) {
    const double e = exp(-fabs(x));
    const double num = x >= 0 ? 1.0 : e;
    return num / (1.0 + e);
}
TCC_FN double tcc_softplus_f64(double x) { return (x > 0 ? x : 0.0) + log1p(exp(-fabs(x))); }
<#if d.fastMath>
TCC_FN float tcc_sigmoid_f32(float x) {
    const float e = ${d.expf}(-fabsf(x));
    const float num = x >= 0 ? 1.0f : e;
    return num / (1.0f + e);
}
TCC_FN float tcc_softplus_f32(float x) { return (x > 0 ? x : 0.0f) + log1pf(${d.expf}(-fabsf(x))); }
<#else>
TCC_FN float tcc_sigmoid_f32(float x) { return (float)tcc_sigmoid_f64((double)x); }
TCC_FN float tcc_softplus_f32(float x) { return (float)tcc_softplus_f64((double)x); }
</#if>
/* argmax/argmin: does (va, ia) beat (vb, ib)? The first NaN wins, then the extreme, then the lower index. */
<#list ["f32", "f64", "i64"] as s><#assign t = {"f32": "float", "f64": "double", "i64": "int64_t"}[s]>
<#list ["max", "min"] as k>
TCC_FN bool tcc_arg${k}_beats_${s}(${t} va, int64_t ia, ${t} vb, int64_t ib) {
    if (ia < 0) return false;
    if (ib < 0) return true;
<#if s != "i64">
    const bool na = va != va, nb = vb != vb;
    if (na || nb) return na && (!nb || ia < ib);
</#if>
    if (va ${(k == "max")?then(">", "<")} vb) return true;
    if (va == vb) return ia < ib;
    return false;
}
</#list>
</#list>
