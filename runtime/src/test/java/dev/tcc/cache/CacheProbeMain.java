package dev.tcc.cache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Run in a separate JVM by {@link KernelCacheTest}: looks up one entry in a cache folder and
 * says, by its exit code, whether its compiler had to run.
 * <p>
 * Arguments: cacheDir kind keyMaterial payloadSeed payloadBytes [rendezvousDir id]. With a
 * rendezvous folder the compiler waits there until a second process is compiling too, which
 * proves that both missed the cache and then wrote the entry at the same moment.
 * Prints {@code sha256=HEX} of the bytes it got. Exit code {@link #SERVED}, {@link #COMPILED},
 * or 1 when something threw.
 */
public final class CacheProbeMain {
    static final int SERVED = 0;
    static final int COMPILED = 3;

    public static void main(String[] args) throws Exception {
        KernelCache cache = new KernelCache(Path.of(args[0]));
        String kind = args[1];
        String keyMaterial = args[2];
        long seed = Long.parseLong(args[3]);
        int size = Integer.parseInt(args[4]);
        Path rendezvous = args.length > 5 ? Path.of(args[5]) : null;
        String id = args.length > 6 ? args[6] : "";

        AtomicBoolean compiled = new AtomicBoolean();
        byte[] got = cache.getOrCompute(kind, keyMaterial, () -> {
            compiled.set(true);
            if (rendezvous != null) meet(rendezvous, id);
            return payload(seed, size);
        });
        System.out.println("sha256=" + sha256Hex(got));
        System.exit(compiled.get() ? COMPILED : SERVED);
    }

    /** The artifact a compiler would make: deterministic in its seed, like a real compiler. */
    static byte[] payload(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(CacheEntry.sha256(bytes, bytes.length));
    }

    private static void meet(Path dir, String id) throws Exception {
        Files.createFile(dir.resolve("compiling-" + id));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (countCompiling(dir) < 2) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the other process never started compiling");
            Thread.sleep(5);
        }
    }

    private static long countCompiling(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("compiling-")).count();
        }
    }
}
