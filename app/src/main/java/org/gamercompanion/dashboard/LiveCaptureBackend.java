package org.gamercompanion.dashboard;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.AgentProcess;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.capture.LiveCapture;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.recording.ProfileSessions;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.snapshot.Sampler;
import org.gamercompanion.snapshot.Snapshot;
import org.gamercompanion.wrapper.Wrapper;

/** The real backend: {@link LiveCapture} (gamer-agent, 16 rings, recorders) and {@code gamer-selftest}. */
public final class LiveCaptureBackend implements CaptureBackend {
    /** Self-test runs until stopped; this is only the helper's safety limit. */
    static final double SELFTEST_MAX_SECONDS = 3600;

    private final SelftestWorkload.Options selftestOptions;
    private volatile Path sessionsDir = Wrapper.defaultSessionsDir();
    private volatile java.util.function.Consumer<String> activeProfileSink = s -> {};
    private volatile java.util.function.Consumer<java.util.List<DashboardModel.ProfileWatch>> profileWatchedSink = w -> {};
    private volatile java.util.function.Consumer<Protocol.Sched> schedSink = s -> {};

    public LiveCaptureBackend() {
        this(new SelftestWorkload.Options(SELFTEST_MAX_SECONDS, 0, 0, 0, 0));
    }

    public LiveCaptureBackend(SelftestWorkload.Options selftestOptions) {
        this.selftestOptions = selftestOptions;
    }

    /** Where the processes watched by profile go (empty when none); set before {@link #start}. */
    public void onProfileWatched(java.util.function.Consumer<java.util.List<DashboardModel.ProfileWatch>> sink) {
        profileWatchedSink = sink;
    }

    /** Where profiles with {@code monitor.record_session} write their session files; set before {@link #start}. */
    public void sessionsDir(Path dir) {
        sessionsDir = dir;
    }

    /** Where the agent's asynchronous {@code SCHED} lines go (on its control thread); set before {@link #start}. */
    public void onSched(java.util.function.Consumer<Protocol.Sched> sink) {
        schedSink = sink;
    }

    /** Where the active profile's name goes ("" when none); set before {@link #start}. */
    public void onActiveProfile(java.util.function.Consumer<String> sink) {
        activeProfileSink = sink;
    }

    @Override
    public boolean startAsksForAuthorisation() {
        return AgentProcess.startAsksForAuthorisation();
    }

    @Override
    public Session start(LongConsumer watchedExited) throws AgentException {
        ProfileHooks.Detection detection = ProfileHooks.detection();
        LiveCapture capture = LiveCapture.start(LiveCapture.Options.defaults(), line -> {
            detection.detector().accept(line);
            if (line instanceof Protocol.Exited e) {
                watchedExited.accept(e.tgid());
            } else if (line instanceof Protocol.Sched s) {
                schedSink.accept(s);
            }
        });
        // The session's sample() and close() run on the window's capture thread, so the interval sink
        // is fed, and the files are closed, on that thread only.
        ProfileSessions sessions = new ProfileSessions(sessionsDir, Sampler.IntervalSink.NONE);
        capture.intervalSink(sessions);
        detection.start(capture.agent(), activeProfileSink, profileWatchedSink, sessions);
        return new Session() {
            @Override
            public Map<String, String> hello() {
                return capture.hello();
            }

            @Override
            public long agentPid() {
                return capture.agentProcess().pid();
            }

            @Override
            public CompletableFuture<?> agentExit() {
                return capture.agentProcess().handle().onExit();
            }

            @Override
            public String agentStderrTail() {
                return capture.agentProcess().stderrTail();
            }

            @Override
            public Snapshot sample() {
                return capture.sample();
            }

            @Override
            public void watch(long tgid) throws AgentException {
                capture.agent().watch(tgid);
            }

            @Override
            public void unwatch(long tgid) throws AgentException {
                capture.agent().unwatch(tgid);
            }

            @Override
            public Reply sched(boolean on) throws AgentException {
                return capture.agent().callRaw(Protocol.sched(on));
            }

            @Override
            public Map<String, String> status() throws AgentException {
                return capture.agent().status();
            }

            @Override
            public List<Path> mark(String note) {
                return sessions.mark(note);
            }

            @Override
            public String applyProfile(Profile profile) throws AgentException {
                return ProfileHooks.apply(capture.agent(), profile);
            }

            @Override
            public int close() {
                detection.close();
                sessions.close();
                int code = capture.agentProcess().stop();
                capture.close();
                return code;
            }
        };
    }

    @Override
    public Workload startSelftest() throws AgentException {
        SelftestWorkload w = SelftestWorkload.start(selftestOptions);
        return new Workload() {
            @Override
            public long pid() {
                return w.pid();
            }

            @Override
            public void go() throws AgentException {
                w.go();
            }

            @Override
            public void close() {
                w.close();
            }
        };
    }
}
