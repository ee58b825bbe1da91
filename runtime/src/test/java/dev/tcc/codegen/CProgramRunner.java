package dev.tcc.codegen;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.tcc.NDArray;
import dev.tcc.codegen.program.Buffer;
import dev.tcc.codegen.program.Program;
import dev.tcc.codegen.program.Shapes;
import dev.tcc.codegen.program.Step;
import dev.tcc.codegen.program.UpdateAssignment;
import dev.tcc.codegen.program.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TEST HELPER, not a backend: runs a Program's generated C the simplest way (every step through
 * its C kernel, GEMMs through the fused C loop nest, SWAP as a copy), so that the code generator's
 * tests can compare kernels with the reference interpreter. The CPU backend proper (cpu branch)
 * adds BLAS, caching, resident buffers and the rest.
 */
final class CProgramRunner {
    private CProgramRunner() {}

    record Result(List<NDArray> outputs, List<NDArray> shared) {}

    /** The C compiler (TCC_CC or cc), or null when there is none. */
    static String compiler() {
        String cc = System.getenv("TCC_CC");
        if (cc == null || cc.isBlank()) cc = "cc";
        try {
            Process p = new ProcessBuilder(cc, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? cc : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /** Runs {@code cc args...}; returns the compiler's output, or throws with it when it fails. */
    static String cc(String cc, List<String> args, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(cc);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IOException("cc timed out: " + cmd); }
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    /** Compiles the program's C with its flags into {@code dir/lib<name>.so}. */
    static Path build(String cc, Program p, Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve(p.name() + ".c");
        Files.writeString(src, p.sources().c());
        Path so = dir.resolve("lib" + p.name() + ".so");
        List<String> args = new ArrayList<>(p.sources().cFlags());
        args.addAll(List.of("-o", so.toString(), src.toString(), "-lm"));
        cc(cc, args, dir);
        return so;
    }

    static Result run(Program p, Path library, List<NDArray> args, List<NDArray> sharedValues) {
        NativeLibrary lib = NativeLibrary.getInstance(library.toAbsolutePath().toString());
        List<int[]> inShapes = new ArrayList<>();
        for (NDArray a : args) inShapes.add(a.shape());
        Shapes s = p.shapes(inShapes);
        Memory[] mem = new Memory[p.buffers().size()];
        for (Buffer b : p.buffers()) {
            switch (b.kind()) {
                case INPUT -> mem[b.id()] = upload(args.get(b.index()));
                case SHARED -> mem[b.id()] = upload(sharedValues.get(b.index()));
                case SHARED_BACK -> mem[b.id()] = new Memory(Math.max(8, sharedValues.get(b.index()).byteSize()));
                case CONSTANT -> mem[b.id()] = upload(b.data().toNDArray());
                default -> mem[b.id()] = new Memory(Math.max(8, p.bufferBytes(b.id(), s)));
            }
        }
        for (Step step : p.steps()) {
            if (step.work(p, s) == 0) continue;
            List<Object> a = new ArrayList<>();
            for (int v : step.args()) a.add(mem[p.value(v).buffer()]);
            for (long q : step.params(p, s)) a.add(q);
            Function f = lib.getFunction(step.kernel());
            f.invoke(Void.class, a.toArray());
        }
        for (UpdateAssignment u : p.updates()) {
            if (u.mode() != UpdateAssignment.Mode.SWAP) continue;
            Value v = p.value(u.value());
            int shared = -1;
            for (Buffer b : p.buffers()) if (b.kind() == Buffer.Kind.SHARED && b.index() == u.shared()) shared = b.id();
            long bytes = sharedValues.get(u.shared()).byteSize();
            mem[shared].write(0, mem[v.buffer()].getByteArray(0, (int) bytes), 0, (int) bytes);
        }
        List<NDArray> outs = new ArrayList<>();
        for (int v : p.outputs()) outs.add(download(mem[p.value(v).buffer()], p.value(v), s.of(v)));
        List<NDArray> shared = new ArrayList<>();
        for (Buffer b : p.buffers())
            if (b.kind() == Buffer.Kind.SHARED) {
                NDArray old = sharedValues.get(b.index());
                NDArray now = NDArray.zeros(old.dtype(), old.shape());
                now.buffer().put(mem[b.id()].getByteBuffer(0, now.byteSize()));
                shared.add(now);
            }
        return new Result(outs, shared);
    }

    static Memory upload(NDArray a) {
        Memory m = new Memory(Math.max(8, a.byteSize()));
        if (a.byteSize() > 0) m.getByteBuffer(0, a.byteSize()).put(a.buffer());
        return m;
    }

    static NDArray download(Pointer m, Value v, int[] shape) {
        NDArray a = NDArray.zeros(v.dtype(), shape);
        if (a.byteSize() > 0) a.buffer().put(m.getByteBuffer(0, a.byteSize()));
        return a;
    }
}
