package dev.tcc.backend.cuda;

import com.sun.jna.Native;
import dev.tcc.Backend;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Run by scripts/bundle with the bundled Java runtime, to catch a runtime that lacks a module or a
 * jar before the bundle travels: loads every tcc class, starts JNA (which unpacks its native
 * library), runs a small function, and reports what the CUDA probe says (CUDA is normally
 * disabled here with -Dtcc.cuda.disable=true, so that no device is touched).
 */
public final class BundleSmoke {
    public static void main(String[] args) throws Exception {
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        String cp = System.getProperty("java.class.path");
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.isRegularFile(p) || !p.getFileName().toString().startsWith("tcc-")) continue;
            loaded += loadAll(p, failures);
        }
        System.out.println("bundle smoke: " + loaded + " tcc classes loaded");
        System.out.println("bundle smoke: JNA " + Native.VERSION_NATIVE + ", pointer size " + Native.POINTER_SIZE);
        Class.forName("jcuda.driver.JCudaDriver", false, BundleSmoke.class.getClassLoader());
        try {
            Class<?> fm = Class.forName("freemarker.template.Configuration");
            System.out.println("bundle smoke: FreeMarker " + fm.getField("VERSION_2_3_32").get(null));
            fm.getConstructor(Class.forName("freemarker.template.Version")).newInstance(fm.getField("VERSION_2_3_32").get(null));
        } catch (ClassNotFoundException e) {
            System.out.println("bundle smoke: no FreeMarker on the class path");
        }
        Var x = T.vector("x");
        double s = Tcc.function("smoke").inputs(x).outputs(T.sum(x.mul(2))).backend(Backend.INTERP).build()
                .call(new double[] {1, 2, 3}).scalar();
        if (s != 12) failures.add("sum(2x) of [1, 2, 3] gave " + s);
        // the optimizer, the scheduler and the FreeMarker templates, as Backend.CUDA runs them
        Var m = T.matrix("m");
        var fg = dev.tcc.ir.FunctionGraph.build("smoke", List.of(m, x), List.of(T.sigmoid(T.dot(m, x)).sum()),
                List.of(), java.util.Map.of());
        String cuda = dev.tcc.runtime.Backends.schedule(fg).program().sources().cuda();
        if (!cuda.contains("__global__")) failures.add("the scheduled CUDA source has no kernel:\n" + cuda);
        else System.out.println("bundle smoke: scheduled a function into " + cuda.lines().count() + " lines of CUDA C");
        var nvrtc = dev.tcc.nvrtc.Nvrtc.find();
        if (nvrtc.isPresent()) {
            byte[] cubin = nvrtc.get().compile(cuda, "smoke.cu", "sm_90", List.of()).cubin();
            System.out.println("bundle smoke: " + nvrtc.get() + " compiled it to a " + cubin.length + "-byte sm_90 CUBIN");
        } else {
            System.out.println("bundle smoke: no NVRTC here, so no compile (the GPU host must have one: docs/gpu.md)");
        }
        CudaProbe.Result r = CudaProbe.system();
        System.out.println("bundle smoke: CUDA probe: " + (r.usable() ? r.device() : r.reason().lines().findFirst().orElse("")));
        if (!failures.isEmpty()) {
            failures.forEach(f -> System.out.println("bundle smoke: FAILED: " + f));
            System.exit(1);
        }
        System.out.println("bundle smoke: ok");
    }

    private static int loadAll(Path jar, List<String> failures) throws IOException {
        int n = 0;
        try (JarFile j = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.endsWith(".class") || name.contains("module-info") || name.startsWith("META-INF")) continue;
                String cls = name.substring(0, name.length() - 6).replace('/', '.');
                try {
                    Class.forName(cls, false, BundleSmoke.class.getClassLoader());
                    n++;
                } catch (Throwable t) {
                    failures.add(cls + " (" + jar.getFileName() + "): " + t);
                }
            }
        }
        return n;
    }
}
