package org.gamercompanion.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A non-blocking, close-on-exec {@code eventfd(2)} counter: {@link #signal} adds to it and makes
 * the fd readable (an epoll set wakes up), {@link #drain} reads and resets it. The ring reader uses
 * one to wake its {@code epoll_wait} on stop. Thread-safe: each call is one system call.
 */
public final class EventFd implements AutoCloseable {
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private final int fd;

    private EventFd(int fd) {
        this.fd = fd;
    }

    /** A new counter at zero. */
    public static EventFd create() throws ErrnoException {
        return new EventFd(Libc.check(Libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd"));
    }

    /** Adds {@code increment} (> 0) to the counter, making the fd readable. */
    public void signal(long increment) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_LONG, increment);
            Libc.check(Libc.write(fd, value, Long.BYTES), "write(eventfd " + fd + ")");
        }
    }

    /** Reads and resets the counter; 0 when it was already zero. */
    public long drain() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            long n = Libc.read(fd, value, Long.BYTES);
            if (n == -Errno.EAGAIN) {
                return 0;
            }
            Libc.check(n, "read(eventfd " + fd + ")");
            return value.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        Fds.close(fd);
    }
}
