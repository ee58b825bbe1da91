<#-- The start of every generated CUDA translation unit: no headers (NVRTC has none), so the
     stdint names, inf/nan and the shared helpers are defined here. -->
// ---- tcc prelude (CUDA) -------------------------------------------------------------------
typedef int int32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
#define TCC_INF_F __int_as_float(0x7f800000)
#define TCC_NAN_F __int_as_float(0x7fc00000)
#define TCC_INF __longlong_as_double(0x7ff0000000000000LL)
#define TCC_NAN __longlong_as_double(0x7ff8000000000000LL)
#define TCC_FN static __device__ __forceinline__
/* helpers unused by a program, and launch parameters a kernel does not need, are expected */
#pragma nv_diag_suppress 177
#pragma nv_diag_suppress 550
<#include "../common/helpers.ftl">
struct TccSum {
    template <typename T> __device__ __forceinline__ T operator()(T a, T b) const { return a + b; }
};
struct TccMax {
    __device__ __forceinline__ float operator()(float a, float b) const { return tcc_max_f32(a, b); }
    __device__ __forceinline__ double operator()(double a, double b) const { return tcc_max_f64(a, b); }
};
/* Four consecutive elements of shared memory into registers (the GEMM's operand reads): one
   128-bit load for float, two for double; src is 16-byte aligned. */
template <typename T>
static __device__ __forceinline__ void tcc_load4(T* d, const T* s) { d[0] = s[0]; d[1] = s[1]; d[2] = s[2]; d[3] = s[3]; }
static __device__ __forceinline__ void tcc_load4(float* d, const float* s) {
    const float4 v = *reinterpret_cast<const float4*>(s);
    d[0] = v.x; d[1] = v.y; d[2] = v.z; d[3] = v.w;
}
static __device__ __forceinline__ void tcc_load4(double* d, const double* s) {
    const double2 v = reinterpret_cast<const double2*>(s)[0], w = reinterpret_cast<const double2*>(s)[1];
    d[0] = v.x; d[1] = v.y; d[2] = w.x; d[3] = w.y;
}
/* Block-wide reductions (blockDim.x a multiple of 32, at most 1024): warp shuffles, then one
   warp over the per-warp partials kept in sh[32]; every thread gets the result. */
template <typename T, typename F>
static __device__ __forceinline__ T tcc_block_reduce(T v, T identity, F combine, T* sh) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = (blockDim.x + 31) >> 5;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v = combine(v, __shfl_down_sync(0xffffffffu, v, off));
    if (lane == 0) sh[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < nwarps ? sh[lane] : identity;
#pragma unroll
        for (int off = 16; off > 0; off >>= 1) v = combine(v, __shfl_down_sync(0xffffffffu, v, off));
        if (lane == 0) sh[0] = v;
    }
    __syncthreads();
    v = sh[0];
    __syncthreads();
    return v;
}
