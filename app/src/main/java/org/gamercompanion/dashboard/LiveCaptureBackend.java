package org.gamercompanion.dashboard;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.gamercompanion.ab.AbPlan;
import org.gamercompanion.ab.AbRunner;
import org.gamercompanion.ab.Prompter;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.AgentProcess;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.recording.HlogWriter;
import org.gamercompanion.recording.RecordingContext;
import org.gamercompanion.recording.SessionFile;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.session.CaptureSession;
import org.gamercompanion.snapshot.Snapshot;
import org.gamercompanion.wrapper.WrapperSocket;

/**
 * The real backend: one {@link CaptureSession} per agent session of the window, with the player's
 * profiles, the launch wrapper's socket and the per-game session files.
 */
public final class LiveCaptureBackend implements CaptureBackend {
    /** Self-test runs until stopped; this is only the helper's safety limit. */
    static final double SELFTEST_MAX_SECONDS = 3600;

    private final SelftestWorkload.Options selftestOptions;
    private volatile Path sessionsDir = SessionFile.defaultDir();
    private volatile Path recordingsDir;
    private volatile Consumer<String> activeProfileSink = s -> {};
    private volatile Consumer<List<DashboardModel.ProfileWatch>> profileWatchedSink = w -> {};
    private volatile Consumer<Protocol.Sched> schedSink = s -> {};
    private volatile CaptureSession.Tap tap;

    public LiveCaptureBackend() {
        this(new SelftestWorkload.Options(SELFTEST_MAX_SECONDS, 0, 0, 0, 0));
    }

    public LiveCaptureBackend(SelftestWorkload.Options selftestOptions) {
        this.selftestOptions = selftestOptions;
    }

    /** Where the processes watched by profile go (empty when none); set before {@link #start}. */
    public void onProfileWatched(Consumer<List<DashboardModel.ProfileWatch>> sink) {
        profileWatchedSink = sink;
    }

    /**
     * Where profiles with {@code monitor.record_session} write their session files; set before
     * {@link #start}.
     */
    public void sessionsDir(Path dir) {
        sessionsDir = dir;
    }

    /**
     * Where the window's own recordings go: {@code $XDG_STATE_HOME/gamer-companion/sessions} by
     * default.
     */
    void recordingsDir(Path dir) {
        recordingsDir = dir;
    }

    private Path recordingsDir() {
        return recordingsDir != null ? recordingsDir : SessionFile.defaultDir();
    }

    /**
     * Where the agent's asynchronous {@code SCHED} lines go (on its control thread); set before
     * {@link #start}.
     */
    public void onSched(Consumer<Protocol.Sched> sink) {
        schedSink = sink;
    }

    /**
     * What every session also reports to (the window's Prometheus metrics); set before {@link
     * #start}.
     */
    public void tap(CaptureSession.Tap t) {
        tap = t;
    }

    /** Where the active profile's name goes ("" when none); set before {@link #start}. */
    public void onActiveProfile(Consumer<String> sink) {
        activeProfileSink = sink;
    }

    @Override
    public boolean startAsksForAuthorisation() {
        return AgentProcess.startAsksForAuthorisation();
    }

    @Override
    public Session start(LongConsumer watchedExited) throws AgentException {
        Consumer<String> active = activeProfileSink;
        Consumer<List<DashboardModel.ProfileWatch>> watched = profileWatchedSink;
        Consumer<Protocol.Sched> sched = schedSink;
        CaptureSession s =
                CaptureSession.start(
                        CaptureSession.Options.plain()
                                .withProfiles(ProfileStore.open(ProfileStore.defaultDir()))
                                .withWrapperSocket(WrapperSocket.defaultPath())
                                .withSessionsDir(sessionsDir)
                                .withTap(tap),
                        new CaptureSession.Listener() {
                            @Override
                            public void sched(Protocol.Sched line) {
                                sched.accept(line);
                            }

                            @Override
                            public void exited(long tgid) {
                                watchedExited.accept(tgid);
                            }

                            @Override
                            public void activeProfile(Optional<ProfileMatcher.Hit> hit) {
                                active.accept(
                                        hit.map(
                                                        h ->
                                                                h.profile().name()
                                                                        + " (pid "
                                                                        + h.process().pid()
                                                                        + ")")
                                                .orElse(""));
                            }

                            @Override
                            public void profileWatched(List<ProfileMatcher.Hit> hits) {
                                watched.accept(
                                        hits.stream()
                                                .map(
                                                        h ->
                                                                new DashboardModel.ProfileWatch(
                                                                        h.profile().name(),
                                                                        h.process().pid()))
                                                .toList());
                            }
                        });
        return new Live(s, active, watched);
    }

