package dev.tcc.cli;

import dev.tcc.codegen.program.Program;
import dev.tcc.lang.FunctionSpec;
import dev.tcc.nvrtc.CompileResult;
import dev.tcc.nvrtc.Nvrtc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "compile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compiles the functions of a .graph file to CUDA C, C and a Program manifest.",
                "Each function is optimized and scheduled into kernels; DIR/NAME.cu, DIR/NAME.c and the manifest",
                "DIR/NAME.json (the Program: buffers, kernel launches, updates and both sources, loadable without",
                "the compiler) are written. With --cubin, NVRTC also compiles the CUDA C to DIR/NAME.cubin."},
        footer = {"", "Example:", "  tcc compile samples/mlp/mlp.graph -o out/"})
final class CompileCommand extends GraphCommand {
    enum TargetLang { cuda, c }

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "out", description = "Where to write (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--fn", paramLabel = "NAME", description = "Only this function (default: all).")
    String fn;

    @Option(names = "--target", paramLabel = "T", split = ",", defaultValue = "cuda,c",
            description = "Which sources to write: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). The manifest holds both.")
    List<TargetLang> targets = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "sm_XY", defaultValue = "sm_90", description = "GPU architecture for --cubin (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--cubin", description = "Also compile the CUDA C with NVRTC: DIR/NAME.cubin and DIR/NAME.ptxas.txt (registers, spills).")
    boolean cubin;

    @Option(names = "--embed-shared", description = "Store the shared variables' current values in the manifest.")
    boolean embedShared;

    @Override protected int execute() throws IOException {
        List<FunctionSpec> fns = functions(fn);
        EnumSet<TargetLang> want = EnumSet.copyOf(targets);
        Nvrtc nvrtc = null;
        if (cubin) nvrtc = Nvrtc.find().orElseThrow(() -> CliException.failure("--cubin needs NVRTC: " + Nvrtc.unavailableReason(), null));
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw CliException.failure("-o " + output + ": cannot create the folder: " + e.getMessage(), e);
        }
        for (FunctionSpec f : fns) {
            Compilation c = Compilation.of(this, f, embedShared);
            Program p = c.program();
            List<Path> written = new ArrayList<>();
            String stem = c.fileStem();
            if (want.contains(TargetLang.cuda)) written.add(write(stem + ".cu", p.sources().cuda()));
            if (want.contains(TargetLang.c)) written.add(write(stem + ".c", p.sources().c()));
            written.add(write(stem + ".json", p.toJson()));
            if (nvrtc != null) {
                CompileResult r = c.cubin(nvrtc, arch);
                Path bin = output.resolve(stem + ".cubin");
                Files.write(bin, r.cubin());
                written.add(bin);
                written.add(write(stem + ".ptxas.txt", r.log()));
            }
            out().println("function '" + f.name() + "': " + c.optimized().nodesBefore() + " -> " + c.optimized().nodesAfter()
                    + " nodes, " + c.stepSummary());
            for (Path w : written) out().println("  wrote " + w);
        }
        return 0;
    }

    private Path write(String name, String text) {
        Path p = output.resolve(name);
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.failure("cannot write " + p + ": " + e.getMessage(), e);
        }
        return p;
    }
}
