package dev.tcc.backend.cuda;

/** Device memory as the launch code sees it: an address and a size in bytes. */
public interface DeviceBuffer {
    /** The device address of the first byte. */
    long address();

    /** Usable size in bytes (at least what was asked for). */
    long bytes();
}
