package dev.tcc.nvrtc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds libnvrtc on disk without loading it, so that a missing NVRTC can be reported with
 * every place that was searched. Order:
 * <ol>
 *   <li>{@code TCC_NVRTC_LIB} (a library file, or a folder holding one). When set it is the only
 *       place looked at: an explicit choice that names nothing should fail, not be overridden.</li>
 *   <li>{@code CUDA_HOME}, then {@code CUDA_PATH}: their {@code lib64} and {@code lib}.</li>
 *   <li>The standard CUDA and distribution folders in {@link #STANDARD_DIRS}.</li>
 *   <li>A {@code .nvrtc/} folder (made by {@code scripts/setup-nvrtc}) in the working directory
 *       or any folder above it, in either wheel layout of {@link #WHEEL_LAYOUTS}; Maven runs the
 *       tests of a module in its own folder, below the repo root that holds {@code .nvrtc/}.</li>
 * </ol>
 * Within a folder libnvrtc.so.13 is preferred to libnvrtc.so.12.
 */
public final class NvrtcLocator {
    /** Library file names accepted, newest first. */
    public static final List<String> LIBRARY_NAMES = List.of("libnvrtc.so.13", "libnvrtc.so.12");
    /** Where the pip wheels put the library below their install folder: cu13 wheel, cu12 wheel. */
    public static final List<String> WHEEL_LAYOUTS = List.of("nvidia/cu13/lib", "nvidia/cuda_nvrtc/lib");
    static final List<String> STANDARD_DIRS =
            List.of("/usr/local/cuda/lib64", "/opt/cuda/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib64");
    static final String LOCAL_FOLDER = ".nvrtc";

    /** Existing library files in search order, and a line for every place that was looked at. */
    public record Result(List<Path> candidates, List<String> looked) {
        public String report() {
            return "looked for " + String.join(" or ", LIBRARY_NAMES) + " in:\n  " + String.join("\n  ", looked);
        }
    }

    private final Map<String, String> env;
    private final Path workingDir;

    public NvrtcLocator(Map<String, String> env, Path workingDir) {
        this.env = Map.copyOf(env);
        this.workingDir = workingDir.toAbsolutePath().normalize();
    }

    public static NvrtcLocator system() {
        return new NvrtcLocator(System.getenv(), Path.of(""));
    }

    public Result locate() {
        Set<Path> found = new LinkedHashSet<>();
        List<String> looked = new ArrayList<>();
        String explicit = env.get("TCC_NVRTC_LIB");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                found.add(p);
                looked.add("TCC_NVRTC_LIB=" + explicit + ": found");
            } else {
                searchDir(p, "TCC_NVRTC_LIB=" + explicit, found, looked);
            }
            return new Result(List.copyOf(found), looked);
        }
        looked.add("TCC_NVRTC_LIB: not set");
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(var);
            if (home == null || home.isBlank()) {
                looked.add(var + ": not set");
                continue;
            }
            for (String sub : List.of("lib64", "lib")) {
                searchDir(Path.of(home, sub).toAbsolutePath().normalize(), var + "/" + sub, found, looked);
            }
        }
        for (String dir : STANDARD_DIRS) searchDir(Path.of(dir), null, found, looked);
        searchLocalFolders(found, looked);
        return new Result(List.copyOf(found), looked);
    }

    private void searchLocalFolders(Set<Path> found, List<String> looked) {
        boolean any = false;
        for (Path d = workingDir; d != null; d = d.getParent()) {
            Path local = d.resolve(LOCAL_FOLDER);
            if (!Files.isDirectory(local)) continue;
            any = true;
            for (String layout : WHEEL_LAYOUTS) searchDir(local.resolve(layout), null, found, looked);
        }
        if (!any) {
            looked.add("no " + LOCAL_FOLDER + "/ folder in " + workingDir
                    + " or any folder above it (scripts/setup-nvrtc makes one)");
        }
    }

    private static void searchDir(Path dir, String label, Set<Path> found, List<String> looked) {
        String where = label == null ? dir.toString() : label + " (" + dir + ")";
        if (!Files.isDirectory(dir)) {
            looked.add(where + ": no such folder");
            return;
        }
        List<String> names = new ArrayList<>();
        for (String name : LIBRARY_NAMES) {
            Path lib = dir.resolve(name);
            if (Files.isRegularFile(lib)) { // follows symlinks, so a dangling link does not count
                found.add(lib);
                names.add(name);
            }
        }
        looked.add(where + (names.isEmpty() ? ": none there" : ": found " + String.join(", ", names)));
    }

    /**
     * Loads the NVRTC builtins library that belongs to {@code library} from the same folder, and
     * returns it, or empty when that folder has none (then libnvrtc's own search must find it).
     * libnvrtc dlopens {@code libnvrtc-builtins.so.MAJOR.MINOR} by name at its first compile,
     * which fails when that folder is not on the loader's path (the pip wheel's is not); loading
     * it first by full path satisfies that dlopen, because glibc matches an already-loaded library
     * by its soname. {@link System#load} keeps it loaded for the life of this class loader.
     *
     * @throws UnsatisfiedLinkError when the file is there but cannot be loaded
     */
    public static Optional<Path> preloadBuiltins(Path library, int major, int minor) {
        Optional<Path> builtins = builtinsFor(library, major, minor);
        builtins.ifPresent(b -> System.load(b.toString()));
        return builtins;
    }

    /** Prefers the exact version, else the newest of the same major (never the ".alt" variant). */
    static Optional<Path> builtinsFor(Path library, int major, int minor) {
        Path dir = library.toAbsolutePath().getParent();
        Path exact = dir.resolve("libnvrtc-builtins.so." + major + "." + minor);
        if (Files.isRegularFile(exact)) return Optional.of(exact);
        String prefix = "libnvrtc-builtins.so." + major + ".";
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .filter(f -> f.getFileName().toString().substring(prefix.length()).matches("\\d{1,6}"))
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().substring(prefix.length()))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
