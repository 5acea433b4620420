package org.gamercompanion.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.snapshot.Sampler;

/**
 * {@code monitor.record_session} for {@code record --profiles} and the window: one {@link
 * SessionFile} per matched profile, opened when its first process is watched and closed when its
 * last one exits or the recording (the window's agent session) ends. A game that exits is closed
 * after the next whole sample, so the interval that holds its last samples still reaches its file.
 * Also forwards every interval to {@code out} (the recording's own {@code --out} log).
 *
 * <p>Threads: {@link #accept} runs on the detector's thread, {@link #onInterval} on the sampling
 * thread; both lock this object, so a file is never written while it is being closed.
 *
 * <pre>{@code
 * ProfileSessions sessions = new ProfileSessions(SessionFile.defaultDir(), Sampler.IntervalSink.NONE, Map.of("kernel", release));
 * capture.intervalSink(sessions);
 * detector.start(new ProfileApplier(agent, log, active -> {}, sessions));
 * ...
 * sessions.close();
 * }</pre>
 */
public final class ProfileSessions
        implements Sampler.IntervalSink, Consumer<List<ProfileMatcher.Hit>>, AutoCloseable {
    private final Path dir;
    private final Sampler.IntervalSink out;
    private final Map<String, String> context;
    private final Map<String, SessionFile> open = new LinkedHashMap<>();

    /** Games that exited: written once more by the next sample, then closed. */
    private final Map<String, SessionFile> ending = new LinkedHashMap<>();

    /**
     * @param out the recording's {@code --out} log, or {@link Sampler.IntervalSink#NONE}
     * @param context what every session file states about the machine and the capture ({@link
     *     RecordingContext})
     */
    public ProfileSessions(Path dir, Sampler.IntervalSink out, Map<String, String> context) {
        this.dir = dir;
        this.out = out;
        this.context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    /**
     * The processes watched by profile now (the applier's report): opens and closes session files.
     */
    @Override
    public synchronized void accept(List<ProfileMatcher.Hit> watched) {
        Set<String> running =
                watched.stream().map(h -> h.profile().name()).collect(Collectors.toSet());
        open.keySet()
                .removeIf(
                        name -> {
                            if (!running.contains(name)) {
                                ending.put(name, open.get(name));
                                return true;
                            }
                            return false;
                        });
        for (ProfileMatcher.Hit h : watched) {
            if (!h.profile().monitor().recordSession() || open.containsKey(h.profile().name())) {
                continue;
            }
            SessionFile again = ending.remove(h.profile().name());
            if (again != null) {
                // The game came back before its file was closed: it is the same session.
                open.put(h.profile().name(), again);
                continue;
            }
            String exe = h.process().exe().isEmpty() ? h.process().comm() : h.process().exe();
            try {
                SessionFile f = SessionFile.open(dir, h.profile(), context, exe, h.process().pid());
                open.put(h.profile().name(), f);
                System.err.println(
                        "gamer-companion: profile "
                                + h.profile().name()
                                + ": recording the session to "
                                + f.path());
            } catch (IOException e) {
                System.err.println(
                        "gamer-companion: profile "
                                + h.profile().name()
                                + ": cannot write a session file in "
                                + dir
                                + ": "
                                + e.getMessage());
            }
        }
    }

    /**
     * Marks a moment (the hotkey) in every session file of a running game; games that already
     * exited are not marked. Any thread.
     *
     * @return the files marked; empty when nothing records
     */
    public synchronized List<Path> mark(String note) {
        long nowMs = System.currentTimeMillis();
        List<Path> marked = new ArrayList<>();
        for (SessionFile f : open.values()) {
            f.mark(nowMs, note);
            marked.add(f.path());
        }
        return marked;
    }

    @Override
    public synchronized void onInterval(Kind kind, int ring, Histogram interval) {
        out.onInterval(kind, ring, interval);
        for (SessionFile f : open.values()) {
            f.onInterval(kind, ring, interval);
        }
        for (SessionFile f : ending.values()) {
            f.onInterval(kind, ring, interval);
        }
    }

    @Override
    public synchronized void onSampleEnd() {
        out.onSampleEnd();
        ending.values().forEach(ProfileSessions::closeQuietly);
        ending.clear();
    }

    /** Closes the files of games still running at the end of the recording. */
    @Override
    public synchronized void close() {
        open.values().forEach(ProfileSessions::closeQuietly);
        open.clear();
        ending.values().forEach(ProfileSessions::closeQuietly);
        ending.clear();
    }

    private static void closeQuietly(SessionFile f) {
        try {
            f.close();
        } catch (IOException e) {
            System.err.println("gamer-companion: session file " + f.path() + ": " + e.getMessage());
        }
    }
}
