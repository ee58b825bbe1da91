package dev.tcc.ir;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Where a variable was made: the user's Java file and line (found on the call stack outside tcc),
 * or a {@code .graph} file's line and column. Errors and inspection output name it.
 */
public record Site(String file, int line, int column) {
    public static final Site UNKNOWN = new Site("<unknown>", 0, 0);

    /** Packages whose frames are tcc's own and so never a user's creation site. */
    private static final Set<String> INTERNAL = Set.of(
            "dev.tcc", "dev.tcc.ir", "dev.tcc.ops", "dev.tcc.interp", "dev.tcc.grad", "dev.tcc.opt",
            "dev.tcc.codegen", "dev.tcc.lang", "dev.tcc.runtime", "dev.tcc.backend", "dev.tcc.cli");

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Set while the .graph parser or a rewrite builds nodes, so they take that site instead of the stack's. */
    private static final ThreadLocal<Site> OVERRIDE = new ThreadLocal<>();

    /** The current creation site: the override if one is active, else the first user frame on the stack. */
    public static Site here() {
        Site o = OVERRIDE.get();
        if (o != null) return o;
        return WALKER.walk(frames -> frames
                .filter(f -> !isInternal(f.getDeclaringClass()))
                .findFirst()
                .map(f -> new Site(f.getFileName() == null ? f.getClassName() : f.getFileName(), f.getLineNumber(), 0))
                .orElse(UNKNOWN));
    }

    /** Runs {@code body} with every variable it makes attributed to {@code site}. */
    public static <T> T with(Site site, Supplier<T> body) {
        Site old = OVERRIDE.get();
        OVERRIDE.set(site);
        try {
            return body.get();
        } finally {
            if (old == null) OVERRIDE.remove(); else OVERRIDE.set(old);
        }
    }

    private static boolean isInternal(Class<?> c) {
        String pkg = c.getPackageName();
        // Test classes live in tcc's packages too; they are users of the API.
        if (c.getSimpleName().endsWith("Test") || c.getName().contains("Test$")) return false;
        if (!pkg.startsWith("dev.tcc")) return pkg.startsWith("java.") || pkg.startsWith("jdk.") || pkg.startsWith("sun.");
        int dot = pkg.indexOf('.', "dev.tcc.".length());
        String top = dot < 0 ? pkg : pkg.substring(0, dot);
        return INTERNAL.contains(top);
    }

    @Override public String toString() {
        return column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
    }
}
