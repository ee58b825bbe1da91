package dev.tcc.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Compiled artifacts (CUBINs, shared libraries) on disk, shared by every tcc process of a user.
 * An entry lives at {@code ROOT/KIND/SHA256(keyMaterial).KIND}; the caller puts everything that
 * changes the output into keyMaterial (source, flags, compiler version, target).
 * <ul>
 *   <li>Every entry carries its length and SHA-256 ({@link CacheEntry}); one that fails the check
 *       is deleted and compiled again, with one warning line on stderr.</li>
 *   <li>Writes go to a temporary file in the entry's folder, then are renamed over the entry
 *       atomically: a reader sees the old entry, the new one, or none, never a partial one, and
 *       processes that compile the same key at once all succeed (the last rename wins, and
 *       compilers are deterministic, so all wrote the same bytes).</li>
 *   <li>No fsync: a file torn by a crash fails the check and is rebuilt, which costs less
 *       than syncing every entry.</li>
 * </ul>
 * Thread-safe. Counters: {@link #hits()} entries served from disk, {@link #misses()} compiles
 * because there was no entry, {@link #rebuilds()} compiles because the entry was corrupt.
 */
public final class KernelCache {
    /** Produces an artifact's bytes; called only when the cache has no valid entry. */
    @FunctionalInterface
    public interface Compiler {
        byte[] compile() throws Exception;
    }

    /** A {@link Compiler} threw a checked exception; unchecked ones pass through unwrapped. */
    public static final class CompileException extends RuntimeException {
        CompileException(String message, Throwable cause) { super(message, cause); }
    }

    private static final Pattern KIND = Pattern.compile("[a-z0-9]{1,16}");

    private final Path root;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong rebuilds = new AtomicLong();

    public KernelCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The cache under {@code TCC_CACHE_DIR}, else {@code -Dtcc.cache.dir}, else {@code ~/.cache/tcc}. */
    public static KernelCache defaultCache() {
        return new KernelCache(defaultRoot(System.getenv(), System.getProperties()));
    }

    static Path defaultRoot(Map<String, String> env, Properties props) {
        String dir = env.get("TCC_CACHE_DIR");
        if (dir == null || dir.isBlank()) dir = props.getProperty("tcc.cache.dir");
        if (dir == null || dir.isBlank()) return Path.of(props.getProperty("user.home"), ".cache", "tcc");
        return Path.of(dir);
    }

    public Path root() { return root; }

    public long hits() { return hits.get(); }

    public long misses() { return misses.get(); }

    public long rebuilds() { return rebuilds.get(); }

    /** Hex SHA-256 of keyMaterial (UTF-8): the entry's file name without extension. */
    public static String key(String keyMaterial) {
        return CacheEntry.sha256Hex(keyMaterial);
    }

    /** Where the entry for this kind and key material lives (whether or not it exists). */
    public Path pathFor(String kind, String keyMaterial) {
        if (!KIND.matcher(kind).matches()) throw new IllegalArgumentException("bad cache kind: " + kind);
        return root.resolve(kind).resolve(key(keyMaterial) + "." + kind);
    }

    /**
     * The cached artifact, or {@code fn}'s result, stored for next time. When the cache cannot be
     * written (read-only or full disk) the artifact is still returned, after one warning.
     */
    public byte[] getOrCompute(String kind, String keyMaterial, Compiler fn) {
        Path file = pathFor(kind, keyMaterial);
        byte[] cached = readValid(file);
        if (cached != null) return cached;
        byte[] payload = run(fn, kind, file);
        try {
            write(file, payload);
        } catch (IOException e) {
            warn("could not store " + file + " (" + e + "); continuing without caching it");
        }
        return payload;
    }

    /**
     * Like {@link #getOrCompute} but returns the entry's file, for artifacts that must be loaded
     * from a path (a shared library for dlopen). The file is the payload followed by the
     * trailer, which loaders that read headers at the start ignore.
     *
     * @throws UncheckedIOException when the entry cannot be written
     */
    public Path getOrComputeFile(String kind, String keyMaterial, Compiler fn) {
        Path file = pathFor(kind, keyMaterial);
        if (readValid(file) != null) return file;
        byte[] payload = run(fn, kind, file);
        try {
            write(file, payload);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store kernel cache entry " + file, e);
        }
        return file;
    }

    /** The entry's payload, or null (counted as a miss or, after deleting a bad entry, a rebuild). */
    private byte[] readValid(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            misses.incrementAndGet();
            return null;
        } catch (IOException e) {
            warn("could not read " + file + " (" + e + "); compiling again");
            misses.incrementAndGet();
            return null;
        }
        try {
            byte[] payload = CacheEntry.decode(raw);
            hits.incrementAndGet();
            return payload;
        } catch (CacheEntry.CorruptException e) {
            warn(file + " is corrupt (" + e.getMessage() + "); rebuilding it");
            rebuilds.incrementAndGet();
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // The rename in write() replaces it anyway.
            }
            return null;
        }
    }

    private static byte[] run(Compiler fn, String kind, Path file) {
        try {
            byte[] payload = fn.compile();
            if (payload == null) throw new IllegalStateException("compiler for " + file + " returned null");
            return payload;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CompileException("compiling the " + kind + " for " + file.getFileName() + " failed: " + e, e);
        }
    }

    private static void write(Path file, byte[] payload) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                CacheEntry.encode(payload, out);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void warn(String message) {
        System.err.println("tcc: kernel cache: " + message);
    }
}
