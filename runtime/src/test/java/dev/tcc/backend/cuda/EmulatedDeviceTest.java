package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CPU emulator itself, on hand-written kernels whose results are known: thread and block
 * indices over 3-D grids, __syncthreads and shared memory, warp shuffles, the errors a GPU would
 * give (a barrier not every thread reaches, too many threads for the launch bounds), and graphs
 * that replay the arguments they were captured with.
 */
class EmulatedDeviceTest {
    EmulatedDevice dev;

    @BeforeEach void emulator() { dev = EmulatedCuda.deviceOrSkip(); }

    static final String SOURCE = """
            extern "C" __global__ void __launch_bounds__(256) coords(long long* out, long long n) {
                const long long b = blockIdx.x + (long long)gridDim.x * (blockIdx.y + (long long)gridDim.y * blockIdx.z);
                const long long t = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
                const long long i = b * (blockDim.x * blockDim.y * blockDim.z) + t;
                if (i < n) out[i] = 1000000 * b + 1000 * t + (threadIdx.z * 100 + threadIdx.y * 10 + threadIdx.x);
            }
            /* reverses each block's 64 values through shared memory */
            extern "C" __global__ void __launch_bounds__(64) reverse(const float* in, float* out) {
                __shared__ float s[64];
                const int t = threadIdx.x;
                s[t] = in[blockIdx.x * 64 + t];
                __syncthreads();
                out[blockIdx.x * 64 + t] = s[63 - t];
            }
            /* each warp's sum by shuffles (lane 0 writes it), and lane i's value from lane i ^ 1 */
            extern "C" __global__ void __launch_bounds__(256) warps(const double* in, double* sums, double* swapped) {
                double v = in[threadIdx.x];
                swapped[threadIdx.x] = __shfl_xor_sync(0xffffffffu, v, 1);
                for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
                if ((threadIdx.x & 31) == 0) sums[threadIdx.x >> 5] = v;
            }
            /* half of each warp shuffles with a full mask, the other half waits at the barrier: a GPU hangs */
            extern "C" __global__ void __launch_bounds__(256) divergent(float* out) {
                float v = out[threadIdx.x];
                if ((threadIdx.x & 31) < 16) v = __shfl_down_sync(0xffffffffu, v, 1);
                __syncthreads();
                out[threadIdx.x] = v;
            }
            extern "C" __global__ void __launch_bounds__(256) fill(float* out, float value, long long n) {
                for (long long i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) out[i] = value;
            }
            """;

    CudaKernel kernel(String name) { return dev.load(SOURCE, "emu_test.cu", List.of(), name); }

    DeviceBuffer upload(ByteBuffer data) {
        DeviceBuffer b = dev.allocate(data.capacity());
        dev.writeNow(b, data, data.capacity());
        return b;
    }

    ByteBuffer download(DeviceBuffer b, int bytes) {
        ByteBuffer out = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        dev.readNow(out, b, bytes);
        return out;
    }

    @Test void threadAndBlockIndicesCoverA3dGrid() {
        int n = 2 * 3 * 2 * (4 * 2 * 3);
        DeviceBuffer out = dev.allocate(8L * n);
        CudaKernel k = kernel("coords");
        dev.launch(k, new LaunchConfig(2, 3, 2, 4, 2, 3, 0), k.args(out, (long) n));
        ByteBuffer got = download(out, 8 * n);
        for (int i = 0; i < n; i++) {
            int b = i / 24, t = i % 24;
            int x = t % 4, y = t / 4 % 2, z = t / 8;
            assertEquals(1_000_000L * b + 1000L * t + (z * 100 + y * 10 + x), got.getLong(8 * i), "element " + i);
        }
    }

    @Test void sharedMemoryIsSharedByABlockAcrossTheBarrier() {
        ByteBuffer in = ByteBuffer.allocateDirect(4 * 128).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 128; i++) in.putFloat(4 * i, i);
        DeviceBuffer a = upload(in), b = dev.allocate(4 * 128);
        CudaKernel k = kernel("reverse");
        dev.launch(k, LaunchConfig.of(2, 64), k.args(a, b));
        ByteBuffer got = download(b, 4 * 128);
        for (int i = 0; i < 128; i++) assertEquals((i / 64) * 64 + 63 - i % 64, got.getFloat(4 * i), "element " + i);
    }

    @Test void warpShufflesMoveValuesBetweenLanesOfOneWarp() {
        ByteBuffer in = ByteBuffer.allocateDirect(8 * 96).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 96; i++) in.putDouble(8 * i, i * i);
        DeviceBuffer a = upload(in), sums = dev.allocate(8 * 3), swapped = dev.allocate(8 * 96);
        CudaKernel k = kernel("warps");
        dev.launch(k, LaunchConfig.of(1, 96), k.args(a, sums, swapped));
        ByteBuffer s = download(sums, 24), w = download(swapped, 8 * 96);
        for (int warp = 0; warp < 3; warp++) {
            double want = 0;
            for (int l = 0; l < 32; l++) want += (32 * warp + l) * (32 * warp + l);
            assertEquals(want, s.getDouble(8 * warp), "warp " + warp);
        }
        for (int i = 0; i < 96; i++) assertEquals((double) (i ^ 1) * (i ^ 1), w.getDouble(8 * i), "lane " + i);
    }

    @Test void aBarrierThatSomeThreadsSkipIsAnError() {
        DeviceBuffer out = dev.allocate(4 * 64);
        CudaKernel k = kernel("divergent");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dev.launch(k, LaunchConfig.of(1, 64), k.args(out)));
        assertTrue(e.getMessage().contains("block (0, 0, 0) is stuck: 32 threads wait at __syncthreads(), 32 at a warp shuffle and 0 have returned"),
                e.getMessage());
    }

    @Test void moreThreadsThanTheLaunchBoundsAreRefused() {
        CudaKernel k = kernel("reverse");
        DeviceBuffer a = dev.allocate(4 * 128);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dev.launch(k, LaunchConfig.of(1, 128), k.args(a, a)));
        assertTrue(e.getMessage().contains("declares __launch_bounds__(64) but is launched with 128 threads"), e.getMessage());
    }

    @Test void aGraphReplaysTheArgumentsItWasCapturedWith() {
        DeviceBuffer out = dev.allocate(4 * 1000);
        CudaKernel k = kernel("fill");
        LaunchConfig c = LaunchConfig.of(3, 128);
        dev.launch(k, c, k.args(out, 0.0, 1000L));
        dev.beginCapture();
        dev.launch(k, c, k.args(out, 2.5, 1000L));
        List<Runnable> g = dev.endCapture();
        assertArrayEquals(filled(0), floats(out), "nothing runs while capturing");
        dev.launch(k, c, k.args(out, 7.0, 1000L));
        assertArrayEquals(filled(7), floats(out));
        dev.launch(g);
        assertArrayEquals(filled(2.5f), floats(out));
    }

    static float[] filled(float v) {
        float[] a = new float[1000];
        java.util.Arrays.fill(a, v);
        return a;
    }

    float[] floats(DeviceBuffer b) {
        float[] a = new float[1000];
        download(b, 4000).asFloatBuffer().get(a);
        return a;
    }
}
