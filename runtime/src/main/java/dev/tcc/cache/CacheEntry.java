package dev.tcc.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * On-disk form of one cache entry: the payload, then a 48-byte trailer of magic, payload length
 * and the payload's SHA-256. The check sits at the end, not the start, so that the file is still
 * the payload as far as its own format is concerned: a cached shared library can be handed to
 * dlopen as it is (the ELF loader reads headers at the start and ignores trailing bytes).
 * A file cut short or with any byte changed fails {@link #decode}.
 */
final class CacheEntry {
    private static final byte[] MAGIC = "TCCKC01\n".getBytes(StandardCharsets.US_ASCII);
    static final int TRAILER_BYTES = MAGIC.length + Long.BYTES + 32;

    /** The entry failed its check; the message says how. */
    static final class CorruptException extends Exception {
        CorruptException(String message) { super(message); }
    }

    private CacheEntry() {}

    static void encode(byte[] payload, OutputStream out) throws IOException {
        out.write(payload);
        out.write(MAGIC);
        out.write(ByteBuffer.allocate(Long.BYTES).putLong(payload.length).array());
        out.write(sha256(payload, payload.length));
    }

    static byte[] decode(byte[] file) throws CorruptException {
        if (file.length < TRAILER_BYTES) {
            throw new CorruptException(file.length + " bytes, shorter than the " + TRAILER_BYTES + "-byte trailer");
        }
        int t = file.length - TRAILER_BYTES;
        if (!Arrays.equals(file, t, t + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptException("no trailer (truncated, or not written by this cache)");
        }
        long length = ByteBuffer.wrap(file, t + MAGIC.length, Long.BYTES).getLong();
        if (length != t) throw new CorruptException("trailer says " + length + " payload bytes, file has " + t);
        byte[] expected = Arrays.copyOfRange(file, t + MAGIC.length + Long.BYTES, file.length);
        if (!MessageDigest.isEqual(expected, sha256(file, t))) throw new CorruptException("SHA-256 mismatch");
        return Arrays.copyOf(file, t);
    }

    static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    static String sha256Hex(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(sha256(bytes, bytes.length));
    }
}
