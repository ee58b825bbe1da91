package dev.tcc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.Shapes;
import dev.tcc.codegen.program.Step;
import dev.tcc.corpus.KernelCorpus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every corpus function schedules into a Program that survives JSON and resolves its shapes. */
class ScheduleCorpusTest {
    static Stream<KernelCorpus.Case> corpus() { return CorpusSupport.cases().stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void jsonRoundTripIsEqual(KernelCorpus.Case c) {
        Program p = CorpusSupport.scheduled(c, false).program();
        String json = p.toJson();
        Program back = Program.fromJson(json);
        assertEquals(p, back);
        assertEquals(json, back.toJson());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shapesResolveAndKernelsAreNamedOnce(KernelCorpus.Case c) {
        Program p = CorpusSupport.scheduled(c, false).program();
        List<int[]> shapes = new ArrayList<>();
        c.args().forEach(a -> shapes.add(a.shape()));
        Shapes s = p.shapes(shapes);
        Set<String> names = new HashSet<>();
        for (Step step : p.steps()) {
            assertTrue(names.add(step.kernel()), "kernel named twice: " + step.kernel());
            assertTrue(p.sources().c().contains(" " + step.kernel() + "("), step.kernel() + " missing from the C source");
            assertTrue(p.sources().cuda().contains(" " + step.kernel() + "("), step.kernel() + " missing from the CUDA source");
            step.params(p, s);
            step.launch(p, s);
        }
        assertEquals(c.graph().outputs().size(), p.outputs().size());
        assertEquals(c.graph().updates().size(), p.updates().size());
        assertFalse(p.sources().cuda().isEmpty());
    }
}
