package org.gamercompanion.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A close-on-exec {@code epoll(7)} instance. {@code struct epoll_event} is declared {@code
 * __attribute__((packed))} on x86_64 only: there it is 12 bytes with the 64-bit {@code data} at
 * offset 4; everywhere else it is 16 bytes with {@code data} at offset 8. {@link #EVENT} picks the
 * right one.
 *
 * <pre>{@code
 * try (Epoll epoll = Epoll.create(); Arena arena = Arena.ofConfined()) {
 *     epoll.add(fd, Epoll.EPOLLIN, 42);
 *     Epoll.Events ready = Epoll.Events.allocate(8, arena);
 *     int n = epoll.wait(ready, 100);
 *     for (int i = 0; i < n; i++) { long tag = ready.data(i); }
 * }
 * }</pre>
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLLIN = 0x001;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;

    /** {@code struct epoll_event} of this platform (12 bytes, packed, on x86_64). */
    public static final StructLayout EVENT =
            isX8664()
                    ? MemoryLayout.structLayout(
                            ValueLayout.JAVA_INT.withName("events"),
                            ValueLayout.JAVA_LONG_UNALIGNED.withName("data"))
                    : MemoryLayout.structLayout(
                            ValueLayout.JAVA_INT.withName("events"),
                            MemoryLayout.paddingLayout(4),
                            ValueLayout.JAVA_LONG.withName("data"));

    private static final VarHandle EVENTS =
            EVENT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement("events"));
    private static final VarHandle DATA =
            EVENT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement("data"));

    private final int fd;

    private Epoll(int fd) {
        this.fd = fd;
    }

    public static Epoll create() throws ErrnoException {
        return new Epoll(Libc.check(Libc.epollCreate1(EPOLL_CLOEXEC), "epoll_create1"));
    }

    /** Adds {@code targetFd} for {@code events}; {@code data} comes back with each readiness. */
    public void add(int targetFd, int events, long data) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EVENT);
            EVENTS.set(event, 0L, 0L, events);
            DATA.set(event, 0L, 0L, data);
            Libc.check(
                    Libc.epollCtl(fd, EPOLL_CTL_ADD, targetFd, event),
                    "epoll_ctl(ADD, fd " + targetFd + ")");
        }
    }

    public void remove(int targetFd) throws ErrnoException {
        Libc.check(
                Libc.epollCtl(fd, EPOLL_CTL_DEL, targetFd, MemorySegment.NULL),
                "epoll_ctl(DEL, fd " + targetFd + ")");
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) and fills {@code ready}. Returns the number
     * of ready entries, 0 on timeout or when a signal interrupted the wait ({@code EINTR}, which
     * the callers' loops treat as an early timeout). Allocates nothing.
     */
    public int wait(Events ready, int timeoutMillis) throws ErrnoException {
        int n = Libc.epollWait(fd, ready.segment, ready.capacity, timeoutMillis);
        if (n >= 0) {
            return n;
        }
        if (n == -Errno.EINTR) {
            return 0;
        }
        throw Libc.error(-n, "epoll_wait(fd " + fd + ")"); // the message is built only on failure
    }

    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        Fds.close(fd);
    }

    /** A reusable native array of {@code struct epoll_event} for {@link #wait}. */
    public static final class Events {
        private final MemorySegment segment;
        private final int capacity;

        private Events(MemorySegment segment, int capacity) {
            this.segment = segment;
            this.capacity = capacity;
        }

        public static Events allocate(int capacity, Arena arena) {
            if (capacity <= 0) {
                throw new IllegalArgumentException(
                        "capacity must be positive (was " + capacity + ")");
            }
            return new Events(arena.allocate(EVENT, capacity), capacity);
        }

        public int capacity() {
            return capacity;
        }

        /** The {@code events} mask of entry {@code index}, e.g. {@link #EPOLLIN}. */
        public int events(int index) {
            return (int) EVENTS.get(segment, 0L, (long) index);
        }

        /** The {@code data} given to {@link #add} for the fd of entry {@code index}. */
        public long data(int index) {
            return (long) DATA.get(segment, 0L, (long) index);
        }
    }

    private static boolean isX8664() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
