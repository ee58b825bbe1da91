package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The probe's decisions and messages, with a scripted driver in place of libcuda.so.1. */
class CudaProbeTest {

    /** A driver that answers as told. */
    static class FakeDriver implements CudaDriverLibrary {
        int initResult = 0, count = 1, major = 9, minor = 0, sms = 132;
        String name = "NVIDIA H200";
        final List<String> calls = new ArrayList<>();

        @Override public int cuInit(int flags) { calls.add("cuInit"); return initResult; }
        @Override public int cuDriverGetVersion(IntByReference v) { v.setValue(13000); return 0; }
        @Override public int cuDeviceGetCount(IntByReference c) { calls.add("cuDeviceGetCount"); c.setValue(count); return 0; }
        @Override public int cuDeviceGet(IntByReference d, int ordinal) { d.setValue(ordinal); return 0; }
        @Override public int cuDeviceGetName(byte[] out, int len, int dev) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, out, 0, b.length);
            out[b.length] = 0;
            return 0;
        }
        @Override public int cuDeviceGetAttribute(IntByReference pi, int attrib, int dev) {
            switch (attrib) {
                case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR -> pi.setValue(major);
                case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR -> pi.setValue(minor);
                case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT -> pi.setValue(sms);
                default -> { return 1; }
            }
            return 0;
        }
        @Override public int cuDeviceTotalMem_v2(LongByReference bytes, int dev) { bytes.setValue(143_771L << 20); return 0; }
        @Override public int cuGetErrorName(int error, PointerByReference p) {
            String n = CudaErrors.name(error);
            Memory m = new Memory(n.length() + 1);
            m.setString(0, n);
            p.setValue(m);
            return 0;
        }
    }

    private static CudaProbe.Result probe(Map<String, String> env, FakeDriver driver, Set<String> files, Set<String> loadable) {
        List<String> attempts = new ArrayList<>();
        return CudaProbe.probe(env, null, name -> {
            attempts.add(name);
            if (!loadable.contains(name)) throw new UnsatisfiedLinkError(name + ": cannot open shared object file: No such file or directory");
            return driver;
        }, p -> files.contains(p.toString()));
    }

    @Test void noDriverAnywhereListsEveryPlaceLookedAt() {
        CudaProbe.Result r = probe(Map.of("LD_LIBRARY_PATH", "/opt/x"), new FakeDriver(), Set.of(), Set.of());
        assertFalse(r.usable());
        assertNull(r.device());
        String reason = r.reason();
        assertTrue(reason.startsWith("no CUDA driver: libcuda.so.1 was not found"), reason);
        assertTrue(reason.contains("TCC_CUDA_LIB: not set"), reason);
        assertTrue(reason.contains("libcuda.so.1 through the system loader (LD_LIBRARY_PATH=/opt/x, ld.so cache): not found"), reason);
        for (String dir : CudaProbe.STANDARD_DIRS) assertTrue(reason.contains(dir + ": no libcuda.so.1"), reason);
    }

    @Test void findsTheDriverInAContainerFolderWhenTheLoaderCannot() {
        FakeDriver d = new FakeDriver();
        String lib = "/usr/local/nvidia/lib64/libcuda.so.1";
        CudaProbe.Result r = probe(Map.of(), d, Set.of(lib), Set.of(lib));
        assertTrue(r.usable(), r.reason());
        assertEquals(lib, r.library());
        assertEquals("sm_90", r.device().arch());
        assertEquals("NVIDIA H200", r.device().name());
        assertEquals(132, r.device().multiprocessors());
        assertEquals("13.0", r.driverVersionString());
        assertEquals(List.of("cuInit", "cuDeviceGetCount"), d.calls);
    }

    @Test void explicitLibraryIsTheOnlyPlaceLookedAt() {
        CudaProbe.Result r = probe(Map.of("TCC_CUDA_LIB", "/nowhere"), new FakeDriver(), Set.of(), Set.of("libcuda.so.1"));
        assertFalse(r.usable());
        assertTrue(r.reason().contains("TCC_CUDA_LIB=/nowhere: no such file"), r.reason());
        assertFalse(r.reason().contains("system loader"), r.reason());

        r = probe(Map.of("TCC_CUDA_LIB", "/drv"), new FakeDriver(), Set.of("/drv/libcuda.so.1"), Set.of("/drv/libcuda.so.1"));
        assertTrue(r.usable(), r.reason());
        assertEquals("/drv/libcuda.so.1", r.library());
    }

    @Test void cuInitFailureNamesTheErrorAndExplains() {
        FakeDriver d = new FakeDriver();
        d.initResult = 100;
        CudaProbe.Result r = probe(Map.of("CUDA_VISIBLE_DEVICES", ""), d, Set.of(), Set.of("libcuda.so.1"));
        assertFalse(r.usable());
        assertTrue(r.reason().startsWith("libcuda.so.1 was loaded, but cuInit failed with CUDA_ERROR_NO_DEVICE (100): "
                + "no CUDA-capable device is visible (CUDA_VISIBLE_DEVICES=)"), r.reason());

        d.initResult = 34;
        r = probe(Map.of(), d, Set.of(), Set.of("libcuda.so.1"));
        assertTrue(r.reason().contains("CUDA_ERROR_STUB_LIBRARY (34): this is the stub library"), r.reason());
    }

    @Test void noDevicesAndABadOrdinalAreReported() {
        FakeDriver d = new FakeDriver();
        d.count = 0;
        CudaProbe.Result r = probe(Map.of(), d, Set.of(), Set.of("libcuda.so.1"));
        assertTrue(r.reason().startsWith("the CUDA driver (libcuda.so.1, version 13.0) sees no device"), r.reason());

        d.count = 1;
        r = probe(Map.of("TCC_CUDA_DEVICE", "3"), d, Set.of(), Set.of("libcuda.so.1"));
        assertTrue(r.reason().startsWith("TCC_CUDA_DEVICE=3, but the driver sees 1 device"), r.reason());

        r = probe(Map.of("TCC_CUDA_DEVICE", "x"), d, Set.of(), Set.of("libcuda.so.1"));
        assertTrue(r.reason().startsWith("TCC_CUDA_DEVICE=x is not a device number"), r.reason());
    }

    @Test void disabledByEnvironmentOrProperty() {
        CudaProbe.Result r = probe(Map.of("TCC_DISABLE_CUDA", "1"), new FakeDriver(), Set.of(), Set.of("libcuda.so.1"));
        assertTrue(r.reason().startsWith("CUDA is disabled by TCC_DISABLE_CUDA=1"), r.reason());
        r = CudaProbe.probe(Map.of(), "true", n -> new FakeDriver(), p -> false);
        assertTrue(r.reason().startsWith("CUDA is disabled by -Dtcc.cuda.disable=true"), r.reason());
    }

    @Test void aThrowingDriverDoesNotEscapeTheProbe() {
        FakeDriver d = new FakeDriver() {
            @Override public int cuDeviceGetCount(IntByReference c) { throw new IllegalStateException("boom"); }
        };
        CudaProbe.Result r = probe(Map.of(), d, Set.of(), Set.of("libcuda.so.1"));
        assertFalse(r.usable());
        assertTrue(r.reason().contains("CUDA probe failed unexpectedly: java.lang.IllegalStateException: boom"), r.reason());
    }

    @Test void systemProbeNeverThrowsAndExplainsItself() {
        CudaProbe.Result r = CudaProbe.system();
        assertNotNull(r);
        if (!r.usable()) {
            assertTrue(r.reason().contains("libcuda.so.1") || r.reason().contains("cuInit") || r.reason().contains("disabled")
                    || r.reason().contains("device"), r.reason());
            assertFalse(r.looked().isEmpty() && !r.reason().contains("disabled"), r.reason());
        } else {
            assertTrue(r.device().arch().matches("sm_\\d+"), r.device().arch());
        }
        assertEquals(r, CudaProbe.system(), "probed once per JVM");
    }

    @Test void versionStrings() {
        assertEquals("12.6", CudaProbe.versionString(12060));
        assertEquals("13.0", CudaProbe.versionString(13000));
        assertEquals("unknown", CudaProbe.versionString(0));
        assertEquals(Path.of("/usr/local/nvidia/lib64"), Path.of(CudaProbe.STANDARD_DIRS.get(0)));
    }
}
