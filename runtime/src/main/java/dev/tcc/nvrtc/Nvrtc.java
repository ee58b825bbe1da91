package dev.tcc.nvrtc;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compiles CUDA C++ to a CUBIN (or PTX) with NVRTC, in process and without a GPU.
 * <p>
 * Thread-safe: an instance holds no mutable state and every call creates, uses and destroys its
 * own {@code nvrtcProgram}. NVRTC allows concurrent calls as long as no program is shared
 * between threads, so compiles on different threads run in parallel.
 */
public final class Nvrtc {
    private static final Pattern REAL_ARCH = Pattern.compile("sm_\\d+[a-z]?");
    private static final Pattern VIRTUAL_ARCH = Pattern.compile("compute_\\d+[a-z]?");

    private final NvrtcLibrary lib;
    private final Path library;
    private final int major;
    private final int minor;
    private final Optional<Path> builtins;

    private Nvrtc(NvrtcLibrary lib, Path library, int major, int minor, Optional<Path> builtins) {
        this.lib = lib;
        this.library = library;
        this.major = major;
        this.minor = minor;
        this.builtins = builtins;
    }

    /** NVRTC found by {@link NvrtcLocator#system()}, looked for once per JVM; never throws. */
    public static Optional<Nvrtc> find() {
        return Optional.ofNullable(SystemProbe.RESULT.nvrtc());
    }

    /** Why {@link #find()} is empty (every place looked at, and any load error), or null when it is not. */
    public static String unavailableReason() {
        return SystemProbe.RESULT.reason();
    }

    /** Outcome of looking for NVRTC: exactly one of the two is non-null. */
    record Probe(Nvrtc nvrtc, String reason) {}

    private static final class SystemProbe {
        static final Probe RESULT = probe(NvrtcLocator.system());
    }

    /** Tries each library the locator found, in order, until one loads. */
    static Probe probe(NvrtcLocator locator) {
        NvrtcLocator.Result located;
        try {
            located = locator.locate();
        } catch (RuntimeException e) {
            return new Probe(null, "NVRTC not found: the search failed: " + e);
        }
        List<String> failures = new ArrayList<>();
        for (Path candidate : located.candidates()) {
            try {
                return new Probe(load(candidate), null);
            } catch (Throwable e) { // UnsatisfiedLinkError and friends: a bad file must not end the search
                failures.add(candidate + " could not be loaded: " + e.getMessage());
            }
        }
        String reason = "NVRTC not found; " + located.report();
        if (!failures.isEmpty()) reason += "\n" + String.join("\n", failures);
        return new Probe(null, reason);
    }

    /**
     * Loads the NVRTC library at {@code library} and its builtins from the same folder.
     *
     * @throws UnsatisfiedLinkError when it cannot be loaded or is not NVRTC
     */
    public static Nvrtc load(Path library) {
        Path abs = library.toAbsolutePath();
        // UTF-8 so that generated sources with non-ASCII comments reach NVRTC intact whatever the locale.
        NvrtcLibrary lib = Native.load(abs.toString(), NvrtcLibrary.class,
                Map.of(Library.OPTION_STRING_ENCODING, StandardCharsets.UTF_8.name()));
        IntByReference major = new IntByReference();
        IntByReference minor = new IntByReference();
        int rc = lib.nvrtcVersion(major, minor);
        if (rc != NvrtcLibrary.NVRTC_SUCCESS) throw NvrtcException.callFailed("nvrtcVersion", lib.nvrtcGetErrorString(rc));
        Optional<Path> builtins = NvrtcLocator.preloadBuiltins(abs, major.getValue(), minor.getValue());
        return new Nvrtc(lib, abs, major.getValue(), minor.getValue(), builtins);
    }

    /** NVRTC's version as "major.minor", e.g. "13.0"; part of every CUBIN cache key. */
    public String version() { return major + "." + minor; }

    public Path library() { return library; }

    /** The builtins library loaded next to {@link #library()}, if that folder had one. */
    public Optional<Path> builtins() { return builtins; }

