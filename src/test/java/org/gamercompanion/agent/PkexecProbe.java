package org.gamercompanion.agent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.dashboard.AgentController;
import org.gamercompanion.dashboard.AgentStatus;
import org.gamercompanion.dashboard.LiveCaptureBackend;
import org.gamercompanion.dashboard.SnapshotHandoff;
import org.gamercompanion.process.ProcessInfo;
import org.gamercompanion.snapshot.Snapshot;
import org.gamercompanion.sys.SeqPacketSocket;

/**
 * The app's side of the privileged launch, run by {@link PkexecLaunchTest} as an unprivileged test
 * user. It reports on stdout, one line per step, and takes its cues from stdin, so the test (root)
 * can act between the steps without sleeping.
 *
 * <ul>
 *   <li>{@code controller}: the dashboard's {@link AgentController} with the real backend. Prints
 *       {@code WAIT <text>} when a start begins (what the window says meanwhile) and {@code STATUS
 *       <phase> <pid> <text>} for each settled start; after a FAILED start it starts again once
 *       (the window's Start button) and exits; after RUNNING it waits for {@code CLOSE}, stops, and
 *       prints {@code STOPPED}.
 *   <li>{@code raw}: {@link AgentLauncher} step by step. Prints {@code LISTENING <name> <pid>} (or
 *       {@code FAILED <message>}), waits for {@code CONNECT}, says HELLO and STATUS and prints
 *       {@code HELLO <fields>} and {@code STATUS ok}, waits for {@code CLOSE}, closes the
 *       connection and prints {@code EXITED <code> <ms>} (or {@code NOT_EXITED}) after at most 2 s.
 * </ul>
 */
public final class PkexecProbe {
    private PkexecProbe() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (args[0]) {
            case "controller" -> controller(in);
            case "raw" -> raw(in);
            default -> throw new IllegalArgumentException("mode: controller | raw");
        }
        System.out.flush();
        System.exit(0);
    }

    private static void controller(BufferedReader in) throws Exception {
        LinkedBlockingQueue<AgentStatus> settled = new LinkedBlockingQueue<>();
        AgentController.Listener listener =
                new AgentController.Listener() {
                    @Override
                    public void agentStatus(AgentStatus s) {
                        if (s.phase() == AgentStatus.Phase.STARTING) {
                            // ASCII: the probe runs with a cleared environment, so its stdout
                            // charset may not be UTF-8.
                            System.out.println("WAIT " + s.text().replace("\u2026", "..."));
                            System.out.flush();
                        } else if (s.phase() != AgentStatus.Phase.STOPPING) {
                            settled.add(s);
                        }
                    }

                    @Override
                    public void hello(Map<String, String> hello) {}

                    @Override
                    public void watched(ProcessInfo target) {}

                    @Override
                    public void selftestRunning(boolean running) {}

                    @Override
                    public void message(String text) {}
                };
        AgentController c =
                new AgentController(
                        new LiveCaptureBackend(),
                        listener,
                        new SnapshotHandoff<Snapshot>(Runnable::run, snapshot -> {}));
        c.start();
        AgentStatus s = settled.poll(5, TimeUnit.MINUTES);
        print(s);
        if (s != null && s.phase() == AgentStatus.Phase.FAILED) {
            c.start(); // the retry: a failed start must leave the controller ready for another
            print(settled.poll(5, TimeUnit.MINUTES));
        } else if (s != null && s.phase() == AgentStatus.Phase.RUNNING) {
            awaitLine(in, "CLOSE");
            c.stop();
            AgentStatus stopped = settled.poll(1, TimeUnit.MINUTES);
            System.out.println(
                    stopped != null && stopped.phase() == AgentStatus.Phase.STOPPED
                            ? "STOPPED"
                            : "NOT_STOPPED");
        }
        c.shutdown(10_000);
    }

    private static void print(AgentStatus s) {
        if (s == null) {
            System.out.println("STATUS NONE 0 no settled status within the bound");
            return;
        }
        // One line per status: the detail's line breaks become " | ".
        System.out.println("STATUS " + s.phase() + " " + s.pid() + " " + s.text());
        System.out.println("DETAIL " + s.detail().replace('\n', '|'));
        System.out.flush();
    }

    private static void raw(BufferedReader in) throws Exception {
        AgentLauncher launcher;
        try {
            launcher = AgentLauncher.forThisProcess();
        } catch (AgentException e) {
            System.out.println("FAILED " + e.getMessage().replace('\n', '|'));
            return;
        }
        Process p =
                launcher.processBuilder(List.of())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        BufferedReader agentOut =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = agentOut.readLine();
        if (line == null || !line.matches("LISTENING @[0-9a-f]{5}")) {
            p.waitFor(5, TimeUnit.SECONDS);
            System.out.println(
                    "FAILED " + line + " exit " + (p.isAlive() ? "running" : p.exitValue()));
            return;
        }
        String name = line.substring("LISTENING @".length());
        System.out.println("LISTENING " + name + " " + p.pid());
        System.out.flush();
        awaitLine(in, "CONNECT");
        SeqPacketSocket socket = SeqPacketSocket.connectAbstract(name);
        AgentProcess.checkPeer(socket, p.pid());
        AgentClient client = AgentClient.connect(socket, l -> {});
        AgentClient.Rings rings = client.hello();
        rings.closeFds();
        System.out.println("HELLO " + rings.hello());
        System.out.println(
                "STATUS "
                        + (client.status().containsKey("input_hook")
                                ? "ok"
                                : "missing input_hook"));
        System.out.flush();
        awaitLine(in, "CLOSE");
        long closedAt = System.nanoTime();
        client.close();
        // The contract is 1 s; 2 s keeps a loaded machine from failing a correct agent.
        if (p.waitFor(2, TimeUnit.SECONDS)) {
            System.out.println(
                    "EXITED "
                            + p.exitValue()
                            + " "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt));
        } else {
            System.out.println("NOT_EXITED");
        }
    }

    private static void awaitLine(BufferedReader in, String expected) throws Exception {
        String l = in.readLine();
        if (!expected.equals(l)) {
            throw new IllegalStateException("expected " + expected + " on stdin, got " + l);
        }
    }
}
