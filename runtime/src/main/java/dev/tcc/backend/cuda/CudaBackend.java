package dev.tcc.backend.cuda;

import dev.tcc.TccException;
import dev.tcc.cache.KernelCache;
import dev.tcc.nvrtc.Nvrtc;

import java.util.Optional;

/**
 * Whether tcc can run on a CUDA device here, and the process-wide device context when it can.
 * Usable means: {@link CudaProbe} found a driver and a device, NVRTC was found to compile
 * kernels, and JCuda's driver binding started the device's primary context. Decided once, on
 * first use; never throws from {@link #isAvailable()} or {@link #unavailableReason()}.
 */
public final class CudaBackend {
    private CudaBackend() {}

    private record State(CudaContext context, KernelCompiler compiler, CudaProbe.Result probe, String reason) {}

    private static volatile State state;
    /** A device standing in for the probed one: the tests' CPU emulator (EmulatedDevice), else null. */
    private static volatile CudaDevice<?, ?> standIn;

    private static State state() {
        State s = state;
        if (s == null) {
            synchronized (CudaBackend.class) {
                s = state;
                if (s == null) state = s = start();
            }
        }
        return s;
    }

    private static State start() {
        CudaProbe.Result probe = CudaProbe.system();
        if (!probe.usable()) return new State(null, null, probe, probe.reason());
        Optional<Nvrtc> nvrtc;
        try {
            nvrtc = Nvrtc.find();
        } catch (Throwable e) {
            nvrtc = Optional.empty();
        }
        if (nvrtc.isEmpty()) {
            return new State(null, null, probe, "a CUDA device was found (" + probe.device() + "), but NVRTC, which compiles"
                    + " tcc's kernels, was not (set TCC_NVRTC_LIB to libnvrtc.so.13 or .12, or run scripts/setup-nvrtc): "
                    + Nvrtc.unavailableReason());
        }
        try {
            CudaContext context = CudaContext.start(probe.device());
            return new State(context, new KernelCompiler(nvrtc.get(), KernelCache.defaultCache()), probe, null);
        } catch (Throwable e) { // UnsatisfiedLinkError from JCuda's native library, or a driver error
            return new State(null, null, probe, "a CUDA device was found (" + probe.device() + "), but JCuda's driver"
                    + " binding could not start it: " + e);
        }
    }

    /** True when functions can run on the device. */
    public static boolean isAvailable() { return standIn != null || state().context() != null; }

    /**
     * Runs CUDA functions on {@code device} instead of the probed GPU until called again with null.
     * For tests: the CPU emulator runs the generated CUDA kernels where there is no GPU.
     */
    static void standIn(CudaDevice<?, ?> device) { standIn = device; }

    /** The device CUDA functions run on: the stand-in when one is set, else the GPU's context. */
    static CudaDevice<?, ?> device() {
        CudaDevice<?, ?> d = standIn;
        return d != null ? d : context();
    }

    /** Why CUDA cannot be used (what was looked for, where, and what failed), or null when it can. */
    public static String unavailableReason() { return state().reason(); }

    /** What the probe found (device, driver version, where it looked). */
    public static CudaProbe.Result probe() { return state().probe(); }

    /** The device context; a {@link TccException} with the reason when CUDA is not usable. */
    public static CudaContext context() {
        State s = state();
        if (s.context() == null) throw unavailable(s.reason());
        return s.context();
    }

    /** The kernel compiler for this device's context. */
    public static KernelCompiler compiler() {
        State s = state();
        if (s.compiler() == null) throw unavailable(s.reason());
        return s.compiler();
    }

    static TccException unavailable(String reason) {
        return new TccException("Backend.CUDA was requested, but no CUDA device is usable: " + reason);
    }

    /** One line for reports: device, driver, NVRTC. */
    public static String describe() {
        State s = state();
        if (s.context() == null) return "CUDA unavailable: " + s.reason();
        return s.probe().device() + ", driver " + s.probe().driverVersionString() + " (" + s.probe().library() + "), "
                + s.compiler().nvrtc();
    }
}
