package dev.tcc.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.DirectoryScanner;

/**
 * Compiles each {@code .graph} file under {@link #sourceDirectory} into the optimized Program (JSON),
 * its CUDA C and C sources (resources) and a typed Java wrapper (sources), like the antlr4 plugin
 * does for grammars. Unchanged files regenerate nothing; outputs of deleted files are removed.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** Where the {@code .graph} files are. */
    @Parameter(defaultValue = "${basedir}/src/main/tcc", property = "tcc.sourceDirectory")
    private File sourceDirectory;

    /** Ant-style patterns of the files to compile, relative to {@link #sourceDirectory}. */
    @Parameter
    private Set<String> includes = new HashSet<>();

    /** Ant-style patterns of files to leave out. */
    @Parameter
    private Set<String> excludes = new HashSet<>();

    /** Where the Java wrappers go; always added as a compile source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/tcc", property = "tcc.outputDirectory")
    private File outputDirectory;

    /** Where Programs and kernel sources go; always added as a resource directory. */
    @Parameter(defaultValue = "${project.build.directory}/generated-resources/tcc", property = "tcc.resourceOutputDirectory")
    private File resourceOutputDirectory;

    /**
     * Java package of the wrappers. When unset, a file's directory below {@link #sourceDirectory}
     * gives its package (like the antlr4 plugin), e.g. {@code com/acme/mlp.graph} → {@code com.acme}.
     */
    @Parameter(property = "tcc.packageName")
    private String packageName;

    /** Kernel sources to write: {@code cuda}, {@code c}. */
    @Parameter(property = "tcc.targets", defaultValue = "cuda,c")
    private List<String> targets;

    /** Skips generation. */
    @Parameter(property = "tcc.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("tcc: skipped");
            return;
        }
        // Like antlr4: the roots are added even when nothing is regenerated, so incremental builds compile them.
        project.addCompileSourceRoot(outputDirectory.getPath());
        Resource res = new Resource();
        res.setDirectory(resourceOutputDirectory.getPath());
        project.addResource(res);

        Set<String> targetSet = new LinkedHashSet<>();
        for (String t : targets) {
            String v = t.trim().toLowerCase(java.util.Locale.ROOT);
            if (!v.equals("cuda") && !v.equals("c"))
                throw new MojoExecutionException("tcc: unknown target '" + t + "' in <targets>; use cuda and/or c");
            targetSet.add(v);
        }
        List<String> sources = scan();
        Path stateFile = buildDirectory.toPath().resolve("tcc-state").resolve("generate.properties");
        BuildState state = BuildState.load(stateFile);
        try {
            for (Path orphan : state.removeAllExcept(new HashSet<>(sources))) {
                if (Files.deleteIfExists(orphan)) getLog().info("tcc: removed stale " + orphan);
            }
            GraphGenerator generator = new GraphGenerator(outputDirectory.toPath(), resourceOutputDirectory.toPath(), targetSet);
            int regenerated = 0;
            for (String rel : sources) {
                Path file = sourceDirectory.toPath().resolve(rel);
                String pkg = packageFor(rel);
                String fp = BuildState.fingerprint(Files.readAllBytes(file), "pkg=" + pkg + ";targets=" + targetSet + ";tcc=" + GraphGenerator.VERSION);
                if (!state.isStale(rel, fp)) continue;
                BuildState.Entry old = state.get(rel);
                List<Path> outputs;
                try {
                    outputs = generator.generate(file, pkg);
                } catch (GraphGenerator.GraphFailure e) {
                    state.save();
                    throw new MojoFailureException(e.getMessage());
                }
                if (old != null) for (Path o : old.outputs()) if (!outputs.contains(o)) Files.deleteIfExists(o);
                state.put(rel, fp, outputs);
                regenerated++;
                getLog().info("tcc: generated " + outputs.size() + " files from " + rel);
            }
            state.save();
            if (regenerated == 0) getLog().info("tcc: nothing to regenerate, " + sources.size() + " .graph file(s) up to date");
            else getLog().info("tcc: regenerated " + regenerated + " of " + sources.size() + " .graph file(s)");
        } catch (IOException e) {
            throw new MojoExecutionException("tcc: " + e.getMessage(), e);
        }
    }

    private List<String> scan() {
        if (!sourceDirectory.isDirectory()) {
            getLog().info("tcc: no .graph sources (" + sourceDirectory + " does not exist)");
            return List.of();
        }
        DirectoryScanner scanner = new DirectoryScanner();
        scanner.setBasedir(sourceDirectory);
        scanner.setIncludes(includes.isEmpty() ? new String[] {"**/*.graph"} : includes.toArray(new String[0]));
        scanner.setExcludes(excludes.toArray(new String[0]));
        scanner.scan();
        List<String> files = new ArrayList<>();
        for (String f : scanner.getIncludedFiles()) files.add(f.replace(File.separatorChar, '/'));
        files.sort(null);
        return files;
    }

    private String packageFor(String relativePath) {
        if (packageName != null && !packageName.isBlank()) return packageName.trim();
        int slash = relativePath.lastIndexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash).replace('/', '.');
    }
}
