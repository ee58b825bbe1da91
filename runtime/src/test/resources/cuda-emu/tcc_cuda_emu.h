/*
 * tcc_cuda_emu.h: runs tcc's generated CUDA C on the CPU, so that the kernels' logic (indexing,
 * tiling, bounds, block reductions, warp shuffles, launch sizes) is tested on machines without a
 * GPU. It is a test tool, not a backend: see EmulatedDevice.java, which compiles a Program's CUDA
 * source with g++ after this header (-include) and calls the launchers it appends.
 *
 * How a launch runs: blocks one after another; inside a block every CUDA thread is a ucontext
 * coroutine on its own stack, switched cooperatively only at __syncthreads() and warp shuffles.
 * __shared__ variables become statics (one copy, which is right while blocks run one at a time).
 * __syncthreads() releases when every thread that has not returned has reached one (returned
 * threads count as arrived, as on Volta and later); a warp shuffle when every live lane of the
 * warp has. When neither can release (say half a warp at a full-mask shuffle, the other half at
 * __syncthreads), the launch fails with the counts, where a GPU would hang.
 *
 * What it does not model: the memory model between threads outside barriers (it is sequential),
 * timing, occupancy, and device limits other than those EmulatedDevice checks before a launch.
 */
#pragma once
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <type_traits>
#include <utility>

/* The CUDA prelude typedefs the stdint names as CUDA has them (int64_t is long long, glibc's is
   long): rename them past the system headers' own. */
#define int32_t tcc_emu_int32_t
#define int64_t tcc_emu_int64_t
#define uint64_t tcc_emu_uint64_t

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

struct __attribute__((aligned(16))) float4 { float x, y, z, w; };
struct __attribute__((aligned(16))) double2 { double x, y; };
struct uint3 { unsigned int x, y, z; };
struct dim3 { unsigned int x, y, z; };

/* Not static: the compiler must assume the (opaque) barrier calls change them. */
__attribute__((visibility("hidden"))) uint3 threadIdx, blockIdx;
__attribute__((visibility("hidden"))) dim3 blockDim, gridDim;
#define warpSize 32

static inline float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }
static inline int __float_as_int(float f) { int i; memcpy(&i, &f, 4); return i; }
static inline double __longlong_as_double(long long i) { double d; memcpy(&d, &i, 8); return d; }
static inline long long __double_as_longlong(double d) { long long i; memcpy(&i, &d, 8); return i; }
/* glibc declares these names itself: macros, not functions */
#define __expf(x) expf(x)
#define __logf(x) logf(x)
#define __sinf(x) sinf(x)
#define __cosf(x) cosf(x)
#define __powf(x, y) powf(x, y)
#define __fdividef(x, y) ((x) / (y))
static inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
template <typename T> static inline T __ldg(const T* p) { return *p; }

