package dev.tcc.cli;

/** A failure the command reports in one message (no stack trace) with its exit code: 1 failure, 2 usage or bad input. */
final class CliException extends RuntimeException {
    final int exitCode;
    /** The message already names its place (file:line:col: ...) and is printed as it is. */
    boolean placed;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) { return new CliException(TccCli.EXIT_USAGE, message); }

    static CliException failure(String message, Throwable cause) { return new CliException(TccCli.EXIT_FAILURE, message, cause); }
}