    /** The options {@link #compile} passes: the defaults for {@code arch}, then {@code extraOptions}. */
    public static List<String> options(String arch, List<String> extraOptions) {
        List<String> options = new ArrayList<>(List.of("--gpu-architecture=" + arch, "-default-device", "--std=c++17"));
        options.addAll(extraOptions);
        return List.copyOf(options);
    }

    /**
     * Compiles {@code source} to a CUBIN for a real architecture such as "sm_90".
     *
     * @param fileName the name NVRTC uses for the source in its log
     * @throws NvrtcException with the log and the numbered source when it does not compile
     */
    public CompileResult compile(String source, String fileName, String arch, List<String> extraOptions) {
        requireArch(arch, REAL_ARCH, "a real architecture such as sm_90 (a CUBIN is machine code)");
        List<String> options = options(arch, extraOptions);
        return withProgram(source, fileName, arch, options, (prog, log) -> {
            LongByReference size = new LongByReference();
            check("nvrtcGetCUBINSize", lib.nvrtcGetCUBINSize(prog, size));
            byte[] cubin = new byte[Math.toIntExact(size.getValue())];
            check("nvrtcGetCUBIN", lib.nvrtcGetCUBIN(prog, cubin));
            return new CompileResult(cubin, log, options);
        });
    }

    /**
     * Compiles {@code source} to PTX for a virtual architecture such as "compute_90": the form the
     * driver can still JIT for a GPU newer than this NVRTC knows.
     */
    public String compileToPtx(String source, String fileName, String arch, List<String> extraOptions) {
        requireArch(arch, VIRTUAL_ARCH, "a virtual architecture such as compute_90");
        return withProgram(source, fileName, arch, options(arch, extraOptions), (prog, log) -> {
            LongByReference size = new LongByReference();
            check("nvrtcGetPTXSize", lib.nvrtcGetPTXSize(prog, size));
            byte[] ptx = new byte[Math.toIntExact(size.getValue())];
            check("nvrtcGetPTX", lib.nvrtcGetPTX(prog, ptx));
            return cString(ptx);
        });
    }

    private interface Extract<T> {
        T from(Pointer prog, String log);
    }

    private <T> T withProgram(String source, String fileName, String arch, List<String> options, Extract<T> extract) {
        PointerByReference ref = new PointerByReference();
        check("nvrtcCreateProgram", lib.nvrtcCreateProgram(ref, source, fileName, 0, null, null));
        try {
            Pointer prog = ref.getValue();
            int rc = lib.nvrtcCompileProgram(prog, options.size(), options.toArray(String[]::new));
            String log = programLog(prog);
            if (rc != NvrtcLibrary.NVRTC_SUCCESS) {
                String result = lib.nvrtcGetErrorString(rc);
                if (rc == NvrtcLibrary.NVRTC_ERROR_BUILTIN_OPERATION_FAILURE) {
                    log += "\n(libnvrtc-builtins.so." + version() + " could not be used; loaded from next to "
                            + library + ": " + builtins.map(Path::toString).orElse("none there") + ")";
                }
                throw NvrtcException.compileFailed(fileName, arch, result, log, source);
            }
            return extract.from(prog, log);
        } finally {
            lib.nvrtcDestroyProgram(ref);
        }
    }

    private String programLog(Pointer prog) {
        LongByReference size = new LongByReference();
        check("nvrtcGetProgramLogSize", lib.nvrtcGetProgramLogSize(prog, size));
        byte[] log = new byte[Math.toIntExact(size.getValue())];
        if (log.length > 0) check("nvrtcGetProgramLog", lib.nvrtcGetProgramLog(prog, log));
        return cString(log);
    }

    private void check(String call, int rc) {
        if (rc != NvrtcLibrary.NVRTC_SUCCESS) throw NvrtcException.callFailed(call, lib.nvrtcGetErrorString(rc));
    }

    private static void requireArch(String arch, Pattern pattern, String what) {
        if (arch == null || !pattern.matcher(arch).matches()) {
            throw new IllegalArgumentException("arch must be " + what + ", not " + arch);
        }
    }

    /** NVRTC's strings end with a NUL that is counted in their size. */
    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "NVRTC " + version() + " (" + library + ")";
    }
}
