package org.gamercompanion.sys;

/** Plain file descriptor operations. */
public final class Fds {
    private static final int F_GETFD = 1;

    private Fds() {}

    /**
     * Closes {@code fd}, ignoring every error; a negative fd is a no-op. Never retried: Linux
     * releases the descriptor even when {@code close} reports {@code EINTR} or {@code EIO}, so a
     * retry could close a descriptor another thread has just been given. {@code EBADF} (already
     * closed) is a bug in the caller, but this is called from cleanup paths that must go on, so it
     * is ignored as well; use {@link #closeChecked} where the result matters.
     */
    public static void close(int fd) {
        if (fd >= 0) {
            Libc.close(fd);
        }
    }

    /** Closes {@code fd} and reports a failure, e.g. {@code close(fd 12): EBADF}. */
    static void closeChecked(int fd) throws ErrnoException {
        Libc.check(Libc.close(fd), "close(fd " + fd + ")");
    }

    /** Whether {@code fd} is an open descriptor of this process ({@code fcntl(F_GETFD)}). */
    public static boolean isOpen(int fd) {
        return fd >= 0 && Libc.fcntl(fd, F_GETFD) >= 0;
    }
}
