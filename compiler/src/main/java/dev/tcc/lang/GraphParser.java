package dev.tcc.lang;

import com.github.javaparser.JavaParser;
import com.github.javaparser.JavaToken;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.Range;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.stmt.BlockStmt;
import dev.tcc.TccException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code .graph} files (DESIGN.md §5): Java statements, parsed with javaparser (Java 17 syntax),
 * whose calls mirror the builder API and whose operators are the symbolic ops. Each variable made
 * records its {@code file:line:col}; every error is a {@link GraphError} with that place, the source
 * line and a caret.
 *
 * <pre>{@code
 * GraphProgram p = new GraphParser().parse(Path.of("samples/mlp/mlp.graph"));
 * FunctionSpec train = p.function("train");     // inputs, outputs, updates, givens; train.graph() is checked
 * }</pre>
 *
 * <p>A parser is not thread-safe; use one per thread.
 */
public final class GraphParser {
    private final JavaParser parser;

    public GraphParser() {
        this.parser = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
    }

    /** Reads and runs a {@code .graph} file; {@code load("x.npy")} is relative to its folder. Messages name it as given. */
    public GraphProgram parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TccException("cannot read " + file + ": no such file");
        } catch (MalformedInputException e) {
            throw new TccException("cannot read " + file + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw new TccException("cannot read " + file + ": " + (Files.isDirectory(file) ? "it is a folder" : e.getMessage()));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(file.toString(), text, dir, file);
    }

    /**
     * Runs {@code .graph} source text. {@code name} is used in messages and creation sites;
     * {@code baseDir} is where {@code load} looks (null: the current directory).
     */
    public GraphProgram parse(String name, String source, Path baseDir) {
        return parse(name, source, baseDir, null);
    }

    private GraphProgram parse(String name, String source, Path baseDir, Path path) {
        SourceFile src = new SourceFile(name, source, baseDir);
        try {
            // The statements are parsed as the body of a block; the opening brace sits on a line of its own.
            ParseResult<BlockStmt> r = parser.parseBlock("{\n" + source + "\n}");
            if (!r.isSuccessful() || r.getResult().isEmpty()) throw problem(src, r.getProblems(), 1);
            Evaluator ev = new Evaluator(src, 1);
            ev.run(r.getResult().get());
            return ev.finish(path);
        } catch (StackOverflowError e) {
            throw tooDeep(name);
        }
    }

    /**
     * Evaluates one expression of the {@code .graph} language on its own, without a file's variables:
     * a number, {@code random(0).randn(400, 784)}, {@code load("x.npy")}, {@code array(1, 2)}, ... (what
     * {@code tcc run --arg NAME=VALUE} accepts). {@code name} is used in messages.
     */
    public Object evaluate(String name, String expression, Path baseDir) {
        SourceFile src = new SourceFile(name, expression, baseDir);
        try {
            ParseResult<Expression> r = parser.parseExpression(expression);
            if (!r.isSuccessful() || r.getResult().isEmpty()) throw problem(src, r.getProblems(), 0);
            return new Evaluator(src, 0).eval(r.getResult().get());
        } catch (StackOverflowError e) {
            throw tooDeep(name);
        }
    }

    private static TccException tooDeep(String name) {
        return new TccException(name + ": expressions are nested too deeply to read; split them into several statements "
                + "(or give Java a larger stack, e.g. -Xss64m)");
    }

    // ---- parse problems -----------------------------------------------------------------------------

    private static final Pattern FOUND = Pattern.compile("Parse error\\. Found\\s+(.+?),? expected (?:one of )?(.*)", Pattern.DOTALL);
    private static final Pattern LEXICAL = Pattern.compile("line (\\d+), column (\\d+)\\.\\s+Encountered: (.*?), after : \"(.*)\"\\s*$", Pattern.DOTALL);
    private static final Pattern ENCOUNTERED = Pattern.compile("Encountered unexpected token:\\s*(.+?)\\s+at line", Pattern.DOTALL);
    private static final Pattern RAW_AT = Pattern.compile("at line (\\d+), column (\\d+)");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|<([A-Z_]+)>");

    /**
     * Turns javaparser's first problem into a GraphError. javaparser locates a syntax error at the last
     * token it accepted; a missing ';' or ')' is reported just after that token, anything else at
     * the token it could not accept.
     */
    private static GraphError problem(SourceFile src, List<Problem> problems, int lineOffset) {
        if (problems.isEmpty()) return src.error(new SourceFile.Pos(1, 1, 1), "cannot parse this");
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Problem.PROBLEM_BY_BEGIN_POSITION);
        Problem p = sorted.get(0);
        JavaToken last = p.getLocation().map(tr -> tr.getBegin()).orElse(null);
        JavaToken next = nextSignificant(last);
        SourceFile.Pos at = place(last, lineOffset);
        String message = p.getMessage();
        Matcher lex = LEXICAL.matcher(message);
        Matcher m = FOUND.matcher(message);
        Matcher raw = ENCOUNTERED.matcher(message);
        String found = null, expectedText = null;
        if (m.matches()) { found = m.group(1).trim(); expectedText = m.group(2); }
        else if (raw.find()) {
            found = raw.group(1).trim();
            int w = message.indexOf("Was expecting");
            expectedText = w < 0 ? "" : message.substring(w);
        }
        if (lex.find()) {
            int line = Integer.parseInt(lex.group(1)) - lineOffset, col = Integer.parseInt(lex.group(2));
            String after = unescape(lex.group(4));
            if (after.startsWith("\"")) {
                at = new SourceFile.Pos(line, Math.max(1, col - after.length()), after.length());
                message = "this string is not closed on its line";
            } else {
                at = new SourceFile.Pos(line, col, 1);
                message = "unexpected character " + lex.group(3).replaceAll("\\s*\\(\\d+\\)$", "");
            }
        } else if (found != null) {
            Matcher f = QUOTED.matcher(found);
            String foundToken = f.find() && f.group(1) != null ? f.group(1) : found;
            List<String> expected = new ArrayList<>();
            Matcher q = QUOTED.matcher(expectedText);
            while (q.find()) expected.add(q.group(1) != null ? q.group(1) : "<" + q.group(2) + ">");
            // the closing brace of the block the file is wrapped in stands for the end of the file
            boolean eof = found.contains("<EOF>") || (foundToken.equals("}") && next != null
                    && place(next, lineOffset).line() > src.lineCount());
            String foundText = eof ? "the end of the file" : "'" + foundToken + "'";
            boolean closing = eof || foundToken.equals("}") || foundToken.equals(";");
            SourceFile.Pos after = last == null ? at : new SourceFile.Pos(at.line(), at.column() + last.getText().length(), 1);
            SourceFile.Pos onNext = next == null ? after : place(next, lineOffset);
            Matcher rawAt = RAW_AT.matcher(message);
            if (last == null && rawAt.find()) {       // no token range: use the place javaparser's message names
                onNext = new SourceFile.Pos(Integer.parseInt(rawAt.group(1)) - lineOffset, Integer.parseInt(rawAt.group(2)), 1);
                after = eof ? new SourceFile.Pos(src.lineCount() + 1, 1, 1) : onNext;
            }
            if (expected.contains(")") && closing) {
                at = after;
                message = "missing ')' before " + foundText;
            } else if (expected.contains("]") && closing) {
                at = after;
                message = "missing ']' before " + foundText;
            } else if (expected.contains(";")) {
                at = after;
                message = "missing ';' before " + foundText;
            } else if (expected.equals(List.of("}"))) {
                at = onNext;
                message = "this is not a statement: a .graph file holds declarations (var x = ...;), assignments (x = ...;) and calls";
            } else if (eof) {
                at = after;
                message = "the file ends in the middle of a statement";
            } else if (expected.size() <= 4 && !expected.isEmpty()) {
                at = onNext;
                message = "expected " + String.join(" or ", expected.stream().map(GraphParser::show).toList()) + ", found " + foundText;
            } else {
                at = onNext;
                message = "unexpected " + foundText;
            }
        } else {
            message = message.replace("Parse error. ", "").trim();
        }
        if (sorted.size() > 1) message += " (and " + (sorted.size() - 1) + " more problem" + (sorted.size() > 2 ? "s" : "") + ")";
        return src.error(at, message, null);
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
    }

    private static JavaToken nextSignificant(JavaToken t) {
        if (t == null) return null;
        JavaToken n = t.getNextToken().orElse(null);
        while (n != null && n.getCategory().isWhitespaceOrComment()) n = n.getNextToken().orElse(null);
        return n;
    }

    private static String show(String token) {
        return token.startsWith("<") ? token.substring(1, token.length() - 1).toLowerCase().replace('_', ' ') : "'" + token + "'";
    }

    private static SourceFile.Pos place(JavaToken t, int lineOffset) {
        if (t == null) return new SourceFile.Pos(1, 1, 1);
        Range r = t.getRange().orElse(null);
        if (r == null) return new SourceFile.Pos(1, 1, 1);
        return new SourceFile.Pos(r.begin.line - lineOffset, r.begin.column, Math.max(1, t.getText().length()));
    }
}
