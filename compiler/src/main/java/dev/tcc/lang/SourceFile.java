package dev.tcc.lang;

import dev.tcc.ir.Site;
import java.nio.file.Path;

/** The text of a {@code .graph} file (or expression) with the name used in messages and the folder {@code load} reads from. */
final class SourceFile {
    /** A place in the source: 1-based line and column, and how many characters to underline. */
    record Pos(int line, int column, int length) {}

    final String name;
    final String text;
    final Path baseDir;
    private final String[] lines;

    SourceFile(String name, String text, Path baseDir) {
        this.name = name;
        this.text = text;
        this.baseDir = baseDir;
        this.lines = text.split("\r\n|\r|\n", -1);
    }

    int lineCount() { return lines.length; }

    /** The text of a 1-based line, or null if there is no such line. */
    String line(int line) { return line >= 1 && line <= lines.length ? lines[line - 1] : null; }

    Site site(Pos p) { return new Site(name, p.line(), p.column()); }

    /** A place clamped into the file (a parser may report the end of input past the last line). */
    Pos clamp(int line, int column, int length) {
        if (line < 1) return new Pos(1, 1, 1);
        if (line > lines.length) {
            int l = lines.length;
            while (l > 1 && lines[l - 1].isBlank()) l--;
            return new Pos(l, Math.max(1, lines[l - 1].stripTrailing().length() + 1), 1);
        }
        return new Pos(line, Math.max(1, column), Math.max(1, length));
    }

    GraphError error(Pos p, String message, Throwable cause) {
        Pos c = clamp(p.line(), p.column(), p.length());
        String src = line(c.line());
        int len = Math.min(c.length(), Math.max(1, src == null ? 1 : src.length() - c.column() + 1));
        return new GraphError(name, c.line(), c.column(), message, src, len, cause);
    }

    GraphError error(Pos p, String message) { return error(p, message, null); }
}
