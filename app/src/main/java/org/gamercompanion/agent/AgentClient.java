package org.gamercompanion.agent;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.gamercompanion.sys.Fds;
import org.gamercompanion.sys.SeqPacketSocket;
import org.gamercompanion.sys.XIoErrorExit;

/**
 * The app's end of one control connection to a running {@code gamer-agent}.
 *
 * <p>One thread ("agent-control") reads every packet: replies go to the caller waiting in {@link
 * #call}, asynchronous lines ({@code EXEC}, {@code EXITED}, ...) go to the listener given at {@link
 * #connect}. Commands are serialised: one in flight at a time, as the protocol requires.
 *
 * <pre>{@code
 * try (AgentClient agent = AgentClient.connect(socket, line -> {})) {
 *     AgentClient.Rings rings = agent.hello();
 *     agent.watch(pid);
 * }
 * }</pre>
 */
public final class AgentClient implements AutoCloseable {
    private static final long REPLY_TIMEOUT_MS = 10_000;

    private final SeqPacketSocket socket;
    private final Consumer<Protocol.AsyncLine> asyncListener;
    private final BlockingQueue<SeqPacketSocket.Packet> replies = new ArrayBlockingQueue<>(4);
    private final Thread readerThread;
    private volatile boolean closed;
    private volatile String disconnectReason;
    private final AtomicLong execDropped = new AtomicLong();

    /** The ring fds the agent handed over after {@code HELLO}. The caller owns and closes them. */
    public record Rings(
            int[] ringFds, int countersFd, int ringBytes, int cpus, Map<String, String> hello) {
        /** Closes the 16 ring fds and the counters fd (after any reader over them has closed). */
        public void closeFds() {
            for (int fd : ringFds) {
                Fds.close(fd);
            }
            Fds.close(countersFd);
        }
    }

    private AgentClient(SeqPacketSocket socket, Consumer<Protocol.AsyncLine> asyncListener) {
        this.socket = socket;
        this.asyncListener = asyncListener;
        this.readerThread =
                Thread.ofPlatform().daemon().name("agent-control").unstarted(this::readLoop);
    }

    /** Wraps a connected socket and starts the reading thread. */
    public static AgentClient connect(
            SeqPacketSocket socket, Consumer<Protocol.AsyncLine> asyncListener) {
        AgentClient client = new AgentClient(socket, asyncListener);
        // Losing the X server ends the window's process with _exit: close this first, the agent's
        // QUIT.
        XIoErrorExit.closeOnExit(socket);
        client.readerThread.start();
        return client;
    }

