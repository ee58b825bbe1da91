package dev.tcc.backend.cuda;

import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides whether a CUDA device is usable, without touching JCuda (whose classes throw
 * {@link UnsatisfiedLinkError} where libcuda.so.1 is missing). It looks for the driver library,
 * loads it with JNA and asks it for a device: {@code cuInit}, {@code cuDeviceGetCount}, then the
 * chosen device's name, compute capability, multiprocessor count and memory. Never throws: a
 * failure is a {@link Result} whose {@link Result#reason()} says what was looked for, where, and
 * what the driver answered.
 * <p>
 * Where the driver library is looked for, in order:
 * <ol>
 *   <li>{@code TCC_CUDA_LIB} (the library file, or a folder holding libcuda.so.1). When set it is
 *       the only place looked at.</li>
 *   <li>{@code libcuda.so.1} through the system loader (LD_LIBRARY_PATH, the ld.so cache).</li>
 *   <li>The folders in {@link #STANDARD_DIRS}, where drivers are mounted in containers (NVIDIA's
 *       container toolkit uses /usr/local/nvidia) or installed by distributions.</li>
 * </ol>
 * Loading libcuda.so.1 here by full path also makes JCuda's native library, which names it by
 * soname, link against the same file later (glibc matches an already-loaded library by soname).
 * <p>
 * {@code TCC_DISABLE_CUDA=1} or {@code -Dtcc.cuda.disable=true} turns CUDA off;
 * {@code TCC_CUDA_DEVICE=N} picks device N (default 0).
 */
public final class CudaProbe {
    public static final String LIBRARY_NAME = "libcuda.so.1";
    /** Folders searched after the system loader, in order. */
    public static final List<String> STANDARD_DIRS = List.of(
            "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib64",
            "/usr/lib/wsl/lib", "/run/opengl-driver/lib");

    static final int CUDA_SUCCESS = 0;

    /** A device the probe found. */
    public record Device(int ordinal, String name, int computeMajor, int computeMinor, int multiprocessors,
                         long totalMemory) {
        /** The real architecture NVRTC compiles for, e.g. "sm_90". */
        public String arch() { return "sm_" + computeMajor + computeMinor; }

        @Override public String toString() {
            return name + " (device " + ordinal + ", compute capability " + computeMajor + "." + computeMinor + ", "
                    + multiprocessors + " multiprocessors, " + (totalMemory >> 20) + " MiB)";
        }
    }

    /**
     * What the probe found: a device, or (exactly one of the two) the reason there is none.
     *
     * @param library the driver library that was loaded, or null when none could be
     * @param driverVersion {@code cuDriverGetVersion}, e.g. 13000 for CUDA 13.0; 0 when unknown
     * @param looked one line per place looked at and per step taken
     */
    public record Result(Device device, String reason, String library, int driverVersion, List<String> looked) {
        public Result {
            looked = List.copyOf(looked);
            if ((device == null) == (reason == null)) throw new IllegalArgumentException("exactly one of device and reason");
        }

        public boolean usable() { return device != null; }

        /** "13.0" for 13000; "unknown" for 0. */
        public String driverVersionString() { return versionString(driverVersion); }
    }

    /** Loads the driver library by name or path; throws (UnsatisfiedLinkError) when it cannot. */
    @FunctionalInterface
    interface Loader {
        CudaDriverLibrary load(String nameOrPath);
    }

    private CudaProbe() {}

    private static final class SystemProbe {
        static final Result RESULT = probe(System.getenv(), System.getProperty("tcc.cuda.disable"),
                name -> Native.load(name, CudaDriverLibrary.class), Files::isRegularFile);
    }

    /** This machine's answer, probed once per JVM. Never throws. */
    public static Result system() {
        return SystemProbe.RESULT;
    }

    static String versionString(int v) {
        return v <= 0 ? "unknown" : (v / 1000) + "." + (v % 1000) / 10;
    }

    /**
     * The probe with its surroundings passed in, for tests.
     *
     * @param disableProperty the value of {@code -Dtcc.cuda.disable}, or null
     * @param isFile whether a path names an existing file (links followed)
     */
    static Result probe(Map<String, String> env, String disableProperty, Loader loader, Predicate<Path> isFile) {
        List<String> looked = new ArrayList<>();
        try {
            return probeUnchecked(env, disableProperty, loader, isFile, looked);
        } catch (Throwable e) { // never throw: a broken driver must not stop tcc from falling back to the CPU
            return new Result(null, "CUDA probe failed unexpectedly: " + e + report(looked), null, 0, looked);
        }
    }

    private static Result probeUnchecked(Map<String, String> env, String disableProperty, Loader loader,
                                         Predicate<Path> isFile, List<String> looked) {
        if ("1".equals(env.get("TCC_DISABLE_CUDA")) || "true".equalsIgnoreCase(env.get("TCC_DISABLE_CUDA"))) {
            return fail("CUDA is disabled by TCC_DISABLE_CUDA=" + env.get("TCC_DISABLE_CUDA"), null, 0, looked);
        }
        if ("true".equalsIgnoreCase(disableProperty) || "1".equals(disableProperty)) {
            return fail("CUDA is disabled by -Dtcc.cuda.disable=" + disableProperty, null, 0, looked);
        }
        int ordinal = 0;
        String chosen = env.get("TCC_CUDA_DEVICE");
        if (chosen != null && !chosen.isBlank()) {
            try {
                ordinal = Integer.parseInt(chosen.strip());
                if (ordinal < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                return fail("TCC_CUDA_DEVICE=" + chosen + " is not a device number (0, 1, ...)", null, 0, looked);
            }
        }

        // 1. find and load the driver library
        List<String> candidates = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String explicit = env.get("TCC_CUDA_LIB");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath().normalize();
            Path file = isFile.test(p) ? p : p.resolve(LIBRARY_NAME);
            if (isFile.test(file)) {
                candidates.add(file.toString());
                looked.add("TCC_CUDA_LIB=" + explicit + ": found " + file);
            } else {
                looked.add("TCC_CUDA_LIB=" + explicit + ": no such file, and no " + LIBRARY_NAME + " in it as a folder");
            }
        } else {
            looked.add("TCC_CUDA_LIB: not set");
            candidates.add(LIBRARY_NAME);
            for (String dir : STANDARD_DIRS) {
                Path file = Path.of(dir, LIBRARY_NAME);
                if (isFile.test(file)) candidates.add(file.toString());
                else missing.add(dir + ": no " + LIBRARY_NAME);
            }
        }
        CudaDriverLibrary lib = null;
        String library = null;
        for (String candidate : candidates) {
            String where = candidate.equals(LIBRARY_NAME)
                    ? LIBRARY_NAME + " through the system loader (LD_LIBRARY_PATH="
                        + env.getOrDefault("LD_LIBRARY_PATH", "") + ", ld.so cache)"
                    : candidate;
            try {
                lib = loader.load(candidate);
                if (lib == null) throw new UnsatisfiedLinkError("loader returned nothing");
                library = candidate;
                looked.add(where + ": loaded");
                break;
            } catch (Throwable e) {
                looked.add(where + ": " + (candidate.equals(LIBRARY_NAME) ? "not found (" : "could not be loaded (")
                        + firstLine(e.getMessage() == null ? e.toString() : e.getMessage()) + ")");
            }
        }
        if (lib == null) {
            looked.addAll(missing);
            return fail("no CUDA driver: " + LIBRARY_NAME + " was not found or could not be loaded"
                    + " (a CUDA device needs NVIDIA's driver; set TCC_CUDA_LIB to its libcuda.so.1 if it is elsewhere)",
                    null, 0, looked);
        }

        // 2. ask the driver for a device
        int rc = lib.cuInit(0);
        if (rc != CUDA_SUCCESS) {
            looked.add("cuInit(0): " + errorName(lib, rc));
            return fail(library + " was loaded, but cuInit failed with " + errorName(lib, rc) + hint(rc, env),
                    library, 0, looked);
        }
        IntByReference version = new IntByReference();
        int driverVersion = lib.cuDriverGetVersion(version) == CUDA_SUCCESS ? version.getValue() : 0;
        looked.add("cuInit(0): ok; driver API version " + versionString(driverVersion));
        IntByReference count = new IntByReference();
        rc = lib.cuDeviceGetCount(count);
        if (rc != CUDA_SUCCESS) {
            return fail("cuDeviceGetCount failed with " + errorName(lib, rc), library, driverVersion, looked);
        }
        looked.add("cuDeviceGetCount: " + count.getValue());
        if (count.getValue() == 0) {
            return fail("the CUDA driver (" + library + ", version " + versionString(driverVersion) + ") sees no device"
                    + visibleDevices(env), library, driverVersion, looked);
        }
        if (ordinal >= count.getValue()) {
            return fail("TCC_CUDA_DEVICE=" + ordinal + ", but the driver sees " + count.getValue() + " device"
                    + (count.getValue() == 1 ? "" : "s") + visibleDevices(env), library, driverVersion, looked);
        }
        IntByReference dev = new IntByReference();
        rc = lib.cuDeviceGet(dev, ordinal);
        if (rc != CUDA_SUCCESS) {
            return fail("cuDeviceGet(" + ordinal + ") failed with " + errorName(lib, rc), library, driverVersion, looked);
        }
        byte[] nameBytes = new byte[256];
        String name = lib.cuDeviceGetName(nameBytes, nameBytes.length, dev.getValue()) == CUDA_SUCCESS
                ? cString(nameBytes) : "CUDA device " + ordinal;
        int major = attribute(lib, dev.getValue(), CudaDriverLibrary.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(lib, dev.getValue(), CudaDriverLibrary.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int sms = attribute(lib, dev.getValue(), CudaDriverLibrary.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        if (major < 0 || minor < 0) {
            return fail("the compute capability of device " + ordinal + " (" + name + ") could not be read",
                    library, driverVersion, looked);
        }
        LongByReference mem = new LongByReference();
        long total = lib.cuDeviceTotalMem_v2(mem, dev.getValue()) == CUDA_SUCCESS ? mem.getValue() : 0;
        Device device = new Device(ordinal, name, major, minor, Math.max(sms, 0), total);
        looked.add("device " + ordinal + ": " + device);
        return new Result(device, null, library, driverVersion, looked);
    }

    private static Result fail(String reason, String library, int driverVersion, List<String> looked) {
        return new Result(null, reason + report(looked), library, driverVersion, looked);
    }

    private static String report(List<String> looked) {
        if (looked.isEmpty()) return "";
        StringBuilder b = new StringBuilder("\nlooked at:");
        for (String line : looked) b.append("\n  - ").append(line);
        return b.toString();
    }

    private static int attribute(CudaDriverLibrary lib, int dev, int attribute) {
        IntByReference v = new IntByReference();
        return lib.cuDeviceGetAttribute(v, attribute, dev) == CUDA_SUCCESS ? v.getValue() : -1;
    }

    private static String visibleDevices(Map<String, String> env) {
        String v = env.get("CUDA_VISIBLE_DEVICES");
        return v == null ? "" : " (CUDA_VISIBLE_DEVICES=" + v + ")";
    }

    /** "CUDA_ERROR_NO_DEVICE (100)": the driver's own name where it gives one. */
    static String errorName(CudaDriverLibrary lib, int rc) {
        String name = null;
        try {
            PointerByReference p = new PointerByReference();
            if (lib.cuGetErrorName(rc, p) == CUDA_SUCCESS && p.getValue() != null) name = p.getValue().getString(0);
        } catch (Throwable ignored) {
            // fall back to the table
        }
        if (name == null) name = CudaErrors.name(rc);
        return name + " (" + rc + ")";
    }

    private static String hint(int rc, Map<String, String> env) {
        switch (rc) {
            case 34: return ": this is the stub library from the CUDA toolkit, not a driver; put the driver's libcuda.so.1 first (TCC_CUDA_LIB)";
            case 35: return ": the installed driver is older than this CUDA runtime needs";
            case 100: return ": no CUDA-capable device is visible" + visibleDevices(env);
            case 101: return ": the device ordinal is not valid" + visibleDevices(env);
            case 999: return ": the driver reported an unknown error (a driver/kernel-module version mismatch, or no access to /dev/nvidia*)";
            default: return "";
        }
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

}
