package dev.tcc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStateTest {
    @TempDir Path dir;

    @Test
    void unchangedSourceWithOutputsIsNotStale() throws Exception {
        Path out = Files.writeString(dir.resolve("Mlp.java"), "class Mlp {}");
        Path stateFile = dir.resolve("state/generate.properties");
        BuildState s = BuildState.load(stateFile);
        String fp = BuildState.fingerprint("a".getBytes(), "pkg=x");
        assertTrue(s.isStale("mlp.graph", fp));
        s.put("mlp.graph", fp, List.of(out));
        s.save();

        BuildState again = BuildState.load(stateFile);
        assertFalse(again.isStale("mlp.graph", fp));
        assertTrue(again.isStale("mlp.graph", BuildState.fingerprint("b".getBytes(), "pkg=x")), "content changed");
        assertTrue(again.isStale("mlp.graph", BuildState.fingerprint("a".getBytes(), "pkg=y")), "settings changed");
        Files.delete(out);
        assertTrue(again.isStale("mlp.graph", fp), "an output was deleted");
    }

    @Test
    void removedSourcesGiveTheirOutputsBack() {
        BuildState s = BuildState.load(dir.resolve("none.properties"));
        s.put("a.graph", "1", List.of(dir.resolve("A.java")));
        s.put("b.graph", "2", List.of(dir.resolve("B.java"), dir.resolve("b.json")));
        assertEquals(List.of(dir.resolve("B.java"), dir.resolve("b.json")), s.removeAllExcept(Set.of("a.graph")));
        assertEquals(null, s.get("b.graph"));
    }

    @Test
    void corruptStateFileMeansRegenerateEverything() throws Exception {
        Path f = Files.writeString(dir.resolve("generate.properties"), "\\u12");   // malformed escape
        assertTrue(BuildState.load(f).isStale("a.graph", "1"));
    }
}
