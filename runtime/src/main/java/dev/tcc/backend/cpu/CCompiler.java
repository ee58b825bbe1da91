package dev.tcc.backend.cpu;

import dev.tcc.Config;
import dev.tcc.TccException;
import dev.tcc.cache.KernelCache;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The system C compiler, as the CPU backend uses it: C source in, a loaded shared library out,
 * through the {@link KernelCache}.
 * <ul>
 *   <li>Which compiler: {@code TCC_CC} (a command, possibly with arguments, e.g. {@code "gcc-13"} or
 *       {@code "clang -fuse-ld=lld"}), else {@code -Dtcc.cc}, else {@code cc}, looked up on PATH.</li>
 *   <li>Flags: {@code -O3 -march=native -fopenmp -fPIC -shared}, plus {@code -ffast-math} only when
 *       {@link Config#fastMath()} is on (read for each compile). {@code -fopenmp} is dropped, with one
 *       warning, when the compiler cannot build an OpenMP library (kernels then run on one core).</li>
 *   <li>Cache key: target {@code c}, the compiler's {@code --version} text, the flags, a fingerprint of
 *       the CPU (because of {@code -march=native}) and the source. The version text itself is cached
 *       under the compiler binary's real path, size and modification time, so a process that finds
 *       all its libraries in the cache never starts the compiler at all.</li>
 * </ul>
 * Thread-safe.
 */
public final class CCompiler {
    /** How long one compile may take before it is abandoned. */
    private static final long COMPILE_TIMEOUT_S = 300;
    private static final List<String> BASE_FLAGS = List.of("-O3", "-march=native", "-fPIC", "-shared");

    private final List<String> command;
    private final Path executable;
    private final String version;
    private final KernelCache cache;
    private final String cpuFingerprint;
    private volatile Boolean openmp;      // null until probed

    private CCompiler(List<String> command, Path executable, String version, KernelCache cache) {
        this.command = List.copyOf(command);
        this.executable = executable;
        this.version = version;
        this.cache = cache;
        this.cpuFingerprint = cpuFingerprint();
    }

    /**
     * Finds the compiler named by {@code TCC_CC} / {@code -Dtcc.cc} / {@code cc} and reads its version.
     *
     * @throws TccException when there is none, or it does not run
     */
    public static CCompiler detect(KernelCache cache) {
        return detect(configuredCommand(System.getenv(), System.getProperty("tcc.cc")), cache);
    }

    /** Same, for an explicit command (program, then any extra arguments). */
    public static CCompiler detect(List<String> command, KernelCache cache) {
        if (command.isEmpty()) throw new TccException("no C compiler command given");
        Path exe = resolve(command.get(0));
        if (exe == null) throw new TccException("no C compiler found: '" + command.get(0) + "' is not on PATH ("
                + System.getenv("PATH") + "). Install one (Debian/Ubuntu: apt-get install gcc), or point TCC_CC at a C compiler "
                + "with OpenMP support, or use Backend.INTERP");
        String version = cachedVersion(command, exe, cache);
        return new CCompiler(command, exe, version, cache);
    }

    static List<String> configuredCommand(Map<String, String> env, String property) {
        String cc = env.get("TCC_CC");
        if (cc == null || cc.isBlank()) cc = property;
        if (cc == null || cc.isBlank()) cc = "cc";
        List<String> parts = new ArrayList<>();
        for (String p : cc.trim().split("\\s+")) parts.add(p);
        return parts;
    }

    /** The compiler command as configured, e.g. {@code [cc]}. */
    public List<String> command() { return command; }

    /** The compiler binary (symbolic links followed). */
    public Path executable() { return executable; }

    /** First line of {@code --version}, e.g. {@code cc (Debian 12.2.0-14) 12.2.0}. */
    public String versionLine() { return version.lines().findFirst().orElse(version); }

    public KernelCache cache() { return cache; }

    /** The flags a compile uses now (they depend on {@link Config#fastMath()}). */
    public List<String> flags() {
        List<String> f = new ArrayList<>(BASE_FLAGS);
        if (openmp()) f.add(2, "-fopenmp");
        if (Config.get().fastMath()) f.add("-ffast-math");
        return f;
    }

    /** Whether libraries are built with OpenMP (probed once, by building a small OpenMP library). */
    public boolean openmp() {
        Boolean o = openmp;
        if (o == null) {
            synchronized (this) {
                if (openmp == null) openmp = probeOpenmp();
                o = openmp;
            }
        }
        return o;
    }

    /**
     * Builds and loads a small OpenMP library; when that fails, a plain one (then kernels run on one
     * core, after a warning). When the plain one fails too, the compiler does not work here.
     */
    private boolean probeOpenmp() {
        String src = "#include <omp.h>\nint tcc_probe_threads(void) { int n = 0;\n#pragma omp parallel reduction(+:n)\n n += 1;\n return n; }\n";
        List<String> f = new ArrayList<>(BASE_FLAGS);
        f.add(2, "-fopenmp");
        try {
            CLibrary lib = loadRaw(src, f, "OpenMP probe");
            if ((Integer) lib.function("tcc_probe_threads").invoke(Integer.class, new Object[0]) >= 1) return true;
        } catch (RuntimeException e) {
            String plain = "int tcc_probe_plain(int x) { return x + 1; }\n";
            CLibrary lib = loadRaw(plain, BASE_FLAGS, "compiler probe");     // throws: the compiler does not work
            if ((Integer) lib.function("tcc_probe_plain").invoke(Integer.class, new Object[] {41}) != 42)
                throw new TccException("a library built by " + String.join(" ", command) + " computed a wrong result");
            System.err.println("tcc: warning: " + String.join(" ", command) + " cannot build OpenMP code (" + firstLine(e.getMessage())
                    + "); CPU kernels will run on one core. Install libgomp (gcc) or libomp (clang) for all cores.");
        }
        return false;
    }

    /** The text the cache key is made from, for this source and these flags. */
    public String keyMaterial(String source, List<String> flags) {
        return "target=c\ncompiler=" + String.join(" ", command) + "\nversion=" + version + "\nflags=" + String.join(" ", flags)
                + "\ncpu=" + cpuFingerprint + "\nsource=\n" + source;
    }

    /**
     * Compiles {@code source} (or finds it in the cache) with the current {@link #flags()} and loads it.
     *
     * @param what  what the source is, for error messages (e.g. {@code "kernels of function 'train'"})
     * @throws TccException with the compiler's output and the numbered source when compilation fails
     */
    public CLibrary load(String source, String what) {
        return load(source, flags(), what);
    }

    /**
     * Same, with the given flags (e.g. those the code generator wrote the source for,
     * {@code Sources.cFlags()}); {@code -fopenmp} is dropped when the compiler has no OpenMP.
     */
    public CLibrary load(String source, List<String> requestedFlags, String what) {
        List<String> flags = new ArrayList<>(requestedFlags);
        if (flags.contains("-fopenmp") && !openmp()) flags.remove("-fopenmp");
        if (!vectorMath()) return loadRaw(source, flags, what);
        try {
            return loadRaw(VECTOR_MATH_PRELUDE + source, withVectorMath(flags), what);
        } catch (TccException e) {
            // e.g. a libmvec without one of the variants the loops asked for: plain calls still work
            return loadRaw(source, flags, what);
        }
    }

    /**
     * Declarations that let GCC vectorize loops calling exp, log, pow, ... through glibc's vector
     * math library (libmvec), as it does by itself only under -ffast-math. Only the calls change
     * (to functions within a few ulp, like numpy's own SIMD loops); arithmetic stays IEEE.
     */
    static final String VECTOR_MATH_PRELUDE;

    static {
        StringBuilder b = new StringBuilder("/* tcc cpu: vector math (glibc libmvec) for loops that call libm */\n");
        for (String f : List.of("exp", "log", "sin", "cos", "tanh", "log1p", "expm1")) {
            b.append("#pragma omp declare simd notinbranch\nfloat ").append(f).append("f(float);\n");
            b.append("#pragma omp declare simd notinbranch\ndouble ").append(f).append("(double);\n");
        }
        b.append("#pragma omp declare simd notinbranch\nfloat powf(float, float);\n");
        b.append("#pragma omp declare simd notinbranch\ndouble pow(double, double);\n");
        b.append("/* end of tcc prelude */\n");
        VECTOR_MATH_PRELUDE = b.toString();
    }

    private static List<String> withVectorMath(List<String> flags) {
        List<String> f = new ArrayList<>(flags);
        if (!f.contains("-fno-math-errno") && !f.contains("-ffast-math")) f.add("-fno-math-errno");
        f.add("-Wl,-z,defs");          // a vector variant missing from libmvec fails here, not at the first call
        f.add("-lmvec");
        return f;
    }

    private volatile Boolean vectorMath;

    /**
     * Whether kernels use glibc's vector math library: on when a probe library that calls every
     * declared function in vectorizable float and double loops links with every symbol resolved.
     * Off with {@code -Dtcc.cpu.vectorMath=false}, without OpenMP, or where there is no libmvec.
     */
    public boolean vectorMath() {
        Boolean v = vectorMath;
        if (v != null) return v;
        synchronized (this) {
            if (vectorMath == null) {
                boolean on = !"false".equalsIgnoreCase(System.getProperty("tcc.cpu.vectorMath", "true")) && openmp();
                if (on) {
                    StringBuilder src = new StringBuilder(VECTOR_MATH_PRELUDE).append("#include <math.h>\n#include <stdint.h>\n");
                    src.append("void probe_f(float* restrict o, const float* restrict x, int64_t n) {\n#pragma omp parallel for simd\n")
                       .append(" for (int64_t i = 0; i < n; i++) o[i] = expf(x[i]) + logf(x[i]) + sinf(x[i]) + cosf(x[i]) + tanhf(x[i])")
                       .append(" + log1pf(x[i]) + expm1f(x[i]) + powf(x[i], o[i]);\n}\n");
                    src.append("void probe_d(double* restrict o, const double* restrict x, int64_t n) {\n#pragma omp parallel for simd\n")
                       .append(" for (int64_t i = 0; i < n; i++) o[i] = exp(x[i]) + log(x[i]) + sin(x[i]) + cos(x[i]) + tanh(x[i])")
                       .append(" + log1p(x[i]) + expm1(x[i]) + pow(x[i], o[i]);\n}\n");
                    src.append("void probe_m(float* restrict o, const float* restrict x, int64_t n) {\n#pragma omp parallel for simd\n")
                       .append(" for (int64_t i = 0; i < n; i++) o[i] = (float) (exp((double) x[i]) + log((double) x[i]) + pow((double) x[i], 2.5)) + expf(x[i]);\n}\n");
                    try {
                        List<String> f = new ArrayList<>(BASE_FLAGS);
                        f.add(2, "-fopenmp");
                        loadRaw(src.toString(), withVectorMath(f), "vector math probe");
                    } catch (RuntimeException e) {
                        on = false;
                    }
                }
                vectorMath = on;
            }
            return vectorMath;
        }
    }

    private CLibrary loadRaw(String source, List<String> flags, String what) {
        Path so;
        try {
            so = cache.getOrComputeFile("so", keyMaterial(source, flags), () -> compile(source, flags, what));
        } catch (KernelCache.CompileException e) {
            throw new TccException(e.getMessage(), e.getCause());
        } catch (java.io.UncheckedIOException e) {
            throw new TccException("could not store the compiled " + what + " in the kernel cache " + cache.root()
                    + ": " + e.getCause() + "; set TCC_CACHE_DIR to a writable folder", e);
        }
        return CLibrary.open(so, what);
    }

    /** Below this many characters a source is compiled in one piece. */
    static final int SPLIT_MIN_CHARS = 12_000;

    /**
     * Runs the compiler; returns the shared library's bytes. A large source is split into parts
     * compiled at once by as many compiler processes as there are cores ({@link #split}), then
     * linked; if anything about that fails, the whole source is compiled in one piece (whose
     * errors are the ones reported). Package-private for tests.
     */
    byte[] compile(String source, List<String> flags, String what) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tcc-cc-");
        try {
            int cores = Runtime.getRuntime().availableProcessors();
            if (cores > 1 && source.length() >= SPLIT_MIN_CHARS && !"false".equalsIgnoreCase(System.getProperty("tcc.cpu.splitCompile"))) {
                List<String> parts = split(source, Math.min(cores, 8));
                if (parts.size() > 1) {
                    byte[] lib = compileParts(dir, parts, flags);
                    if (lib != null) return lib;
                }
            }
            Path src = dir.resolve("kernels.c");
            Path out = dir.resolve("kernels.so");
            Files.writeString(src, source, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(command);
            for (String f : flags) if (!f.startsWith("-l")) cmd.add(f);
            cmd.add("-o");
            cmd.add(out.toString());
            cmd.add(src.toString());
            for (String f : flags) if (f.startsWith("-l")) cmd.add(f);      // libraries after the object that needs them
            cmd.add("-lm");
            Run r = run(cmd, dir, what);
            if (r.exit != 0 || !Files.isRegularFile(out)) {
                throw new TccException("C compilation of the " + what + " failed (" + String.join(" ", command) + ", exit code "
                        + r.exit + "):\n" + String.join(" ", cmd) + "\n" + r.output.stripTrailing()
                        + "\n--- source (" + src.getFileName() + ") ---\n" + numbered(source));
            }
            return Files.readAllBytes(out);
        } finally {
            deleteTree(dir);
        }
    }

    private record Run(int exit, String output) {}

    private Run run(List<String> cmd, Path dir, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] log;
        try (InputStream in = p.getInputStream()) {
            log = in.readAllBytes();
        }
        if (!p.waitFor(COMPILE_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new TccException("compiling the " + what + " with " + String.join(" ", cmd) + " took longer than "
                    + COMPILE_TIMEOUT_S + " s; gave up");
        }
        return new Run(p.exitValue(), new String(log, StandardCharsets.UTF_8));
    }

    /** Compiles each part to an object file, all at once, and links them; null when any step fails. */
    private byte[] compileParts(Path dir, List<String> parts, List<String> flags) throws IOException, InterruptedException {
        List<Process> procs = new ArrayList<>();
        List<Path> objects = new ArrayList<>();
        try {
            for (int i = 0; i < parts.size(); i++) {
                Path src = dir.resolve("part" + i + ".c");
                Path obj = dir.resolve("part" + i + ".o");
                Files.writeString(src, parts.get(i), StandardCharsets.UTF_8);
                List<String> cmd = new ArrayList<>(command);
                for (String f : flags) if (!f.startsWith("-l") && !f.startsWith("-Wl,") && !f.equals("-shared")) cmd.add(f);
                cmd.addAll(List.of("-c", "-o", obj.toString(), src.toString()));
                procs.add(new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("part" + i + ".log").toFile()).start());
                objects.add(obj);
            }
            boolean ok = true;
            for (Process p : procs) {
                p.getOutputStream().close();
                if (!p.waitFor(COMPILE_TIMEOUT_S, TimeUnit.SECONDS)) { p.destroyForcibly(); ok = false; }
                else if (p.exitValue() != 0) ok = false;
            }
            if (!ok) return null;
        } finally {
            for (Process p : procs) if (p.isAlive()) p.destroyForcibly();
        }
        Path out = dir.resolve("kernels.so");
        List<String> link = new ArrayList<>(command);
        for (String f : flags) if (!f.startsWith("-l")) link.add(f);
        link.addAll(List.of("-o", out.toString()));
        for (Path o : objects) link.add(o.toString());
        for (String f : flags) if (f.startsWith("-l")) link.add(f);
        link.add("-lm");
        Run r = run(link, dir, "link");
        return r.exit == 0 && Files.isRegularFile(out) ? Files.readAllBytes(out) : null;
    }

    /**
     * Splits a C translation unit into up to {@code n} translation units that together define the
     * same exported functions: the prelude (everything before the first exported function, with
     * the comment lines right above it) goes into every part; the exported functions — each a
     * top-level definition whose first line starts with {@code void } in column 0, running to the
     * next one — are dealt out in order into parts of about equal size. Returns the source alone
     * when its shape is not that (fewer than two exported functions, a top-level {@code static},
     * {@code #} (other than the {@code TCC_CPU_BLAS} guard around a function), {@code typedef}, ...
     * line after the first one, or unbalanced braces in a piece),
     * so that nothing a later function needs can end up in another part.
     */
    /** The lines around a loop-nest GEMM that a backend with BLAS leaves out (SourceGenerator); each stays with its function. */
    private static final String BLAS_GUARD_OPEN = "#ifndef TCC_CPU_BLAS", BLAS_GUARD_CLOSE = "#endif /* TCC_CPU_BLAS */";

    static List<String> split(String source, int n) {
        String[] lines = source.split("\n", -1);
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) if (lines[i].startsWith("void ") && lines[i].contains("(")) starts.add(i);
        if (starts.size() < 2 || n < 2) return List.of(source);
        // each function starts at the comment lines right above it
        List<Integer> cut = new ArrayList<>();
        for (int st : starts) {
            int b = st;
            while (b > 0 && (lines[b - 1].startsWith("/*") || lines[b - 1].startsWith("//") || lines[b - 1].startsWith(" *")
                    || lines[b - 1].equals(BLAS_GUARD_OPEN))) b--;
            cut.add(b);
        }
        int depth = 0;                                   // brace depth before each line
        for (int i = cut.get(0); i < lines.length; i++) {
            String l = lines[i];
            boolean guard = l.equals(BLAS_GUARD_OPEN) || l.startsWith(BLAS_GUARD_CLOSE);
            if (depth == 0 && !guard && (l.startsWith("#") || l.startsWith("static") || l.startsWith("TCC_FN") || l.startsWith("typedef")
                    || l.startsWith("extern") || l.startsWith("inline"))) {
                return List.of(source);                  // something at top level that a later function may need
            }
            depth += braceBalance(l);
            if (depth < 0) return List.of(source);
        }
        String prelude = String.join("\n", java.util.Arrays.copyOfRange(lines, 0, cut.get(0))) + "\n";
        List<String> pieces = new ArrayList<>();
        for (int k = 0; k < cut.size(); k++) {
            int to = k + 1 < cut.size() ? cut.get(k + 1) : lines.length;
            String piece = String.join("\n", java.util.Arrays.copyOfRange(lines, cut.get(k), to)) + "\n";
            if (braceBalance(piece) != 0) return List.of(source);
            pieces.add(piece);
        }
        int parts = Math.min(n, pieces.size());
        long total = 0;
        for (String p : pieces) total += p.length();
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder(prelude);
        long done = 0;
        int made = 0;
        for (String p : pieces) {
            cur.append(p);
            done += p.length();
            if (made < parts - 1 && done >= total * (made + 1) / parts) {
                out.add(cur.toString());
                cur = new StringBuilder(prelude);
                made++;
            }
        }
        if (cur.length() > prelude.length()) out.add(cur.toString());
        return out;
    }

    /** { minus } outside comments, strings and character literals. */
    static int braceBalance(String c) {
        int depth = 0;
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (ch == '/' && i + 1 < c.length() && c.charAt(i + 1) == '/') { while (i < c.length() && c.charAt(i) != '\n') i++; }
            else if (ch == '/' && i + 1 < c.length() && c.charAt(i + 1) == '*') { i = c.indexOf("*/", i + 2); if (i < 0) return -1; i++; }
            else if (ch == '"' || ch == '\'') {
                char q = ch;
                for (i++; i < c.length() && c.charAt(i) != q; i++) if (c.charAt(i) == '\\') i++;
            }
            else if (ch == '{') depth++;
            else if (ch == '}') depth--;
        }
        return depth;
    }

    /** The source with 1-based line numbers, as compiler messages refer to them. */
    public static String numbered(String source) {
        String[] lines = source.split("\n", -1);
        int width = String.valueOf(lines.length).length();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i == lines.length - 1 && lines[i].isEmpty()) break;
            b.append(String.format("%" + width + "d| ", i + 1)).append(lines[i]).append('\n');
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- detection helpers

    /** A program name or path resolved on PATH, symbolic links followed; null if not found. */
    static Path resolve(String program) {
        try {
            if (program.contains(File.separator)) {
                Path p = Path.of(program);
                return Files.isExecutable(p) ? p.toRealPath() : null;
            }
            String path = System.getenv("PATH");
            if (path == null) return null;
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) continue;
                Path p = Path.of(dir, program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toRealPath();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /**
     * The compiler's {@code --version} output, from the cache when this binary (same real path,
     * size and modification time) was asked before, so that warm starts spawn no process.
     */
    private static String cachedVersion(List<String> command, Path exe, KernelCache cache) {
        String id;
        try {
            BasicFileAttributes a = Files.readAttributes(exe, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            id = "cc-version\ncommand=" + String.join(" ", command) + "\nexe=" + exe + "\nsize=" + a.size()
                    + "\nmtime=" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return runVersion(command);
        }
        try {
            byte[] v = cache.getOrCompute("ccver", id, () -> runVersion(command).getBytes(StandardCharsets.UTF_8));
            return new String(v, StandardCharsets.UTF_8);
        } catch (KernelCache.CompileException e) {
            throw new TccException(e.getMessage(), e.getCause());
        }
    }

    private static String runVersion(List<String> command) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add("--version");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TccException("'" + String.join(" ", cmd) + "' did not finish in 30 s");
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || text.isEmpty())
                throw new TccException("'" + String.join(" ", cmd) + "' failed (exit code " + p.exitValue() + "): " + text
                        + "; set TCC_CC to a working C compiler");
            return text;
        } catch (IOException e) {
            throw new TccException("cannot run the C compiler '" + String.join(" ", cmd) + "': " + e.getMessage()
                    + "; set TCC_CC to a working C compiler", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TccException("interrupted while asking the C compiler for its version", e);
        }
    }

    /** Model name and feature flags of the first CPU: -march=native code is only valid on a CPU like this one. */
    private static String cpuFingerprint() {
        StringBuilder b = new StringBuilder(System.getProperty("os.arch"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.isBlank()) break;      // end of the first processor's block
                if (line.startsWith("model name") || line.startsWith("flags") || line.startsWith("vendor_id")
                        || line.startsWith("Features") || line.startsWith("CPU part"))
                    b.append('|').append(line.substring(line.indexOf(':') + 1).strip());
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture name alone
        }
        return KernelCache.key(b.toString());
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
