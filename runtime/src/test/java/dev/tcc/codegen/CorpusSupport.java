package dev.tcc.codegen;

import dev.tcc.corpus.KernelCorpus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The corpus, scheduled once per JVM (IEEE and fast math) and shared by the codegen tests. */
final class CorpusSupport {
    private CorpusSupport() {}

    private static volatile List<KernelCorpus.Case> cases;
    private static final Map<String, Schedule.Result> IEEE = new ConcurrentHashMap<>();
    private static final Map<String, Schedule.Result> FAST = new ConcurrentHashMap<>();

    static synchronized List<KernelCorpus.Case> cases() {
        if (cases == null) cases = KernelCorpus.all();
        return cases;
    }

    static Schedule.Result scheduled(KernelCorpus.Case c, boolean fastMath) {
        return (fastMath ? FAST : IEEE).computeIfAbsent(c.name(),
                k -> Schedule.schedule(c.graph(), new Schedule.Options(fastMath, true)));
    }
}