    private void readLoop() {
        try {
            while (!closed) {
                SeqPacketSocket.Packet p = socket.receive(1000);
                if (p == null) {
                    continue;
                }
                if (Protocol.isReply(p.line()) || p.line().startsWith("FDS ")) {
                    replies.put(p);
                } else {
                    Protocol.AsyncLine line = Protocol.parseAsync(p.line());
                    if (line instanceof Protocol.ExecDropped d) {
                        execDropped.addAndGet(d.count());
                    }
                    try {
                        asyncListener.accept(line);
                    } catch (RuntimeException e) {
                        // A listener's bug must not cut the control connection (the agent would
                        // exit).
                        System.err.println(
                                "gamer-companion: async listener failed on '"
                                        + p.line()
                                        + "': "
                                        + e);
                    }
                }
            }
        } catch (EOFException e) {
            disconnectReason = "the agent closed the connection";
        } catch (IOException e) {
            disconnectReason = "control socket: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * EXEC lines the agent dropped on this connection because we read too slowly: the sum of its
     * {@code DROPPED EXEC <n>} lines so far (the agent's STATUS {@code exec_dropped} counts the
     * same, and has reported every drop before it answers a STATUS). Game detection does not see
     * the dropped execs.
     */
    long execDropped() {
        return execDropped.get();
    }

    /** Why the connection ended, or null while it is up. */
    String disconnectReason() {
        return disconnectReason;
    }

    /**
     * Sends one command and waits for its reply.
     *
     * @throws AgentException if the agent answers {@code ERR}, or does not answer in 10 s
     */
    public synchronized Reply call(String command) throws AgentException {
        Reply r = callRaw(command);
        if (!r.ok()) {
            throw new AgentException(
                    "agent refused '"
                            + command
                            + "': "
                            + r.code()
                            + " "
                            + String.join(" ", r.words()));
        }
        return r;
    }

    /** Sends one command and returns its reply, {@code ERR} included. */
    public synchronized Reply callRaw(String command) throws AgentException {
        try {
            socket.send(command);
        } catch (IOException e) {
            throw new AgentException("send '" + command + "': " + e.getMessage(), e);
        }
        SeqPacketSocket.Packet p = awaitPacket(command);
        if (!Protocol.isReply(p.line())) {
            throw new AgentException("unexpected line after '" + command + "': " + p.line());
        }
        return Protocol.parseReply(p.line());
    }

    /**
     * Sends raw bytes as one packet and returns the reply (hostile-input tests and diagnostics).
     */
    public synchronized Reply callBytes(byte[] packet) throws AgentException {
        try {
            socket.sendBytes(packet);
        } catch (IOException e) {
            throw new AgentException("send raw packet: " + e.getMessage(), e);
        }
        return Protocol.parseReply(awaitPacket("raw packet").line());
    }

    private SeqPacketSocket.Packet awaitPacket(String what) throws AgentException {
        try {
            SeqPacketSocket.Packet p = replies.poll(REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (p == null) {
                String why = disconnectReason;
                throw new AgentException(
                        "no reply to '"
                                + what
                                + "' "
                                + (why != null
                                        ? "(" + why + ")"
                                        : "within " + REPLY_TIMEOUT_MS + " ms"));
            }
            return p;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted waiting for '" + what + "'", e);
        }
    }

    /** {@code HELLO}: checks the version and receives the 16 ring fds and the counters map fd. */
    public synchronized Rings hello() throws AgentException {
        Reply r = call(Protocol.hello());
        SeqPacketSocket.Packet fds = awaitPacket("FDS after HELLO");
        int expected = Protocol.RING_COUNT + 1;
        if (!fds.line().equals("FDS " + expected) || fds.fds().length != expected) {
            for (int fd : fds.fds()) {
                Fds.close(fd);
            }
            throw new AgentException(
                    "expected 'FDS "
                            + expected
                            + "' with "
                            + expected
                            + " fds, got '"
                            + fds.line()
                            + "' with "
                            + fds.fds().length);
        }
        Map<String, String> f = r.fields();
        int ringBytes = parseInt(f, "ring_bytes");
        int cpus = parseInt(f, "cpus");
        int[] ringFds = Arrays.copyOf(fds.fds(), Protocol.RING_COUNT);
        return new Rings(ringFds, fds.fds()[Protocol.RING_COUNT], ringBytes, cpus, f);
    }

    private static int parseInt(Map<String, String> f, String key) throws AgentException {
        String v = f.get(key);
        if (v == null) {
            throw new AgentException("HELLO reply lacks " + key + "=");
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new AgentException("HELLO reply has a bad " + key + "=" + v);
        }
    }

    public void watch(long tgid) throws AgentException {
        call(Protocol.watch(tgid));
    }

    public void unwatch(long tgid) throws AgentException {
        call(Protocol.unwatch(tgid));
    }

    public void unwatchAll() throws AgentException {
        call(Protocol.unwatchAll());
    }

    /** {@code STATUS} as key/value pairs. */
    public Map<String, String> status() throws AgentException {
        return call("STATUS").fields();
    }

    /** The words of an OK reply to a bench command. */
    public List<String> bench(String args) throws AgentException {
        return call("BENCH " + args).words();
    }

    /** Closes the connection; the agent detaches everything and exits within a second. */
    @Override
    public void close() {
        closed = true;
        socket.close();
        XIoErrorExit.forget(socket);
        try {
            readerThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
