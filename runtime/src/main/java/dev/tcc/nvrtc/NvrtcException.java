package dev.tcc.nvrtc;

/**
 * NVRTC refused a program or an API call failed. For a compile error the message carries the
 * NVRTC log and the whole source with line numbers, because the log's "file(LINE): error" lines
 * point into generated code that the user has never seen.
 */
public final class NvrtcException extends RuntimeException {
    private final String result;
    private final String log;

    NvrtcException(String message, String result, String log) {
        super(message);
        this.result = result;
        this.log = log;
    }

    static NvrtcException compileFailed(String fileName, String arch, String result, String log, String source) {
        String message = "NVRTC could not compile " + fileName + " for " + arch + " (" + result + ")\n"
                + "--- NVRTC log ---\n" + (log.isBlank() ? "(empty)\n" : log.strip() + "\n")
                + "--- " + fileName + " ---\n" + numbered(source);
        return new NvrtcException(message, result, log);
    }

    static NvrtcException callFailed(String call, String result) {
        return new NvrtcException(call + " failed: " + result, result, "");
    }

    /** The nvrtcResult name, e.g. {@code NVRTC_ERROR_COMPILATION}. */
    public String result() { return result; }

    /** NVRTC's program log; empty when the failure was not a compilation. */
    public String log() { return log; }

    /** {@code source} with each line prefixed by its 1-based number, as NVRTC's log counts them. */
    public static String numbered(String source) {
        String[] lines = source.split("\r?\n", -1);
        int width = String.valueOf(lines.length).length();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i == lines.length - 1 && lines[i].isEmpty()) break; // trailing newline adds no line
            out.append(String.format("%" + width + "d | %s", i + 1, lines[i])).append('\n');
        }
        return out.toString();
    }
}
