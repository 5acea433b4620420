package org.gamercompanion.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ProtocolException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A connected {@code AF_UNIX SOCK_SEQPACKET} socket: one packet is one protocol line, and a packet
 * may carry file descriptors ({@code SCM_RIGHTS}). The agent's control connection (see
 * docs/PROTOCOL.md).
 *
 * <p>Thread safety: {@link #send}, {@link #receive} and {@link #close} may be called from different
 * threads. {@link #close} shuts the socket down first, which wakes a thread blocked in {@link
 * #receive} (it gets an {@link EOFException}); the descriptor itself is closed only when no call is
 * still using it, so a number that the kernel hands out again is never touched.
 *
 * <pre>{@code
 * try (SeqPacketSocket agent = SeqPacketSocket.connectAbstract("gamer-companion.4711.0123456789abcdef")) {
 *     agent.send("HELLO 1");
 *     SeqPacketSocket.Packet reply = agent.receive(5_000);   // null on timeout
 * }
 * }</pre>
 */
public final class SeqPacketSocket implements AutoCloseable {
    /**
     * Receive buffer: the protocol allows 512 bytes; anything beyond this is reported as truncated.
     */
    static final int RECEIVE_BUFFER_BYTES = 4096;

    /** Descriptors one received packet may carry (the agent sends 17). */
    static final int MAX_RECEIVED_FDS = 64;

    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int SO_PEERCRED = 17;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final short POLLIN = 0x1;
    private static final short POLLHUP = 0x10;
    private static final short POLLRDHUP = 0x2000;
    private static final int SHUT_RDWR = 2;
    private static final int SUN_PATH_BYTES = 108;
    private static final int SUN_PATH_OFFSET = 2;
    // LP64 struct msghdr / iovec / cmsghdr offsets (x86_64 and aarch64 agree).
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSG_FLAGS = 48;
    private static final long MSGHDR_BYTES = 56;
    private static final long IOVEC_BYTES = 16;
    private static final long CMSG_HEADER_BYTES = 16;
    private static final int[] NO_FDS = new int[0];

    private final int fd;
    private final Object lifecycle = new Object();
    private int callsInFlight;
    private boolean closed;

    private SeqPacketSocket(int fd) {
        this.fd = fd;
    }

    /**
     * One received packet: the line without its trailing {@code '\n'}, and the descriptors it
     * carried (close-on-exec; the receiver owns them and must close them).
     */
    public record Packet(String line, int[] fds) {
        @Override
        public String toString() {
            return "Packet[" + line + ", fds=" + Arrays.toString(fds) + "]";
        }
    }

    /**
     * Connects to the abstract-namespace name {@code name} (given without the leading {@code '@'}
     * or NUL; at most 107 bytes of UTF-8).
     *
     * @throws ErrnoException e.g. {@code connect(@gamer-companion.1.x): ECONNREFUSED} when nobody
     *     listens on that name
     */
    public static SeqPacketSocket connectAbstract(String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length == 0 || nameBytes.length > SUN_PATH_BYTES - 1) {
            throw new IllegalArgumentException(
                    "abstract socket name must be 1.."
                            + (SUN_PATH_BYTES - 1)
                            + " bytes (was "
                            + nameBytes.length
                            + ")");
        }
        int fd =
                Libc.check(
                        Libc.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0),
                        "socket(AF_UNIX, SOCK_SEQPACKET)");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SUN_PATH_OFFSET + SUN_PATH_BYTES);
            address.set(JAVA_SHORT, 0, (short) AF_UNIX);
            // sun_path[0] stays NUL: that selects the abstract namespace; the name is not
            // NUL-terminated.
            MemorySegment.copy(
                    nameBytes, 0, address, JAVA_BYTE, SUN_PATH_OFFSET + 1, nameBytes.length);
            int addressLength = SUN_PATH_OFFSET + 1 + nameBytes.length;
            Libc.check(Libc.connect(fd, address, addressLength), "connect(@" + name + ")");
            return new SeqPacketSocket(fd);
        } catch (IOException | RuntimeException e) {
            Fds.close(fd);
            throw e;
        }
    }

    /** Two connected sockets ({@code socketpair}), for tests and for handing one end to a child. */
    public static SeqPacketSocket[] pair() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Libc.check(
                    Libc.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds),
                    "socketpair(AF_UNIX, SOCK_SEQPACKET)");
            return new SeqPacketSocket[] {
                new SeqPacketSocket(fds.getAtIndex(JAVA_INT, 0)),
                new SeqPacketSocket(fds.getAtIndex(JAVA_INT, 1))
            };
        }
    }

    /** Sends {@code line} as one packet of US-ASCII bytes (no {@code '\n'} is added). */
    public void send(String line) throws IOException {
        sendPacket(line.getBytes(StandardCharsets.US_ASCII), NO_FDS);
    }

    /** Sends {@code line} as one packet carrying duplicates of {@code fds} ({@code SCM_RIGHTS}). */
    void sendWithFds(String line, int[] fds) throws IOException {
        sendPacket(line.getBytes(StandardCharsets.US_ASCII), fds);
    }

    /** Sends {@code packet} as is: for tests that feed the agent hostile bytes. */
    public void sendBytes(byte[] packet) throws IOException {
        sendPacket(packet, NO_FDS);
    }

    /**
     * Next packet, or null when timeoutMillis passes first; throws java.io.EOFException when the
     * peer closed. A negative timeout waits forever, 0 only checks. (An empty packet that arrives
     * just before the peer closes reads as end of file; the protocol never sends empty packets.)
     *
     * @throws EOFException when the peer closed the connection (or this socket was closed)
     * @throws ProtocolException when a packet exceeded {@value #RECEIVE_BUFFER_BYTES} bytes or
     *     carried more than {@value #MAX_RECEIVED_FDS} descriptors; that packet is consumed (its
     *     descriptors closed) and the connection stays usable
     * @throws ClosedChannelException when called after {@link #close}
     */
    public Packet receive(long timeoutMillis) throws IOException {
        enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollFd = arena.allocate(8);
            MemorySegment buffer = arena.allocate(RECEIVE_BUFFER_BYTES);
            MemorySegment control = arena.allocate(CMSG_HEADER_BYTES + 4L * MAX_RECEIVED_FDS, 8);
            MemorySegment iov = arena.allocate(IOVEC_BYTES, 8);
            MemorySegment msg = arena.allocate(MSGHDR_BYTES, 8);
            long startNanos = System.nanoTime();
            long timeoutNanos =
                    timeoutMillis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                short revents = awaitReadable(pollFd, startNanos, timeoutNanos);
                if (revents == 0) {
                    return null;
                }
                iov.set(ADDRESS, 0, buffer);
                iov.set(JAVA_LONG, 8, RECEIVE_BUFFER_BYTES);
                msg.fill((byte) 0);
                msg.set(ADDRESS, MSG_IOV, iov);
                msg.set(JAVA_LONG, MSG_IOVLEN, 1);
                msg.set(ADDRESS, MSG_CONTROL, control);
                msg.set(JAVA_LONG, MSG_CONTROLLEN, control.byteSize());
                // MSG_TRUNC as an input flag makes the kernel return the packet's real length.
                long n = Libc.recvmsg(fd, msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT | MSG_TRUNC);
                if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
                    continue;
                }
                Libc.check(n, "recvmsg(fd " + fd + ")");
                int flags = msg.get(JAVA_INT, MSG_FLAGS);
                int[] fds = receivedFds(control, msg.get(JAVA_LONG, MSG_CONTROLLEN));
                if ((flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
                    for (int received : fds) {
                        Fds.close(received);
                    }
                    throw new ProtocolException(truncation(flags, n));
                }
                if (n == 0 && fds.length == 0 && (revents & (POLLHUP | POLLRDHUP)) != 0) {
                    throw new EOFException("recvmsg(fd " + fd + "): peer closed the connection");
                }
                return new Packet(line(buffer, (int) n), fds);
            }
        } finally {
            leave();
        }
    }

    public int fd() {
        return fd;
    }

    /**
     * The peer's credentials as the kernel recorded them at {@code connect()}/{@code listen()}
     * ({@code SO_PEERCRED}): nothing the peer claims.
     */
    public record PeerCredentials(long pid, long uid, long gid) {}

    /** {@code getsockopt(SO_PEERCRED)} of this connected socket. */
    public PeerCredentials peerCredentials() throws IOException {
        enter();
        try (Arena arena = Arena.ofConfined()) {
            // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: three 32-bit fields.
            MemorySegment ucred = arena.allocate(12, 4);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 12);
            Libc.check(
                    Libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, length),
                    "getsockopt(SO_PEERCRED)");
            return new PeerCredentials(
                    Integer.toUnsignedLong(ucred.get(JAVA_INT, 0)),
                    Integer.toUnsignedLong(ucred.get(JAVA_INT, 4)),
                    Integer.toUnsignedLong(ucred.get(JAVA_INT, 8)));
        } finally {
            leave();
        }
    }

    /**
     * Shuts the connection down (the peer sees end of file) and closes the descriptor. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            Libc.shutdown(fd, SHUT_RDWR);
            if (callsInFlight == 0) {
                Fds.close(fd);
            }
        }
    }

    private void enter() throws ClosedChannelException {
        synchronized (lifecycle) {
            if (closed) {
                throw new ClosedChannelException();
            }
            callsInFlight++;
        }
    }

    private void leave() {
        synchronized (lifecycle) {
            if (--callsInFlight == 0 && closed) {
                Fds.close(fd);
            }
        }
    }

    private void sendPacket(byte[] bytes, int[] fds) throws IOException {
        enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            MemorySegment iov = arena.allocate(IOVEC_BYTES, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, bytes.length);
            MemorySegment msg = arena.allocate(MSGHDR_BYTES, 8);
            msg.set(ADDRESS, MSG_IOV, iov);
            msg.set(JAVA_LONG, MSG_IOVLEN, 1);
            if (fds.length > 0) {
                long cmsgLength = CMSG_HEADER_BYTES + 4L * fds.length;
                MemorySegment control = arena.allocate((cmsgLength + 7) & ~7L, 8);
                control.set(JAVA_LONG, 0, cmsgLength);
                control.set(JAVA_INT, 8, SOL_SOCKET);
                control.set(JAVA_INT, 12, SCM_RIGHTS);
                MemorySegment.copy(fds, 0, control, JAVA_INT, CMSG_HEADER_BYTES, fds.length);
                msg.set(ADDRESS, MSG_CONTROL, control);
                msg.set(JAVA_LONG, MSG_CONTROLLEN, control.byteSize());
            }
            // MSG_NOSIGNAL: a closed peer is an EPIPE error here, not a process-wide SIGPIPE.
            long n = Libc.sendmsg(fd, msg, MSG_NOSIGNAL);
            while (n == -Errno.EINTR) {
                n = Libc.sendmsg(fd, msg, MSG_NOSIGNAL);
            }
            Libc.check(
                    n,
                    "sendmsg(fd " + fd + ", " + bytes.length + " bytes, " + fds.length + " fds)");
        } finally {
            leave();
        }
    }

    /** Polls until readable or the timeout; returns revents, 0 on timeout. Timeout -1: forever. */
    private short awaitReadable(MemorySegment pollFd, long startNanos, long timeoutNanos)
            throws ErrnoException {
        while (true) {
            int timeoutMillis;
            if (timeoutNanos < 0) {
                timeoutMillis = -1;
            } else {
                // Elapsed time, not a deadline: start + timeout could overflow for huge timeouts.
                long remainingNanos = timeoutNanos - (System.nanoTime() - startNanos);
                // Round up so a positive remainder never turns into a busy 0 ms poll.
                long remainingMillis =
                        Math.max(
                                0,
                                remainingNanos / 1_000_000
                                        + (remainingNanos % 1_000_000 > 0 ? 1 : 0));
                timeoutMillis = (int) Math.min(Integer.MAX_VALUE, remainingMillis);
            }
            pollFd.set(JAVA_INT, 0, fd);
            pollFd.set(JAVA_SHORT, 4, (short) (POLLIN | POLLRDHUP));
            pollFd.set(JAVA_SHORT, 6, (short) 0);
            int ready = Libc.poll(pollFd, 1, timeoutMillis);
            if (ready == -Errno.EINTR) {
                continue;
            }
            Libc.check(ready, "poll(fd " + fd + ")");
            if (ready == 0) {
                return 0;
            }
            return pollFd.get(JAVA_SHORT, 6);
        }
    }

    private static int[] receivedFds(MemorySegment control, long controlLength) {
        int[] fds = NO_FDS;
        long offset = 0;
        while (offset + CMSG_HEADER_BYTES <= controlLength) {
            long cmsgLength = control.get(JAVA_LONG, offset);
            if (cmsgLength < CMSG_HEADER_BYTES || offset + cmsgLength > controlLength) {
                break;
            }
            if (control.get(JAVA_INT, offset + 8) == SOL_SOCKET
                    && control.get(JAVA_INT, offset + 12) == SCM_RIGHTS) {
                int count = (int) ((cmsgLength - CMSG_HEADER_BYTES) / 4);
                int[] more = new int[count];
                MemorySegment.copy(control, JAVA_INT, offset + CMSG_HEADER_BYTES, more, 0, count);
                int[] all = Arrays.copyOf(fds, fds.length + count);
                System.arraycopy(more, 0, all, fds.length, count);
                fds = all;
            }
            offset += (cmsgLength + 7) & ~7L;
        }
        return fds;
    }

    private String truncation(int flags, long realLength) {
        if ((flags & MSG_CTRUNC) != 0) {
            return "recvmsg(fd "
                    + fd
                    + "): descriptors truncated (MSG_CTRUNC): a packet carried more than "
                    + MAX_RECEIVED_FDS
                    + " fds; the kernel closed the extra ones and the packet was dropped";
        }
        return "recvmsg(fd "
                + fd
                + "): packet of "
                + realLength
                + " bytes truncated (MSG_TRUNC) to "
                + RECEIVE_BUFFER_BYTES
                + " bytes and dropped";
    }

    private static String line(MemorySegment buffer, int length) {
        int end = Math.min(length, RECEIVE_BUFFER_BYTES);
        if (end > 0 && buffer.get(JAVA_BYTE, end - 1) == '\n') {
            end--;
        }
        byte[] bytes = new byte[end];
        MemorySegment.copy(buffer, JAVA_BYTE, 0, bytes, 0, end);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
