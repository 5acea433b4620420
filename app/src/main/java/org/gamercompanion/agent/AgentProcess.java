package org.gamercompanion.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gamercompanion.sys.SeqPacketSocket;

/**
 * A running {@code gamer-agent} process and its control connection.
 *
 * <p>Start: the agent launched (directly or through pkexec: {@link AgentLauncher}), its {@code
 * LISTENING @name} line awaited (the abstract socket name the kernel chose for it: nobody can take
 * that name first), then the connection. The agent checks our uid with SO_PEERCRED, and we check
 * that the peer we reached is the agent's pid. Stop: closing the connection is the signal; the
 * agent detaches and exits within a second, and {@link #close} only kills it if it does not and we
 * may (a root agent started through pkexec cannot be signalled by us).
 */
public final class AgentProcess implements AutoCloseable {
    private static final int STDERR_LINES_KEPT = 40;

    /**
     * The agent exits within 1 s of the connection closing (DESIGN.md section 1); 2 s is generous.
     */
    private static final long EXIT_GRACE_MS = 2000;

    /** The agent's first line: the kernel's autobind name is five lower-case hex digits. */
    private static final Pattern LISTENING = Pattern.compile("LISTENING @([0-9a-f]{5})");

    private final Process process;
    private final AgentClient client;
    private final Deque<String> stderrTail;
    private final boolean canSignal;

    /**
     * One future for every caller: {@link Process#onExit} makes a new one per call, completed
     * asynchronously.
     */
    private final CompletableFuture<Integer> exit;

    private AgentProcess(
            Process process, AgentClient client, Deque<String> stderrTail, boolean canSignal) {
        this.process = process;
        this.client = client;
        this.stderrTail = stderrTail;
        this.canSignal = canSignal;
        this.exit = process.onExit().thenApply(Process::exitValue);
    }

    /** Options for starting the agent. */
    public record Options(int ringKib, boolean bench, boolean verbose) {
        public static Options defaults() {
            return new Options(0, false, false);
        }
    }

    /**
     * Whether {@link #start} would go through pkexec, and so may wait for polkit's password dialog;
     * false where the start fails at once (it then says what is missing).
     */
    public static boolean startAsksForAuthorisation() {
        try {
            return AgentLauncher.forThisProcess().mode() == AgentLauncher.Mode.PKEXEC;
        } catch (AgentException e) {
            return false;
        }
    }

    /**
     * Starts the agent and connects to it: directly when this process may load BPF, otherwise
     * through pkexec (which may show polkit's password dialog; this call waits for it, bounded).
     *
     * @throws AgentException with a message a player can act on: what is missing ("needs the
     *     installed package or root"), "authorisation cancelled", "not authorised: ...", or the
     *     agent's own failure
     */
    public static AgentProcess start(Options options, Consumer<Protocol.AsyncLine> asyncListener)
            throws AgentException {
        AgentLauncher launcher = AgentLauncher.forThisProcess();
        List<String> args = new ArrayList<>();
        if (options.ringKib() > 0) {
            args.addAll(List.of("--ring-kib", Integer.toString(options.ringKib())));
        }
        if (options.bench()) {
            args.add("--bench");
        }
        if (options.verbose()) {
            args.add("-v");
        }
        warmUpConnect();
        Process process;
        try {
            process = launcher.processBuilder(args).start();
        } catch (IOException e) {
            throw new AgentException(
                    "failed to start " + launcher.command(args).get(0) + ": " + e.getMessage(), e);
        }
        Deque<String> stderrTail = new ArrayDeque<>();
        Thread stderrPump = pumpStderr(process, stderrTail, options.verbose());
        CompletableFuture<String> firstLine =
                CompletableFuture.supplyAsync(
                        () -> readFirstLine(process),
                        r -> Thread.ofPlatform().daemon().name("agent-stdout").start(r));
        long timeoutMs = launcher.listenTimeoutMillis();
        String line;
        try {
            line = firstLine.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Before pkexec's exec this ends pkexec and its dialog; a root agent that already runs
            // cannot be signalled, but it exits by itself when nobody connects within 10 s.
            process.destroyForcibly();
            throw new AgentException(
                    "gamer-agent did not start listening within "
                            + timeoutMs
                            + " ms"
                            + (launcher.mode() == AgentLauncher.Mode.PKEXEC
                                    ? " (no answer to the authorisation request)"
                                    : "")
                            + tail(stderrTail));
        } catch (ExecutionException | InterruptedException e) {
            process.destroyForcibly();
            throw new AgentException("gamer-agent start: " + e.getMessage() + tail(stderrTail), e);
        }
        Matcher listening = line == null ? null : LISTENING.matcher(line);
        if (listening == null || !listening.matches()) {
            // stdout closed or carried something else: the process is exiting; its stderr says why.
            if (!awaitExit(process, EXIT_GRACE_MS)) {
                process.destroyForcibly();
                awaitExit(process, EXIT_GRACE_MS);
            }
            joinQuietly(stderrPump, EXIT_GRACE_MS);
            String why =
                    process.isAlive()
                            ? null
                            : launcher.failure(process.exitValue(), lines(stderrTail));
            if (why != null) {
                throw new AgentException("cannot start gamer-agent: " + why + tail(stderrTail));
            }
            throw new AgentException(
                    "gamer-agent failed to start: "
                            + (line == null ? "exit " + exitCodeOrRunning(process) : line)
                            + tail(stderrTail));
        }
        String name = listening.group(1);
        SeqPacketSocket socket;
        try {
            socket = SeqPacketSocket.connectAbstract(name);
            checkPeer(socket, process.pid());
        } catch (IOException e) {
            process.destroyForcibly();
            throw new AgentException(
                    "connect to gamer-agent at @" + name + ": " + e.getMessage(), e);
        }
        return new AgentProcess(
                process,
                AgentClient.connect(socket, asyncListener),
                stderrTail,
                launcher.canSignalAgent());
    }

