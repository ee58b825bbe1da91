package dev.tcc.maven;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes the typed Java wrapper of one {@code .graph} file with javaparser's AST and printer: one
 * class per file, one method per function (parameters named after the inputs, a result record
 * named after the outputs), accessors for the shared variables, and {@code load(Backend)}, which
 * reads the prebuilt Programs from the classpath and runs no optimizer.
 */
final class WrapperWriter {
    /** What the wrapper needs to know of one function. */
    record FunctionInfo(String name, List<String> inputs, List<String> outputs, String site) {}

    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
            "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super",
            "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "var",
            "record", "yield", "true", "false", "null");

    private WrapperWriter() {}

    /** The wrapper class name of a .graph file: {@code mlp.graph} → {@code MlpGraph}. */
    static String className(String graphFileName) {
        String base = graphFileName.endsWith(".graph") ? graphFileName.substring(0, graphFileName.length() - 6) : graphFileName;
        return capitalize(identifier(base)) + "Graph";
    }

    static String source(String packageName, String className, String graphFile, String resourceDir,
                         List<FunctionInfo> functions, List<String> sharedNames) {
        CompilationUnit cu = new CompilationUnit();
        if (!packageName.isEmpty()) cu.setPackageDeclaration(packageName);
        cu.addImport("dev.tcc.Backend");
        cu.addImport("dev.tcc.GraphModule");
        cu.addImport("dev.tcc.NDArray");
        cu.addImport("dev.tcc.Outputs");
        cu.addImport("dev.tcc.SharedVar");
        cu.addImport("java.util.List");

        ClassOrInterfaceDeclaration cls = cu.addClass(className, Modifier.Keyword.PUBLIC, Modifier.Keyword.FINAL);
        cls.setJavadocComment("Functions of {@code " + graphFile + "}, compiled by tcc-maven-plugin. Generated: do not edit.\n"
                + "<p>{@link #load(Backend)} reads the optimized Programs from the classpath ({@code " + resourceDir + "});\n"
                + "only the backend compiler runs (NVRTC or cc), with the kernel cache.");
        cls.addField("GraphModule", "module", Modifier.Keyword.PRIVATE, Modifier.Keyword.FINAL);
        cls.addConstructor(Modifier.Keyword.PRIVATE)
                .addParameter("GraphModule", "module")
                .setBody(new BlockStmt().addStatement("this.module = module;"));

        List<String> fnNames = new ArrayList<>();
        for (FunctionInfo f : functions) fnNames.add("\"" + f.name() + "\"");
        MethodDeclaration load = cls.addMethod("load", Modifier.Keyword.PUBLIC, Modifier.Keyword.STATIC);
        load.setType(className).addParameter("Backend", "backend");
        load.setJavadocComment("Loads the functions and the initial values of the shared variables for {@code backend}.");
        load.setBody(new BlockStmt().addStatement("return new " + className + "(GraphModule.load(" + className
                + ".class, \"" + resourceDir + "\", List.of(" + String.join(", ", fnNames) + "), backend));"));

        Set<String> used = new HashSet<>(List.of("load", "module"));
        for (FunctionInfo f : functions) {
            String method = unique(identifier(f.name()), used);
            String record = capitalize(method) + "Result";
            List<String> fields = new ArrayList<>();
            Set<String> fieldNames = new HashSet<>();
            for (int i = 0; i < f.outputs().size(); i++) {
                String o = f.outputs().get(i);
                fields.add(unique(identifier(o == null ? "out" + i : o), fieldNames));
            }
            RecordDeclaration rec = new RecordDeclaration(new NodeList<>(Modifier.publicModifier()), record);
            rec.setStatic(false);
            for (String fld : fields) rec.addParameter(new Parameter(new ClassOrInterfaceType(null, "NDArray"), fld));
            rec.setJavadocComment("The outputs of {@code " + f.name() + "}, in declaration order.");
            cls.addMember(rec);

            MethodDeclaration m = cls.addMethod(method, Modifier.Keyword.PUBLIC);
            m.setType(record);
            Set<String> paramNames = new HashSet<>();
            List<String> args = new ArrayList<>();
            for (String in : f.inputs()) {
                String p = unique(identifier(in), paramNames);
                m.addParameter("NDArray", p);
                args.add(p);
            }
            m.setJavadocComment("Calls {@code " + f.name() + "} (declared at " + f.site() + ").");
            BlockStmt body = new BlockStmt();
            body.addStatement("Outputs out = module.function(\"" + f.name() + "\").call(" + String.join(", ", args) + ");");
            List<String> gets = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) gets.add("out.get(" + i + ")");
            body.addStatement("return new " + record + "(" + String.join(", ", gets) + ");");
            m.setBody(body);
        }
        for (String s : sharedNames) {
            String acc = unique(identifier(s), used);
            MethodDeclaration m = cls.addMethod(acc, Modifier.Keyword.PUBLIC);
            m.setType("SharedVar");
            m.setJavadocComment("Shared variable {@code " + s + "}: getValue()/setValue(...) copy, like Theano's get_value/set_value.");
            m.setBody(new BlockStmt().addStatement("return module.shared(\"" + s + "\");"));
        }
        return cu.toString();
    }

    /** A Java identifier made from a .graph name: invalid characters become '_', keywords get a trailing '_'. */
    static String identifier(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(i == 0 ? (Character.isJavaIdentifierStart(c) ? c : '_') : (Character.isJavaIdentifierPart(c) ? c : '_'));
        }
        String id = b.length() == 0 ? "_" : b.toString();
        return JAVA_KEYWORDS.contains(id) ? id + "_" : id;
    }

    private static String unique(String id, Set<String> used) {
        String candidate = id;
        for (int k = 2; !used.add(candidate); k++) candidate = id + k;
        return candidate;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /** Parses the source back, so a generator bug fails the build here rather than in javac with a worse message. */
    static void check(String source) {
        // An instance parser: the static one has global configuration, and this plugin is thread-safe.
        JavaParser parser = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
        ParseResult<CompilationUnit> r = parser.parse(source);
        if (!r.isSuccessful()) throw new IllegalStateException("tcc generated an invalid wrapper: " + r.getProblems() + "\n" + source);
    }
}
