package org.gamercompanion.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileException;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.SessionFile;
import org.gamercompanion.session.CaptureSession;
import org.gamercompanion.wrapper.WrapperClient;
import org.gamercompanion.wrapper.WrapperSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run [--profile NAME] -- CMD...}: the launch wrapper (docs/PROFILES.md), a Steam launch
 * option: {@code gamer-companion run -- %command%}. Starts CMD with this process's stdin, stdout
 * and stderr, then either asks a running Gamer Companion to watch it (through {@link
 * WrapperSocket}), or, with none running, records headless until CMD exits and prints a summary.
 * Either way CMD's exit status is returned, so Steam sees the game's own.
 */
@Command(
        name = "run",
        description = {
            "Launch wrapper: run CMD and have Gamer Companion watch it.",
            "In Steam: Properties > Launch Options: gamer-companion run -- %%command%%",
            "A running Gamer Companion (window or 'record --profiles') watches CMD; with none running, CMD is recorded"
                    + " headless until it exits (needs root or the BPF capabilities). The exit status is CMD's."
        })
final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Apply this profile (default: detection decides).")
    String profile;

    @Option(names = "--profiles-dir", paramLabel = "DIR", hidden = true)
    Path profilesDir;

    @Option(
            names = "--socket",
            paramLabel = "PATH",
            hidden = true,
            description = "Wrapper socket (tests).")
    Path socket;

    @Option(
            names = "--sessions-dir",
            paramLabel = "DIR",
            hidden = true,
            description =
                    "Where record_session profiles write .hlog files (default $XDG_STATE_HOME/gamer-companion/sessions).")
    Path sessionsDir;

    @Parameters(
            arity = "1..*",
            paramLabel = "CMD",
            description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        ProfileStore store = ProfileDetection.store(profilesDir);
        Path wrapperSocket = socket != null ? socket : WrapperSocket.defaultPath();
        Profile chosen = null;
        if (profile != null) {
            chosen =
                    store.list()
                            .find(profile)
                            .map(ProfileStore.Entry::profile)
                            .orElseThrow(
                                    () ->
                                            new ProfileException(
                                                    "run --profile: no profile named \""
                                                            + profile
                                                            + "\" in "
                                                            + store.dir()
                                                            + "; 'profile list' shows the names"));
        }
        if (WrapperClient.isServed(wrapperSocket)) {
            Process child = start();
            Optional<String> reply =
                    WrapperClient.watch(wrapperSocket, child.pid(), Optional.ofNullable(profile));
            log.println(
                    "gamer-companion: "
                            + reply.orElse(
                                    "the Gamer Companion at "
                                            + wrapperSocket
                                            + " went away; running the command unmonitored"));
            return child.waitFor();
        }
        if (!Privileges.canLoadBpf()) {
            log.println(
                    "gamer-companion: no Gamer Companion is running ("
                            + wrapperSocket
                            + ") and this process cannot record itself: "
                            + Privileges.missingReason()
                            + "; running the command unmonitored");
            return start().waitFor();
        }
        return recordHeadless(
                chosen != null
                        ? chosen
                        : Profile.named("run: " + Path.of(command.get(0)).getFileName()),
                log);
    }

    private Process start() throws IOException {
        return new ProcessBuilder(command).inheritIO().start();
    }

    /** The capture starts first, so the child is watched from its first instructions on. */
    private int recordHeadless(Profile p, PrintStream log)
            throws InterruptedException, IOException {
        CaptureSession session;
        try {
            session =
                    CaptureSession.start(
                            CaptureSession.Options.plain()
                                    .withSessionsDir(
                                            sessionsDir != null
                                                    ? sessionsDir
                                                    : SessionFile.defaultDir()),
                            new CaptureSession.Listener() {});
        } catch (AgentException e) {
            log.println(
                    "gamer-companion: cannot record: "
                            + e.getMessage()
                            + "; the command runs unmonitored");
            return start().waitFor();
        }
        long startNs = System.nanoTime();
        Process child = null;
        try (session) {
            child = start();
            session.watch(child.pid());
            session.adopt(child.pid(), p);
            log.println(
                    "gamer-companion: no Gamer Companion running; recording "
                            + child.pid()
                            + " headless until it exits");
            while (!child.waitFor(1, TimeUnit.SECONDS)) {
                session.sample(); // session files get their intervals while the game runs
            }
            int status = child.exitValue();
            session.finish(5_000);
            log.printf(
                    Locale.US,
                    "gamer-companion: %s, %.1f s, lost %d%n",
                    p.name(),
                    (System.nanoTime() - startNs) / 1e9,
                    session.sample().lostTotal());
            for (Kind k : Kind.values()) {
                if (!p.monitor().kinds().contains(k.id())) {
                    continue;
                }
                Histogram h = session.mergedCumulative(k);
                log.printf(
                        Locale.US,
                        "  %-15s %8d samples  p50 %8.1f us  p99 %8.1f us  max %8.1f us%n",
                        k.id(),
                        h.getTotalCount(),
                        us(h, 50),
                        us(h, 99),
                        h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
            }
            return status;
        } catch (AgentException e) {
            log.println("gamer-companion: recording failed: " + e.getMessage());
            return child != null ? child.waitFor() : start().waitFor();
        }
    }

    private static double us(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
