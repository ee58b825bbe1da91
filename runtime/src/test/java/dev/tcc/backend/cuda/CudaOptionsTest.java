package dev.tcc.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CudaOptionsTest {
    @AfterEach void reset() { CudaOptions.graphs(null); }

    @Test void defaultsPropertiesEnvironmentAndOverride() {
        assertEquals(new CudaOptions(true, 2, 4), CudaOptions.from(Map.of(), new Properties()));
        Properties p = new Properties();
        p.setProperty("tcc.cuda.graphs", "false");
        p.setProperty("tcc.cuda.graphWarmup", "5");
        assertEquals(new CudaOptions(false, 5, 4), CudaOptions.from(Map.of("TCC_CUDA_GRAPHS", "1"), p), "a property beats the environment");
        assertEquals(new CudaOptions(false, 2, 8), CudaOptions.from(Map.of("TCC_CUDA_GRAPHS", "0", "TCC_CUDA_MAX_GRAPHS", "8"), new Properties()));
        CudaOptions.graphs(true);
        assertEquals(true, CudaOptions.from(Map.of("TCC_CUDA_GRAPHS", "0"), new Properties()).graphs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaOptions.from(Map.of("TCC_CUDA_GRAPHS", "maybe"), new Properties()));
        assertTrue(e.getMessage().contains("'maybe'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaOptions.from(Map.of("TCC_CUDA_GRAPH_WARMUP", "-1"), new Properties()));
    }
}