    /**
     * Checks that the peer of {@code socket} is the process we started ({@code SO_PEERCRED}, filled
     * in by the kernel): pkexec execs the agent in place, so the agent's pid is the one we spawned.
     * If the agent died between LISTENING and our connect, whoever bound the free name since then
     * would otherwise get our commands and hand us its own ring fds; the socket is closed then.
     */
    static void checkPeer(SeqPacketSocket socket, long agentPid) throws IOException {
        SeqPacketSocket.PeerCredentials peer;
        try {
            peer = socket.peerCredentials();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        if (peer.pid() != agentPid) {
            socket.close();
            throw new AgentException(
                    "the socket's peer is pid "
                            + peer.pid()
                            + " (uid "
                            + peer.uid()
                            + "), not the agent we started (pid "
                            + agentPid
                            + "); connection closed");
        }
    }

    /**
     * Runs connect() once, refused (nobody listens on that name), so that its FFM downcall is
     * linked before the agent's 10 s first-connect window opens: on a slow machine (a loaded
     * laptop; the VM test under TCG) the first call took longer than that and the agent gave up.
     */
    private static void warmUpConnect() {
        try {
            // Not five hex digits, so never an autobound name that someone could be listening on.
            SeqPacketSocket.connectAbstract(
                            "gamer-companion.warmup." + ProcessHandle.current().pid())
                    .close();
        } catch (IOException | RuntimeException expected) {
            // ECONNREFUSED: the call is what matters, not its result.
        }
    }

    private static String readFirstLine(Process process) {
        try {
            BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8));
            String first = r.readLine();
            // Keep draining so the agent never blocks on a full stdout pipe.
            Thread.ofPlatform()
                    .daemon()
                    .name("agent-stdout-drain")
                    .start(
                            () -> {
                                try {
                                    while (r.readLine() != null) {
                                        // discarded: the agent's stdout carries only the LISTENING
                                        // line by contract
                                    }
                                } catch (IOException ignored) {
                                    // the agent went away
                                }
                            });
            return first;
        } catch (IOException e) {
            return null;
        }
    }

    private static Thread pumpStderr(Process process, Deque<String> tail, boolean echo) {
        return Thread.ofPlatform()
                .daemon()
                .name("agent-stderr")
                .start(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getErrorStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    if (echo) {
                                        System.err.println("agent: " + line);
                                    }
                                    synchronized (tail) {
                                        if (tail.size() == STDERR_LINES_KEPT) {
                                            tail.removeFirst();
                                        }
                                        tail.addLast(line);
                                    }
                                }
                            } catch (IOException ignored) {
                                // the agent went away
                            }
                        });
    }

    private static String tail(Deque<String> tail) {
        synchronized (tail) {
            return tail.isEmpty() ? "" : "\n  agent stderr:\n    " + String.join("\n    ", tail);
        }
    }

    private static List<String> lines(Deque<String> tail) {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    private static void joinQuietly(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exitCodeOrRunning(Process p) {
        return p.isAlive() ? "(still running)" : Integer.toString(p.exitValue());
    }

    private static boolean awaitExit(Process p, long millis) {
        try {
            return p.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public AgentClient client() {
        return client;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Completes with the exit code ({@link Process#exitValue}: 128 + N for signal N) when the
     * agent's process ends.
     */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /**
     * How the agent ended, for a player: {@code the agent died (signal 9)} or {@code the agent
     * exited (code 1)}; its own exit codes are 0, 1 and 64, so above 128 is a signal.
     */
    public static String describeExit(int exitCode) {
        if (exitCode < 0) {
            return "the agent ended (exit code unknown)";
        }
        return exitCode > 128
                ? "the agent died (signal " + (exitCode - 128) + ")"
                : "the agent exited (code " + exitCode + ")";
    }

    /** The last lines the agent wrote to stderr (its exit reason, when it died). */
    public String stderrTail() {
        return tail(stderrTail);
    }

    /**
     * Closes the connection and waits up to 2 s for the agent to exit by itself (it should take
     * under 1 s); then kills it where we may, and never waits more than another 2 s.
     *
     * @return the agent's exit code, or -1 if it had to be killed or did not exit
     */
    public int stop() {
        client.close();
        if (awaitExit(process, EXIT_GRACE_MS)) {
            return process.exitValue();
        }
        if (canSignal) {
            process.destroyForcibly();
            awaitExit(process, EXIT_GRACE_MS);
        } else {
            System.err.println(
                    "gamer-agent (pid "
                            + process.pid()
                            + ", root through pkexec) did not exit within "
                            + EXIT_GRACE_MS
                            + " ms of its connection closing, and this process may not signal it");
        }
        return -1;
    }

    @Override
    public void close() {
        stop();
    }
}
