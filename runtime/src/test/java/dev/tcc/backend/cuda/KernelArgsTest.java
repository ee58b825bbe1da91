package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelArgsTest {
    static final KernelSignature SIG = KernelSignature.parse(
            "extern \"C\" __global__ void k(int n, float* out, float alpha, long long m, double beta, const float* in, unsigned u) {}", "k");

    @Test void packsInSignatureOrderAtNaturalAlignment() {
        DeviceBuffer out = KernelArgs.pointer(0x7f00_0000_1000L), in = KernelArgs.pointer(0x7f00_0000_2000L);
        KernelArgs a = KernelArgs.pack(SIG, 5, out, 0.5, 3L, 0.25, in, 4_000_000_000L);
        // int@0, pad to 8, ptr@8, float@16, pad, long long@24, double@32, ptr@40, unsigned@48, total 56
        assertArrayEquals(new int[] {0, 8, 16, 24, 32, 40, 48}, KernelArgs.offsets(SIG.types()));
        assertEquals(56, KernelArgs.spaceSize(SIG.types()));
        ByteBuffer b = ByteBuffer.wrap(a.image()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(56, b.capacity());
        assertEquals(5, b.getInt(0));
        assertEquals(0x7f00_0000_1000L, b.getLong(8));
        assertEquals(0.5f, b.getFloat(16));
        assertEquals(3L, b.getLong(24));
        assertEquals(0.25, b.getDouble(32));
        assertEquals(0x7f00_0000_2000L, b.getLong(40));
        assertEquals((int) 4_000_000_000L, b.getInt(48));
        assertEquals(5, a.intValue(0));
        assertEquals(0.5f, a.floatValue(2));
        assertEquals(0x7f00_0000_1000L, a.address(1));
        assertEquals("k(5, 0x7f0000001000, 0.5f, 3, 0.25, 0x7f0000002000, -294967296)", a.toString());
    }

    @Test void refusesWrongCountsTypesAndOverflow() {
        DeviceBuffer p = KernelArgs.pointer(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(SIG, 1, p));
        assertTrue(e.getMessage().startsWith("kernel k takes 7 arguments (int n, float* out, float alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(SIG, 1L << 31, p, 1, 1, 1, p, 1));
        assertTrue(e.getMessage().contains("argument 0 (int n) of kernel k is 2147483648, which does not fit a 32-bit int"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(SIG, 1, 7L, 1, 1, 1, p, 1));
        assertTrue(e.getMessage().contains("argument 1 (float* out) of kernel k must be a device buffer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(SIG, 1.5, p, 1, 1, 1, p, 1));
        assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(SIG, 1, p, 1, 1, 1, p, -1));
        assertTrue(e.getMessage().contains("32-bit unsigned int"), e.getMessage());
    }

    @Test void equalityFollowsTheBytes() {
        DeviceBuffer p = KernelArgs.pointer(16), q = KernelArgs.pointer(32);
        assertEquals(KernelArgs.pack(SIG, 1, p, 2, 3, 4, p, 5), KernelArgs.pack(SIG, 1, p, 2.0, 3L, 4f, p, 5L));
        assertNotEquals(KernelArgs.pack(SIG, 1, p, 2, 3, 4, p, 5), KernelArgs.pack(SIG, 1, q, 2, 3, 4, p, 5));
        assertEquals(List.of(ParamType.I32, ParamType.PTR), KernelSignature.parse(
                "__global__ void z(int a, float* b) {}", "z").types());
    }
}
