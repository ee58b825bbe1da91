package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.backend.cuda.GraphReplayer.Mode;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The driver layer on a real device: NVRTC-compiled kernels launched through JCuda with packed
 * arguments, pinned copies, the caching allocator, events and CUDA-graph replay, each checked
 * against the same arithmetic done on the host. Skipped (with the probe's reason) without a device.
 */
@Tag("gpu")
class CudaDriverGpuTest {
    static final String SAXPY = KernelCompilerTest.SAXPY;
    static final String FILL = """
            extern "C" __global__ void fill(double* __restrict__ out, int n, double start, double step) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < n) out[i] = start + step * i;
            }
            """;

    CudaContext ctx;

    @BeforeEach void device() { ctx = CudaAssumptions.contextOrSkip(); }

    private CudaKernel saxpy() {
        return ctx.compile(CudaBackend.compiler(), SAXPY, "saxpy.cu", "saxpy", List.of());
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    private float[] roundTrip(StagingBuffers<CudaContext.Pinned> staging, CachingAllocator<DevicePointer>.Block dev, float[] in, int n) {
        long bytes = 4L * n;
        if (in != null) {
            var s = staging.get(0, bytes);
            s.view().asFloatBuffer().put(in, 0, n);
            ctx.copyToDevice(dev, s.handle(), bytes);
        }
        var o = staging.get(1, bytes);
        ctx.copyToHost(o.handle(), dev, bytes);
        ctx.synchronize();
        float[] out = new float[n];
        FloatBuffer fb = o.view().asFloatBuffer();
        fb.get(out);
        return out;
    }

    @Test void saxpyMatchesTheHost() {
        long seed = 20240611;
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1_000_003;
        float a = 0.75f;
        float[] x = random(r, n), y = random(r, n);
        synchronized (ctx) {
            ctx.makeCurrent();
            CudaKernel k = saxpy();
            var dx = ctx.allocate(4L * n);
            var dy = ctx.allocate(4L * n);
            try (var staging = new StagingBuffers<>(ctx.pinnedMemory())) {
                roundTrip(staging, dx, x, n);
                roundTrip(staging, dy, y, n);
                LaunchConfig c = LaunchConfig.linear(n, 256, 1, 8L * ctx.device().multiprocessors());
                ctx.launch(k, c, k.args(dy, dx, a, (long) n));
                float[] got = roundTrip(staging, dy, null, n);
                for (int i = 0; i < n; i++) {
                    float want = Math.fma(a, x[i], y[i]);
                    assertEquals(want, got[i], Math.ulp(want), "element " + i + " (seed " + seed + ")");
                }
            } finally {
                ctx.release(dx);
                ctx.release(dy);
            }
        }
    }

    @Test void intAndDoubleArgumentsArriveIntact() {
        synchronized (ctx) {
            ctx.makeCurrent();
            CudaKernel k = ctx.compile(CudaBackend.compiler(), FILL, "fill.cu", "fill", List.of());
            int n = 1000;
            var d = ctx.allocate(8L * n);
            try (var staging = new StagingBuffers<>(ctx.pinnedMemory())) {
                ctx.launch(k, LaunchConfig.linear(n, 128, 1, Long.MAX_VALUE), k.args(d, n, 1.5, 0.25));
                var o = staging.get(0, 8L * n);
                ctx.copyToHost(o.handle(), d, 8L * n);
                ctx.synchronize();
                for (int i = 0; i < n; i++) assertEquals(1.5 + 0.25 * i, o.view().getDouble(8 * i), 0, "element " + i);
            } finally {
                ctx.release(d);
            }
        }
    }

    @Test void graphReplayGivesTheSameResultsAsEagerLaunches() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 4096 + 5;
        float a = 0.5f;
        float[] x = random(r, n), y = random(r, n);
        synchronized (ctx) {
            ctx.makeCurrent();
            CudaKernel k = saxpy();
            var dx = ctx.allocate(4L * n);
            var dy = ctx.allocate(4L * n);
            try (var staging = new StagingBuffers<>(ctx.pinnedMemory())) {
                roundTrip(staging, dx, x, n);
                roundTrip(staging, dy, y, n);
                GraphReplayer<jcuda.driver.CUgraphExec> g = new GraphReplayer<>(ctx, true, 1, 4);
                KernelArgs args = k.args(dy, dx, a, (long) n);
                LaunchConfig c = LaunchConfig.linear(n, 128, 1, Long.MAX_VALUE);
                List<Mode> modes = new ArrayList<>();
                int calls = 5;
                for (int i = 0; i < calls; i++) {
                    // two launches a call: y = a*x + y, twice
                    modes.add(g.run(List.of(c, args), () -> { ctx.launch(k, c, args); ctx.launch(k, c, args); }));
                }
                assertEquals(List.of(Mode.EAGER, Mode.CAPTURED, Mode.REPLAYED, Mode.REPLAYED, Mode.REPLAYED), modes);
                float[] got = roundTrip(staging, dy, null, n);
                for (int i = 0; i < n; i++) {
                    float want = y[i];
                    for (int j = 0; j < 2 * calls; j++) want = Math.fma(a, x[i], want);
                    assertEquals(want, got[i], 4 * Math.ulp(want), "element " + i);
                }
                g.clear();
            } finally {
                ctx.release(dx);
                ctx.release(dy);
            }
        }
    }

    @Test void allocatorReusesDeviceBlocksAndCopiesWork() {
        synchronized (ctx) {
            ctx.makeCurrent();
            var alloc = ctx.allocator();
            var a = ctx.allocate(1000);
            long before = alloc.backingAllocations();
            ctx.release(a);
            var b = ctx.allocate(900);
            assertEquals(before, alloc.backingAllocations(), "served from the free list");
            assertEquals(a.address(), b.address());
            int n = 250;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = i;
            var c = ctx.allocate(4L * n);
            try (var staging = new StagingBuffers<>(ctx.pinnedMemory())) {
                roundTrip(staging, b, x, n);
                ctx.copy(c, b, 4L * n);
                float[] got = roundTrip(staging, c, null, n);
                for (int i = 0; i < n; i++) assertEquals(x[i], got[i], 0);
                ctx.zero(c, 4L * n);
                got = roundTrip(staging, c, null, n);
                for (int i = 0; i < n; i++) assertEquals(0f, got[i], 0);
            } finally {
                ctx.release(b);
                ctx.release(c);
            }
        }
    }

    @Test void eventsTimeWork() {
        synchronized (ctx) {
            ctx.makeCurrent();
            CudaKernel k = saxpy();
            int n = 1 << 20;
            var dx = ctx.allocate(4L * n);
            var dy = ctx.allocate(4L * n);
            try {
                ctx.zero(dx, 4L * n);
                ctx.zero(dy, 4L * n);
                float ms = ctx.timeMillis(() -> ctx.launch(k, LaunchConfig.linear(n, 256, 1, Long.MAX_VALUE), k.args(dy, dx, 1f, (long) n)));
                assertTrue(ms > 0 && ms < 10_000, "ms = " + ms);
            } finally {
                ctx.release(dx);
                ctx.release(dy);
            }
        }
    }
}
