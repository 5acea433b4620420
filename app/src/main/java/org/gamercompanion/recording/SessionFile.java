package org.gamercompanion.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.gamercompanion.files.UserDirs;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.snapshot.Sampler;

/**
 * The session file of a profile with {@code monitor.record_session = true}: an {@link HlogWriter}
 * log of the profile's {@code monitor.kinds} only, named {@code <profile>-<yyyyMMdd-HHmmss>.hlog}
 * in the sessions directory. Written by the wrapper's headless recording and by {@code record
 * --profiles} for as long as the game runs.
 *
 * <pre>{@code
 * SessionFile f = SessionFile.open(SessionFile.defaultDir(), profile, Map.of("kernel", release), "bargame", pid);
 * capture.intervalSink(f);
 * ...
 * capture.intervalSink(null);
 * f.close();
 * }</pre>
 */
public final class SessionFile implements Sampler.IntervalSink, AutoCloseable {
    private final Path path;
    private final List<String> kinds;
    private final HlogWriter writer;

    private SessionFile(Path path, List<String> kinds, HlogWriter writer) {
        this.path = path;
        this.kinds = kinds;
        this.writer = writer;
    }

    /** {@code $XDG_STATE_HOME/gamer-companion/sessions} (default {@code ~/.local/state/...}). */
    public static Path defaultDir() {
        return UserDirs.current().state().resolve("sessions");
    }

    /**
     * Creates the file (and the directory) and writes its header: {@code context} (the machine and
     * the capture), {@code writer=session}, the profile and its recorded kinds, then the game.
     */
    public static SessionFile open(
            Path dir, Profile profile, Map<String, String> context, String exe, long pid)
            throws IOException {
        Path file =
                dir.resolve(
                        profile.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                                + "-"
                                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                                        .format(LocalDateTime.now())
                                + ".hlog");
        Map<String, String> meta = new LinkedHashMap<>(context);
        meta.put("writer", "session");
        meta.put("profile", profile.name());
        meta.put("kinds", String.join(",", profile.monitor().kinds()));
        HlogWriter w = HlogWriter.create(file, meta);
        Map<String, String> game = new LinkedHashMap<>();
        game.put("profile", profile.name());
        game.put("exe", exe.substring(exe.lastIndexOf('/') + 1));
        game.put("tgid", Long.toString(pid));
        w.statement("game", game);
        return new SessionFile(file, profile.monitor().kinds(), w);
    }

    /** Where the log is renamed to on {@link #close}. */
    public Path path() {
        return path;
    }

    /** Writes the interval if its kind is one of the profile's {@code monitor.kinds}. */
    @Override
    public void onInterval(Kind kind, int ring, Histogram interval) {
        if (kinds.contains(kind.id())) {
            writer.onInterval(kind, ring, interval);
        }
    }

    /** Writes a mark line (see {@link HlogWriter#mark}). */
    public void mark(long nowMs, String note) {
        writer.mark(nowMs, note);
    }

    /** Syncs and renames the log into place (see {@link HlogWriter#close}). */
    @Override
    public void close() throws IOException {
        writer.close();
    }
}
