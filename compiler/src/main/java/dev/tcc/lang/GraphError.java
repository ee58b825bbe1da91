package dev.tcc.lang;

import dev.tcc.TccException;

/**
 * An error in a {@code .graph} file (or a {@code .graph} expression), with its place. The message is
 * {@code file.graph:LINE:COL: what is wrong}, then the source line and a caret under the place,
 * then any further lines of detail (the operands of a failing operation, for example).
 */
public final class GraphError extends TccException {
    private final String file;
    private final int line;
    private final int column;
    private final String detail;
    private final String sourceLine;
    private final int caretLength;

    public GraphError(String file, int line, int column, String detail, String sourceLine, int caretLength, Throwable cause) {
        super(format(file, line, column, detail, sourceLine, caretLength), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
        this.sourceLine = sourceLine;
        this.caretLength = caretLength;
    }

    /** The file as it is named in messages (the path the user gave). */
    public String file() { return file; }
    /** 1-based line. */
    public int line() { return line; }
    /** 1-based column (a tab counts as one column). */
    public int column() { return column; }
    /** The message without place, source line and caret. */
    public String detail() { return detail; }
    /** The text of the line the error is on (without its line break). */
    public String sourceLine() { return sourceLine; }
    /** {@code file:LINE:COL}. */
    public String place() { return file + ":" + line + ":" + column; }

    static String format(String file, int line, int column, String detail, String sourceLine, int caretLength) {
        String first = detail;
        String rest = "";
        int nl = detail.indexOf('\n');
        if (nl >= 0) {
            first = detail.substring(0, nl);
            rest = detail.substring(nl);
        }
        StringBuilder b = new StringBuilder();
        b.append(file).append(':').append(line).append(':').append(column).append(": ").append(first);
        if (sourceLine != null) {
            b.append('\n').append(sourceLine).append('\n');
            // keep tabs so that the caret lines up under the same terminal column
            for (int i = 0; i < column - 1 && i < sourceLine.length(); i++) b.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
            for (int i = sourceLine.length(); i < column - 1; i++) b.append(' ');
            b.append('^');
            for (int i = 1; i < caretLength; i++) b.append('~');
        }
        b.append(rest);
        return b.toString();
    }
}
