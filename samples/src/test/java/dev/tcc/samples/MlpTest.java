package dev.tcc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.Backend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The lecture's loop, shortened: the full 10,000 steps run through {@code Mlp.main} (or the README's
 * {@code tcc run}, tested in the cli module); here 100 steps on the default backend.
 */
class MlpTest {
    @Test
    void trainsAndReports() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Mlp.Result r = Mlp.run(100, Backend.AUTO, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String section : new String[] {"Final model:", "w1 = ", "b2 = ", "target values for D:", "prediction on D:", "accuracy: "})
            assertTrue(out.contains(section), () -> "missing '" + section + "' in\n" + out);
        assertEquals(400, r.predictions().size());
        int right = 0;
        for (int i = 0; i < 400; i++) if ((r.predictions().getFlat(i) != 0) == (r.targets().getFlat(i) != 0)) right++;
        assertEquals(right / 400.0, r.accuracy());
        // The lecture's literal cross entropy -y*log(p1) - (1-y)*log(1-p1) is log(0) once sigmoid
        // saturates (it does on this data in float32): the unoptimized interpreter gives inf/NaN, and
        // only the compiled backends, after the optimizer's stabilizing rewrites (log(1 - sigmoid(z))
        // -> -softplus(z)), train. So the cost is checked only on those.
        if (r.backend() != Backend.INTERP) {
            assertTrue(Double.isFinite(r.firstCost()) && Double.isFinite(r.lastCost()), out);
            assertTrue(r.lastCost() < r.firstCost(), () -> "the cross entropy falls: " + r.firstCost() + " -> " + r.lastCost());
        }
    }
}
