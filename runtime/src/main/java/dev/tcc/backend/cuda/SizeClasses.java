package dev.tcc.backend.cuda;

/**
 * The sizes the caching allocator hands out, so that a freed block fits many later requests:
 * multiples of 512 bytes up to 1 MiB, above that four classes per power of two (2^k, 1.25·2^k,
 * 1.5·2^k, 1.75·2^k), which wastes at most a fifth of a large request.
 */
public final class SizeClasses {
    public static final long MIN = 512;
    public static final long SMALL_LIMIT = 1L << 20;

    private SizeClasses() {}

    /** The class (block size) that serves a request for {@code bytes}. */
    public static long classFor(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative size " + bytes);
        if (bytes <= MIN) return MIN;
        if (bytes <= SMALL_LIMIT) return (bytes + MIN - 1) / MIN * MIN;
        long pow = Long.highestOneBit(bytes);
        long step = pow / 4;
        long c = (bytes + step - 1) / step * step;
        if (c < bytes) throw new IllegalArgumentException("size " + bytes + " is too large");
        return c;
    }
}
