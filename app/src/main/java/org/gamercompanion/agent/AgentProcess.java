package org.gamercompanion.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.gamercompanion.sys.SeqPacketSocket;

/**
 * A running {@code gamer-agent} process and its control connection.
 *
 * <p>Start: a random abstract socket name, the agent launched with {@code --socket @name}, its
 * {@code LISTENING} line awaited, then the connection. The agent checks our uid with SO_PEERCRED.
 * Stop: closing the connection is the signal; the agent detaches and exits within a second, and
 * {@link #close} only kills it if it does not.
 */
public final class AgentProcess implements AutoCloseable {
    private static final long LISTEN_TIMEOUT_MS = 20_000;
    private static final int STDERR_LINES_KEPT = 40;

    private final Process process;
    private final AgentClient client;
    private final Deque<String> stderrTail;

    private AgentProcess(Process process, AgentClient client, Deque<String> stderrTail) {
        this.process = process;
        this.client = client;
        this.stderrTail = stderrTail;
    }

    /** Options for starting the agent. */
    public record Options(int ringKib, boolean bench, boolean verbose) {
        public static Options defaults() {
            return new Options(0, false, false);
        }
    }

    /**
     * Starts the agent (directly: this process must be privileged; the polkit path belongs to the
     * installer) and connects to it.
     */
    public static AgentProcess start(Options options, java.util.function.Consumer<Protocol.AsyncLine> asyncListener)
            throws AgentException {
        if (!Privileges.canLoadBpf()) {
            throw new AgentException("cannot start gamer-agent: " + Privileges.missingReason());
        }
        String name = "gamer-companion." + ProcessHandle.current().pid() + "."
                + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        List<String> cmd = new ArrayList<>(List.of(NativeBinaries.agent().toString(), "--socket", "@" + name));
        if (options.ringKib() > 0) {
            cmd.addAll(List.of("--ring-kib", Integer.toString(options.ringKib())));
        }
        if (options.bench()) {
            cmd.add("--bench");
        }
        if (options.verbose()) {
            cmd.add("-v");
        }
        warmUpConnect(name);
        Process process;
        try {
            process = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new AgentException("failed to start " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        Deque<String> stderrTail = new ArrayDeque<>();
        pumpStderr(process, stderrTail, options.verbose());
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readFirstLine(process),
                r -> Thread.ofPlatform().daemon().name("agent-stdout").start(r));
        String line;
        try {
            line = firstLine.get(LISTEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new AgentException("gamer-agent did not start listening within " + LISTEN_TIMEOUT_MS + " ms"
                    + tail(stderrTail));
        } catch (ExecutionException | InterruptedException e) {
            process.destroyForcibly();
            throw new AgentException("gamer-agent start: " + e.getMessage() + tail(stderrTail), e);
        }
        if (line == null || !line.equals("LISTENING @" + name)) {
            process.destroyForcibly();
            awaitExit(process, 1000);
            throw new AgentException("gamer-agent failed to start: "
                    + (line == null ? "exit " + exitCodeOrRunning(process) : line) + tail(stderrTail));
        }
        SeqPacketSocket socket;
        try {
            socket = SeqPacketSocket.connectAbstract(name);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new AgentException("connect to gamer-agent: " + e.getMessage(), e);
        }
        return new AgentProcess(process, AgentClient.connect(socket, asyncListener), stderrTail);
    }

    /**
     * Runs connect() once, refused (nobody listens on that name), so that its FFM downcall is
     * linked before the agent's 10 s first-connect window opens: on a slow machine (a loaded
     * laptop; the VM test under TCG) the first call took longer than that and the agent gave up.
     */
    private static void warmUpConnect(String name) {
        try {
            SeqPacketSocket.connectAbstract(name + ".warmup").close();
        } catch (IOException | RuntimeException expected) {
            // ECONNREFUSED: the call is what matters, not its result.
        }
    }

    private static String readFirstLine(Process process) {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = r.readLine();
            // Keep draining so the agent never blocks on a full stdout pipe.
            Thread.ofPlatform().daemon().name("agent-stdout-drain").start(() -> {
                try {
                    while (r.readLine() != null) {
                        // discarded: the agent's stdout carries only the LISTENING line by contract
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

    private static void pumpStderr(Process process, Deque<String> tail, boolean echo) {
        Thread.ofPlatform().daemon().name("agent-stderr").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
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

    /** The last lines the agent wrote to stderr (its exit reason, when it died). */
    public String stderrTail() {
        return tail(stderrTail);
    }

    /**
     * Closes the connection and waits up to 2 s for the agent to exit by itself (it should take
     * under 1 s); kills it after that.
     *
     * @return the agent's exit code, or -1 if it had to be killed
     */
    public int stop() {
        client.close();
        if (awaitExit(process, 2000)) {
            return process.exitValue();
        }
        process.destroyForcibly();
        awaitExit(process, 2000);
        return -1;
    }

    @Override
    public void close() {
        stop();
    }
}
