package dev.tcc;

/** Base of tcc's user-facing errors. Messages say where (file:line or the input's name), what, and how to fix it. */
public class TccException extends RuntimeException {
    public TccException(String message) { super(message); }
    public TccException(String message, Throwable cause) { super(message, cause); }
}
