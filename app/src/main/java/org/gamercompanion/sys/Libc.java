package org.gamercompanion.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Raw downcalls into libc. Every method returns the call's result, or {@code -errno} when the call
 * failed (the kernel's own convention), so hot callers such as the ring reader's {@code epoll_wait}
 * loop can handle {@code EINTR} without allocating an exception; cold callers turn a negative
 * result into an {@link ErrnoException} with {@link #check}.
 *
 * <p>errno is captured by the linker ({@code captureCallState("errno")}) into a per-thread buffer:
 * the JVM itself may call libc between our call and a later {@code errno} read, so reading the
 * thread-local {@code errno} afterwards would be unreliable.
 */
@SuppressWarnings("restricted") // this class is the one place that links libc
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    // One buffer per thread, allocated once: steady-state calls allocate nothing.
    private static final ThreadLocal<MemorySegment> CALL_STATE_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final MethodHandle CLOSE =
            errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MMAP =
            errnoCall(
                    "mmap",
                    FunctionDescriptor.of(
                            ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP =
            errnoCall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle EPOLL_CREATE1 =
            errnoCall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL =
            errnoCall(
                    "epoll_ctl",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT =
            errnoCall(
                    "epoll_wait",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD =
            errnoCall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ =
            errnoCall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE =
            errnoCall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SOCKET =
            errnoCall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKETPAIR =
            errnoCall(
                    "socketpair",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CONNECT =
            errnoCall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT =
            errnoCall(
                    "getsockopt",
                    FunctionDescriptor.of(
                            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SHUTDOWN =
            errnoCall("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SENDMSG =
            errnoCall("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG =
            errnoCall("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL =
            errnoCall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle FCNTL =
            errnoCall(
                    "fcntl",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
                    Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SYSCONF =
            errnoCall("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    // syscall(long number, ...): every variadic argument is passed as a full 64-bit register value,
    // as the C library's va_arg(long) reads them.
    private static final MethodHandle SYSCALL3 =
            errnoCall(
                    "syscall",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));

    private Libc() {}

    static MemorySegment symbol(String name) {
        return LINKER.defaultLookup()
                .find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    static Optional<MethodHandle> optional(String name, FunctionDescriptor descriptor) {
        return LINKER.defaultLookup().find(name).map(s -> LINKER.downcallHandle(s, descriptor));
    }

    private static MethodHandle errnoCall(
            String name, FunctionDescriptor d, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol(name), d, options);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    /** Returns {@code result} when it is not negative, else throws naming {@code call}. */
    static long check(long result, String call) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, (int) -result);
        }
        return result;
    }

    /** {@link #check(long, String)} for int results. */
    static int check(int result, String call) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, -result);
        }
        return result;
    }

    static ErrnoException error(int errno, String call) {
        return new ErrnoException(call, errno);
    }

    private static int intResult(int rc, MemorySegment state) {
        return rc < 0 ? -errno(state) : rc;
    }

    private static long longResult(long rc, MemorySegment state) {
        return rc < 0 ? -errno(state) : rc;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    static int close(int fd) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) CLOSE.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Returns the mapping's address, or {@code -errno}; user-space addresses are never negative.
     */
    static long mmap(long lengthBytes, int prot, int flags, int fd, long offsetBytes) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            MemorySegment p =
                    (MemorySegment)
                            MMAP.invokeExact(
                                    s,
                                    MemorySegment.NULL,
                                    lengthBytes,
                                    prot,
                                    flags,
                                    fd,
                                    offsetBytes);
            return p.address() == -1L ? -errno(s) : p.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int munmap(long address, long lengthBytes) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult(
                    (int) MUNMAP.invokeExact(s, MemorySegment.ofAddress(address), lengthBytes), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollCreate1(int flags) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) EPOLL_CREATE1.invokeExact(s, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) EPOLL_CTL.invokeExact(s, epfd, op, fd, event), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult(
                    (int) EPOLL_WAIT.invokeExact(s, epfd, events, maxEvents, timeoutMillis), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int eventfd(int initialValue, int flags) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) EVENTFD.invokeExact(s, initialValue, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long read(int fd, MemorySegment buffer, long lengthBytes) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return longResult((long) READ.invokeExact(s, fd, buffer, lengthBytes), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long write(int fd, MemorySegment buffer, long lengthBytes) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return longResult((long) WRITE.invokeExact(s, fd, buffer, lengthBytes), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int socket(int domain, int type, int protocol) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) SOCKET.invokeExact(s, domain, type, protocol), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) SOCKETPAIR.invokeExact(s, domain, type, protocol, fds), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int connect(int fd, MemorySegment address, int addressLength) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) CONNECT.invokeExact(s, fd, address, addressLength), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getsockopt(
            int fd, int level, int name, MemorySegment value, MemorySegment valueLength) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult(
                    (int) GETSOCKOPT.invokeExact(s, fd, level, name, value, valueLength), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int shutdown(int fd, int how) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) SHUTDOWN.invokeExact(s, fd, how), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return longResult((long) SENDMSG.invokeExact(s, fd, msghdr, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return longResult((long) RECVMSG.invokeExact(s, fd, msghdr, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int poll(MemorySegment pollfds, long count, int timeoutMillis) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) POLL.invokeExact(s, pollfds, count, timeoutMillis), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int fcntl(int fd, int command) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return intResult((int) FCNTL.invokeExact(s, fd, command), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long sysconf(int name) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return longResult((long) SYSCONF.invokeExact(s, name), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long syscall3(long number, long a, long b, long c) {
        MemorySegment s = CALL_STATE_BUFFER.get();
        try {
            return longResult((long) SYSCALL3.invokeExact(s, number, a, b, c), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
