package org.gamercompanion.wrapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.capture.LiveCapture;
import org.gamercompanion.detect.GameDetector;
import org.gamercompanion.files.UserDirs;
import org.gamercompanion.detect.ProfileApplier;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileException;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.SessionFile;

/**
 * The launch wrapper, {@code gamer-companion run [--profile NAME] -- CMD...} (a Steam launch
 * option: {@code gamer-companion run -- %command%}). Starts CMD with this process's stdin, stdout
 * and stderr, then either asks a running Gamer Companion to watch it (through {@link
 * WrapperSocket}), or, with none running, records headless until CMD exits and prints a summary.
 * Either way CMD's exit status is returned, so Steam sees the game's own.
 */
public final class Wrapper {
    /**
     * @param profile the profile to apply, by name; empty: the running app's detection decides
     * @param store where profile names are looked up
     * @param sessionsDir where a profile with {@code monitor.record_session = true} writes its .hlog
     *     when recording headless
     */
    public record Request(List<String> command, Optional<String> profile, Path socket, ProfileStore store,
            PrintStream log, Path sessionsDir) {}

    /** {@code $XDG_STATE_HOME/gamer-companion/sessions} (default {@code ~/.local/state/...}). */
    public static Path defaultSessionsDir() {
        return UserDirs.current().state().resolve("sessions");
    }

    private Wrapper() {}

    /** Runs the command; returns its exit status. */
    public static int run(Request req) throws IOException, InterruptedException, ProfileException {
        Profile profile = null;
        if (req.profile().isPresent()) {
            String name = req.profile().get();
            profile = req.store().list().find(name).map(ProfileStore.Entry::profile).orElseThrow(
                    () -> new ProfileException("run --profile: no profile named \"" + name + "\" in " + req.store().dir()
                            + "; 'profile list' shows the names"));
        }
        if (WrapperClient.isServed(req.socket())) {
            Process child = start(req);
            Optional<String> reply = WrapperClient.watch(req.socket(), child.pid(), req.profile());
            req.log().println("gamer-companion: " + reply.orElse("the Gamer Companion at " + req.socket()
                    + " went away; running the command unmonitored"));
            return child.waitFor();
        }
        if (!Privileges.canLoadBpf()) {
            req.log().println("gamer-companion: no Gamer Companion is running (" + req.socket()
                    + ") and this process cannot record itself: " + Privileges.missingReason()
                    + "; running the command unmonitored");
            return start(req).waitFor();
        }
        return recordHeadless(req, profile);
    }

    private static Process start(Request req) throws IOException {
        return new ProcessBuilder(req.command()).inheritIO().start();
    }

    /** The capture starts first, so the child is watched from its first instructions on. */
    private static int recordHeadless(Request req, Profile profile) throws InterruptedException, IOException {
        PrintStream log = req.log();
        Profile p = profile != null ? profile
                : Profile.named("run: " + Path.of(req.command().get(0)).getFileName());
        GameDetector detector = GameDetector.create(ProfileMatcher.of(List.of()));
        LiveCapture capture;
        try {
            capture = LiveCapture.start(LiveCapture.Options.defaults(), detector);
        } catch (AgentException e) {
            log.println("gamer-companion: cannot record: " + e.getMessage() + "; the command runs unmonitored");
            return start(req).waitFor();
        }
        long startNs = System.nanoTime();
        Process child = null;
        SessionFile session = null;
        try (capture) {
            if (p.monitor().recordSession()) {
                SessionFile file = SessionFile.open(req.sessionsDir(), p, Map.of("command", String.join(" ", req.command())));
                session = file;
                capture.intervalSink(file);
                log.println("gamer-companion: recording the session to " + file.path());
            }
            detector.start(new ProfileApplier(capture.agent(), line -> log.println("gamer-companion: " + line), a -> {}));
            child = start(req);
            capture.agent().watch(child.pid());
            detector.adopt(child.pid(), p);
            log.println("gamer-companion: no Gamer Companion running; recording " + child.pid() + " headless until it exits");
            int status = child.waitFor();
            detector.close();
            capture.finish(5_000);
            log.printf(Locale.US, "gamer-companion: %s, %.1f s, lost %d%n", p.name(), (System.nanoTime() - startNs) / 1e9,
                    capture.sample().lostTotal());
            for (Kind k : Kind.values()) {
                if (!p.monitor().kinds().contains(k.id())) {
                    continue;
                }
                Histogram h = capture.mergedCumulative(k);
                log.printf(Locale.US, "  %-15s %8d samples  p50 %8.1f us  p99 %8.1f us  max %8.1f us%n", k.id(),
                        h.getTotalCount(), us(h, 50), us(h, 99), h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
            }
            return status;
        } catch (AgentException e) {
            log.println("gamer-companion: recording failed: " + e.getMessage());
            return child != null ? child.waitFor() : start(req).waitFor();
        } finally {
            detector.close();
            if (session != null) {
                capture.intervalSink(null);
                session.close();
            }
        }
    }

    private static double us(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
