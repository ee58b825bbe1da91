package dev.tcc.maven;

import dev.tcc.NDArray;
import dev.tcc.SharedVar;
import dev.tcc.TccException;
import dev.tcc.Var;
import dev.tcc.codegen.Schedule;
import dev.tcc.codegen.program.Program;
import dev.tcc.lang.FunctionSpec;
import dev.tcc.lang.GraphError;
import dev.tcc.lang.GraphParser;
import dev.tcc.lang.GraphProgram;
import dev.tcc.opt.Optimizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one {@code .graph} file into what the plugin ships: per function the optimized Program
 * ({@code NAME.json}) and its kernels ({@code NAME.cu}, {@code NAME.c}); the shared variables'
 * initial values ({@code shared/NAME.npy}); and the typed wrapper class. Resources go under the
 * package's folder plus the file's base name, e.g. {@code dev/tcc/samples/app/mlp/train.json}.
 */
final class GraphGenerator {
    /** Part of every fingerprint: a new tcc regenerates everything. */
    static final String VERSION = String.valueOf(GraphGenerator.class.getPackage().getImplementationVersion());

    /** A .graph file that does not compile; the message is in Maven's {@code file:[line,col] message} form. */
    static final class GraphFailure extends Exception {
        GraphFailure(String message) { super(message); }
    }

    private final Path sourceOut;
    private final Path resourceOut;
    private final Set<String> targets;

    GraphGenerator(Path sourceOut, Path resourceOut, Set<String> targets) {
        this.sourceOut = sourceOut;
        this.resourceOut = resourceOut;
        this.targets = targets;
    }

    /** Writes every artifact of {@code graphFile}; returns the files written. */
    List<Path> generate(Path graphFile, String packageName) throws GraphFailure, IOException {
        String fileName = graphFile.getFileName().toString();
        String base = fileName.endsWith(".graph") ? fileName.substring(0, fileName.length() - 6) : fileName;
        String pkgPath = packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/";
        String resourceDir = pkgPath + WrapperWriter.identifier(base) + "/";
        Path resDir = resourceOut.resolve(resourceDir);
        Files.createDirectories(resDir);

        GraphProgram gp;
        try {
            gp = new GraphParser().parse(graphFile);
        } catch (GraphError e) {
            throw new GraphFailure(graphFile.toAbsolutePath() + ":[" + e.line() + "," + e.column() + "] " + e.detail());
        }
        List<Path> written = new ArrayList<>();
        List<WrapperWriter.FunctionInfo> infos = new ArrayList<>();
        Map<SharedVar, String> shared = new IdentityHashMap<>();
        Map<String, SharedVar> byName = new LinkedHashMap<>();
        for (FunctionSpec fs : gp.functions().values()) {
            Schedule.Result r;
            try {
                r = Schedule.schedule(Optimizer.optimize(fs.graph()).graph(), new Schedule.Options(false, false));
            } catch (TccException e) {
                throw new GraphFailure(graphFile.toAbsolutePath() + ":[" + fs.site().line() + "," + fs.site().column()
                        + "] function '" + fs.name() + "' does not compile: " + e.getMessage());
            }
            Program p = r.program();
            written.add(write(resDir.resolve(fs.name() + ".json"), p.toJson()));
            if (targets.contains("cuda")) written.add(write(resDir.resolve(fs.name() + ".cu"), p.sources().cuda()));
            if (targets.contains("c")) written.add(write(resDir.resolve(fs.name() + ".c"), p.sources().c()));
            for (int i = 0; i < r.sharedVars().size(); i++) {
                SharedVar s = r.sharedVars().get(i);
                String name = p.shared().get(i).name();
                SharedVar other = byName.get(name);
                if (other != null && other != s) throw new GraphFailure(graphFile.toAbsolutePath() + ":[" + s.site().line() + ","
                        + s.site().column() + "] two shared variables are named '" + name + "'; give them distinct names");
                byName.put(name, s);
                shared.put(s, name);
            }
            List<String> ins = new ArrayList<>();
            for (Var v : fs.inputs()) ins.add(v.name() == null ? "in" + ins.size() : v.name());
            List<String> outs = new ArrayList<>();
            for (Var v : fs.outputs()) outs.add(v.name());
            infos.add(new WrapperWriter.FunctionInfo(fs.name(), ins, outs, fs.site().toString()));
        }
        for (Map.Entry<String, SharedVar> s : byName.entrySet()) {
            Path npy = resDir.resolve("shared").resolve(s.getKey() + ".npy");
            Files.createDirectories(npy.getParent());
            NDArray value = s.getValue().getValue();
            value.save(npy);
            written.add(npy);
        }
        String className = WrapperWriter.className(fileName);
        String java = WrapperWriter.source(packageName, className, fileName, "/" + resourceDir, infos, new ArrayList<>(byName.keySet()));
        WrapperWriter.check(java);
        Path javaFile = sourceOut.resolve(pkgPath).resolve(className + ".java");
        Files.createDirectories(javaFile.getParent());
        written.add(write(javaFile, java));
        return written;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
