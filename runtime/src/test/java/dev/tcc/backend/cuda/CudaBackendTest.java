package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.tcc.Backend;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.TccException;
import dev.tcc.Var;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a machine without a usable device says (these run everywhere; on a GPU host they are skipped). */
class CudaBackendTest {
    @Test void availabilityAndReasonAgree() {
        if (CudaBackend.isAvailable()) {
            assertNull(CudaBackend.unavailableReason());
            assertNotNull(CudaBackend.context());
        } else {
            assertNotNull(CudaBackend.unavailableReason());
            assertTrue(CudaBackend.describe().startsWith("CUDA unavailable: "), CudaBackend.describe());
        }
    }

    @Test void requestingCudaWithoutADeviceSaysWhy() {
        assumeFalse(CudaBackend.isAvailable(), "a CUDA device is usable here");
        Var x = T.scalar("x");
        TccException e = assertThrows(TccException.class,
                () -> Tcc.function("f").inputs(x).outputs(x.add(1)).backend(Backend.CUDA).build());
        assertTrue(e.getMessage().startsWith("Backend.CUDA was requested, but no CUDA device is usable: "), e.getMessage());
        assertTrue(e.getMessage().contains(CudaBackend.unavailableReason()), e.getMessage());
        TccException c = assertThrows(TccException.class, CudaBackend::context);
        assertEquals(e.getMessage(), c.getMessage());
    }

    @Test void autoFallsBackWithoutADevice() {
        assumeFalse(CudaBackend.isAvailable(), "a CUDA device is usable here");
        Var x = T.scalar("x");
        var f = Tcc.function(List.of(x), x.mul(2));
        assertTrue(f.backend() != Backend.CUDA);
        assertEquals(6.0, f.call(3).scalar(), 0);
    }
}
