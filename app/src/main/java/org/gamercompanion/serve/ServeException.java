package org.gamercompanion.serve;

/**
 * Why {@code serve} cannot start, with its exit status (sysexits.h): {@link #USAGE} when what was
 * typed or configured is wrong, {@link #UNAVAILABLE} when something it needs cannot be had (the
 * port, a file it must read, the agent). The message names the flag or the file, line and field.
 */
public final class ServeException extends Exception {
    /** EX_USAGE: a bad flag, address, config value or file content. */
    public static final int USAGE = 64;

    /** EX_UNAVAILABLE: the port is taken, a file cannot be read, the agent cannot start. */
    public static final int UNAVAILABLE = 69;

    private final int exitStatus;

    private ServeException(int exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    public static ServeException usage(String message) {
        return new ServeException(USAGE, message, null);
    }

    public static ServeException unavailable(String message, Throwable cause) {
        return new ServeException(UNAVAILABLE, message, cause);
    }

    public int exitStatus() {
        return exitStatus;
    }
}
