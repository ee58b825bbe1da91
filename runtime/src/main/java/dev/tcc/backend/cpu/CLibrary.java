package dev.tcc.backend.cpu;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.tcc.NDArray;
import dev.tcc.TccException;
import java.nio.Buffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A shared library built by {@link CCompiler}, loaded through JNA. Kernels are called with
 * {@link #function}{@code (name).invoke(...)}; array arguments are {@link Pointer}s into the
 * NDArrays' own direct buffers ({@link #pointer}), so nothing is copied.
 * Libraries stay loaded for the life of the process (JNA keeps them), like Theano's modules.
 */
public final class CLibrary {
    private final NativeLibrary library;
    private final Path file;
    private final String what;
    private final Map<String, Function> functions = new ConcurrentHashMap<>();

    private CLibrary(NativeLibrary library, Path file, String what) {
        this.library = library;
        this.file = file;
        this.what = what;
    }

    static CLibrary open(Path file, String what) {
        try {
            return new CLibrary(NativeLibrary.getInstance(file.toAbsolutePath().toString()), file, what);
        } catch (UnsatisfiedLinkError e) {
            throw new TccException("could not load the compiled " + what + " from " + file + ": " + e.getMessage()
                    + " (delete the file to have it rebuilt)", e);
        }
    }

    /** The library file (an entry of the kernel cache). */
    public Path file() { return file; }

    /** An exported C function. */
    public Function function(String name) {
        return functions.computeIfAbsent(name, n -> {
            try {
                return library.getFunction(n);
            } catch (UnsatisfiedLinkError e) {
                throw new TccException("the compiled " + what + " (" + file + ") has no function '" + n + "'", e);
            }
        });
    }

    /** Calls a {@code void} function. Arguments: Pointer, Long (int64_t), Integer (int), Float, Double. */
    public void call(String name, Object... args) {
        function(name).invoke(args);
    }

    /** Address of an NDArray's first element (its direct buffer; no copy). */
    public static Pointer pointer(NDArray a) {
        return pointer(a.buffer());
    }

    /** Address of a direct buffer's first element (position 0). */
    public static Pointer pointer(Buffer direct) {
        if (!direct.isDirect()) throw new IllegalArgumentException("not a direct buffer");
        return Native.getDirectBufferPointer(direct);
    }
}
