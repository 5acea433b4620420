package org.gamercompanion.sys;

import java.io.IOException;

/**
 * A libc call or system call failed with {@code errno}. The message names the call, its key
 * arguments and the errno name, e.g. {@code epoll_ctl(ADD, fd 12): EBADF (Bad file descriptor)}, so
 * a log line alone says what failed.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    ErrnoException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The call with its key arguments, e.g. {@code epoll_ctl(ADD, fd 12)}. */
    public String call() {
        return call;
    }

    /** The errno value (see {@link Errno} for the few this code branches on). */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code EPERM}. */
    String errnoName() {
        return Errno.name(errno);
    }
}