    /** The window's view of a {@link CaptureSession}: every call on the window's capture thread. */
    private final class Live implements Session {
        private final CaptureSession s;
        private final Consumer<String> active;
        private final Consumer<List<DashboardModel.ProfileWatch>> watched;
        private HlogWriter recording;
        private Path recordingFile;

        Live(
                CaptureSession s,
                Consumer<String> active,
                Consumer<List<DashboardModel.ProfileWatch>> watched) {
            this.s = s;
            this.active = active;
            this.watched = watched;
        }

        @Override
        public Map<String, String> hello() {
            return s.hello();
        }

        @Override
        public long agentPid() {
            return s.agentPid();
        }

        @Override
        public CompletableFuture<?> agentExit() {
            return s.agentExit();
        }

        @Override
        public String agentStderrTail() {
            return s.agentStderrTail();
        }

        @Override
        public Snapshot sample() {
            return s.sample();
        }

        @Override
        public Snapshot sampleLive() {
            return s.sampleLive();
        }

        @Override
        public void watch(long tgid) throws AgentException {
            s.watch(tgid);
        }

        @Override
        public void unwatch(long tgid) throws AgentException {
            s.unwatch(tgid);
        }

        @Override
        public Reply sched(boolean on) throws AgentException {
            return s.sched(on);
        }

        @Override
        public Map<String, String> status() throws AgentException {
            return s.status();
        }

        @Override
        public List<Path> mark(String note) {
            return s.mark(note);
        }

        @Override
        public String applyProfile(Profile profile) throws AgentException {
            return s.applyProfile(profile);
        }

        @Override
        public AbRunner abTest(
                AbPlan plan,
                Path outDir,
                Prompter prompter,
                BooleanSupplier gameRunning,
                AbRunner.Listener listener) {
            return AbRunner.create(s, plan, outDir, prompter, gameRunning, listener);
        }

        @Override
        public void resetSession() {
            s.resetCumulative();
        }

        @Override
        public Path startRecording(String target, long pid) throws IOException {
            stopRecording();
            String slug =
                    target.toLowerCase(Locale.ROOT)
                            .replaceAll("[^a-z0-9]+", "-")
                            .replaceAll("^-|-$", "");
            Path file =
                    recordingsDir()
                            .resolve(
                                    (slug.isEmpty() ? "session" : slug)
                                            + "-"
                                            + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                                                    .format(LocalDateTime.now())
                                            + ".hlog");
            HlogWriter w = HlogWriter.create(file, s.recordingContext("window"));
            if (pid > 0) {
                w.statement("game", RecordingContext.game("", pid));
            }
            s.recordTo(w);
            recording = w;
            recordingFile = file;
            return file;
        }

        @Override
        public Optional<Path> stopRecording() {
            if (recording == null) {
                return Optional.empty();
            }
            HlogWriter w = recording;
            Path file = recordingFile;
            recording = null;
            recordingFile = null;
            s.recordTo(null);
            try {
                w.close();
                return Optional.of(file);
            } catch (IOException e) {
                System.err.println("gamer-companion: recording " + file + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        @Override
        public Workload startSelftest() throws AgentException {
            SelftestWorkload w = s.startSelftest(selftestOptions);
            return new Workload() {
                @Override
                public long pid() {
                    return w.pid();
                }

                @Override
                public void close() {
                    s.stopSelftest(w);
                }
            };
        }

        /** Also clears what the window shows: without the agent nothing is watched or applied. */
        @Override
        public int close() {
            stopRecording();
            int code = s.stop();
            active.accept("");
            watched.accept(List.of());
            return code;
        }
    }
}