namespace tcc_emu {

enum State : unsigned char { RUNNING, AT_SYNCTHREADS, AT_WARP_SYNC, RETURNED };

struct Thread {
    ucontext_t context;
    State state;
    uint3 index;
};

static const size_t STACK_BYTES = 256 * 1024;
static const int MAX_THREADS = 1024;

static ucontext_t scheduler;
static Thread threads[MAX_THREADS];
static char* stacks;                       // MAX_THREADS stacks, reserved once, touched as used
static int count, current;
static void (*kernel)(void**);
static void** params;
static unsigned long long lanes[MAX_THREADS];   // values offered to a warp shuffle

static void thread_main() {
    kernel(params);
    threads[current].state = RETURNED;     // uc_link resumes the scheduler
}

__attribute__((noinline, noipa)) static void wait_at(State s) {
    threads[current].state = s;
    swapcontext(&threads[current].context, &scheduler);
}

/* Runs blockIdx's block to the end. Returns null, or why it could not. */
static const char* run_block() {
    for (int t = 0; t < count; t++) {
        Thread& th = threads[t];
        th.state = RUNNING;
        getcontext(&th.context);
        th.context.uc_stack.ss_sp = stacks + (size_t)t * STACK_BYTES;
        th.context.uc_stack.ss_size = STACK_BYTES;
        th.context.uc_link = &scheduler;
        makecontext(&th.context, thread_main, 0);
    }
    static char why[256];
    while (true) {
        for (int t = 0; t < count; t++) {
            if (threads[t].state != RUNNING) continue;
            current = t;
            threadIdx = threads[t].index;
            swapcontext(&scheduler, &threads[t].context);
        }
        int returned = 0, atSync = 0, atWarp = 0;
        for (int t = 0; t < count; t++) {
            State s = threads[t].state;
            returned += s == RETURNED;
            atSync += s == AT_SYNCTHREADS;
            atWarp += s == AT_WARP_SYNC;
        }
        if (returned == count) return nullptr;
        bool released = false;
        for (int w = 0; w * 32 < count; w++) {
            int hi = w * 32 + 32 < count ? w * 32 + 32 : count, waiting = 0, live = 0;
            for (int t = w * 32; t < hi; t++) {
                live += threads[t].state != RETURNED;
                waiting += threads[t].state == AT_WARP_SYNC;
            }
            if (waiting > 0 && waiting == live) {
                for (int t = w * 32; t < hi; t++) if (threads[t].state == AT_WARP_SYNC) threads[t].state = RUNNING;
                released = true;
            }
        }
        if (!released && atSync == count - returned) {
            for (int t = 0; t < count; t++) if (threads[t].state == AT_SYNCTHREADS) threads[t].state = RUNNING;
            released = true;
        }
        if (!released) {
            snprintf(why, sizeof why, "block (%u, %u, %u) is stuck: %d threads wait at __syncthreads(), %d at a warp"
                     " shuffle and %d have returned (neither barrier can complete: a GPU would hang)",
                     blockIdx.x, blockIdx.y, blockIdx.z, atSync, atWarp, returned);
            return why;
        }
    }
}

/* dims: grid x, y, z, block x, y, z. Returns 0, or 1 with the reason in err. */
static int launch(const long long* dims, void (*k)(void**), void** p, char* err, int errlen) {
    const long long n = dims[3] * dims[4] * dims[5];
    if (n < 1 || n > MAX_THREADS) {
        snprintf(err, errlen, "%lld threads a block (1 to %d can be emulated)", n, MAX_THREADS);
        return 1;
    }
    if (stacks == nullptr) {
        void* s = mmap(nullptr, STACK_BYTES * MAX_THREADS, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (s == MAP_FAILED) { snprintf(err, errlen, "cannot reserve stacks for emulated threads"); return 1; }
        stacks = (char*)s;
    }
    count = (int)n;
    kernel = k;
    params = p;
    gridDim = {(unsigned)dims[0], (unsigned)dims[1], (unsigned)dims[2]};
    blockDim = {(unsigned)dims[3], (unsigned)dims[4], (unsigned)dims[5]};
    for (int t = 0; t < count; t++) {
        threads[t].index = {(unsigned)(t % dims[3]), (unsigned)(t / dims[3] % dims[4]), (unsigned)(t / (dims[3] * dims[4]))};
    }
    for (unsigned z = 0; z < gridDim.z; z++)
        for (unsigned y = 0; y < gridDim.y; y++)
            for (unsigned x = 0; x < gridDim.x; x++) {
                blockIdx = {x, y, z};
                if (const char* why = run_block()) { snprintf(err, errlen, "%s", why); return 1; }
            }
    return 0;
}

/* Calls f with the launch's parameter space: p[i] points at parameter i, as for cuLaunchKernel. */
template <typename... A, size_t... I>
static void call(void (*f)(A...), void** p, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cv_t<A>*>(p[I])...);
}
template <typename... A>
static void call(void (*f)(A...), void** p) { call(f, p, std::index_sequence_for<A...>{}); }

}  // namespace tcc_emu

__attribute__((noinline, noipa)) static void __syncthreads() { tcc_emu::wait_at(tcc_emu::AT_SYNCTHREADS); }

/* The value of `v` in lane (this lane + delta) of the warp, or this lane's own when that is past the warp. */
template <typename T>
static T __shfl_down_sync(unsigned mask, T v, unsigned delta) {
    static_assert(sizeof(T) <= 8, "shuffles move at most 8 bytes");
    (void)mask;
    const int me = tcc_emu::current, lane = me & 31;
    memcpy(&tcc_emu::lanes[me], &v, sizeof(T));
    tcc_emu::wait_at(tcc_emu::AT_WARP_SYNC);
    T r = v;
    if (lane + (int)delta < 32 && me + (int)delta < tcc_emu::count) memcpy(&r, &tcc_emu::lanes[me + delta], sizeof(T));
    tcc_emu::wait_at(tcc_emu::AT_WARP_SYNC);   // nobody overwrites its lane before every lane has read
    return r;
}
template <typename T>
static T __shfl_xor_sync(unsigned mask, T v, int laneMask) {
    (void)mask;
    const int me = tcc_emu::current, src = (me & ~31) | ((me & 31) ^ laneMask);
    memcpy(&tcc_emu::lanes[me], &v, sizeof(T));
    tcc_emu::wait_at(tcc_emu::AT_WARP_SYNC);
    T r = v;
    if (src < tcc_emu::count) memcpy(&r, &tcc_emu::lanes[src], sizeof(T));
    tcc_emu::wait_at(tcc_emu::AT_WARP_SYNC);
    return r;
}
