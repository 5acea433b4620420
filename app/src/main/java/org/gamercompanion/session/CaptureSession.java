package org.gamercompanion.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.AgentProcess;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.capture.LiveCapture;
import org.gamercompanion.detect.GameDetector;
import org.gamercompanion.detect.ProfileApplier;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.kernel.Machine;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.profile.ProfileWatcher;
import org.gamercompanion.recorder.EventPipeline;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.ProfileSessions;
import org.gamercompanion.recording.RecordingContext;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.snapshot.Sampler;
import org.gamercompanion.snapshot.Snapshot;
import org.gamercompanion.wrapper.WrapperServer;

/**
 * One capture session: the agent and its rings ({@link LiveCapture}), game detection with profile
 * apply and revert (following the profile directory: a saved profile applies at once), the launch
 * wrapper's socket, per-game session files, the recording target and the agent's asynchronous
 * lines. {@code record}, {@code run}, {@code ab} and the window are thin callers of this class;
 * none of them wires the parts itself.
 *
 * <pre>{@code
 * try (CaptureSession s = CaptureSession.start(CaptureSession.Options.plain().withProfiles(store),
 *         new CaptureSession.Listener() {})) {
 *     s.recordTo(hlogWriter);            // before the first sample: every interval reaches the file
 *     s.watch(pid);
 *     while (playing) {
 *         s.awaitAgentExit(1000);       // a tick that ends early when the agent dies
 *         s.sample();
 *     }
 *     Snapshot last = s.finish(5_000); // stop detection and watching, drain what the kernel emitted
 * }
 * }</pre>
 *
 * <p>Threads: {@link #sample}, {@link #recordTo}, {@link #finish} and {@link #close} belong to one
 * caller thread (the sampler); the agent commands ({@link #watch}, {@link #sched}, ...) may come
 * from any thread (the agent connection serialises them). {@link Listener} calls come from the
 * agent's control thread (async lines) and the detector's thread (profiles).
 */
public final class CaptureSession implements AutoCloseable {
    /**
     * What a session does besides capturing.
     *
     * @param profiles detect and apply the profiles of this store; null: nothing is detected
     *     (processes can still be {@link #adopt}ed)
     * @param wrapperSocket serve the launch wrapper there; null: do not
     * @param sessionsDir where matched profiles with {@code monitor.record_session} write their
     *     .hlog; null: nowhere
     * @param log one line per profile action or refusal, and per problem that does not stop the
     *     session
     * @param tap sees every sample and event of the session besides its {@link Listener} (the
     *     metrics exporter); null: none
     */
    public record Options(
            boolean verbose,
            ProfileStore profiles,
            Path wrapperSocket,
            Path sessionsDir,
            Consumer<String> log,
            Tap tap) {
        /** Capture only; log lines go to stderr. */
        public static Options plain() {
            return new Options(
                    false,
                    null,
                    null,
                    null,
                    line -> System.err.println("gamer-companion: " + line),
                    null);
        }

        public Options verbose(boolean v) {
            return new Options(v, profiles, wrapperSocket, sessionsDir, log, tap);
        }

        public Options withProfiles(ProfileStore store) {
            return new Options(verbose, store, wrapperSocket, sessionsDir, log, tap);
        }

        public Options withWrapperSocket(Path socket) {
            return new Options(verbose, profiles, socket, sessionsDir, log, tap);
        }

        public Options withSessionsDir(Path dir) {
            return new Options(verbose, profiles, wrapperSocket, dir, log, tap);
        }

        public Options withLog(Consumer<String> l) {
            return new Options(verbose, profiles, wrapperSocket, sessionsDir, l, tap);
        }

        /**
         * Everything the session measures also goes to {@code t} (null: nowhere); see {@link Tap}.
         */
        public Options withTap(Tap t) {
            return new Options(verbose, profiles, wrapperSocket, sessionsDir, log, t);
        }
    }

    /** What happens during a session; every method has a default that ignores it. */
    public interface Listener {
        /**
         * An asynchronous {@code SCHED} line: the scheduler changed without being asked (agent
         * thread).
         */
        default void sched(Protocol.Sched line) {}

        /** A watched process exited and is no longer watched (agent thread). */
        default void exited(long tgid) {}

        /** The profile applied now, when it changes (detector thread). */
        default void activeProfile(Optional<ProfileMatcher.Hit> active) {}

        /** The processes watched because a profile matched, oldest first (detector thread). */
        default void profileWatched(List<ProfileMatcher.Hit> watched) {}
    }

    /**
     * Sees what a session measures, for an observer that outlives sessions (the Prometheus exporter
     * of {@code serve} and of the window): the {@link Listener} calls, every latency event, every
     * snapshot, and the session's start and end. Calls come from the threads named on each method;
     * none may block.
     */
    public interface Tap extends Listener, EventPipeline.Listener {
        /**
         * The agent runs and its rings are read; {@code hello} is its HELLO fields (caller's
         * thread).
         */
        default void sessionStarted(Map<String, String> hello) {}

        /**
         * A profile matched a process that is about to be watched (detector thread). Called before
         * the {@code WATCH}, so a tap that attributes events to games knows the process before its
         * first event.
         */
        default void gameStarting(ProfileMatcher.Hit hit) {}

        /** A snapshot was taken (sampler thread). */
        default void sampled(Snapshot snapshot) {}

        /** The session stops: no event or snapshot follows (caller's thread). */
        default void sessionEnded() {}
    }

    private final LiveCapture capture;
    private final GameDetector detector;
    private final ProfileSessions sessions;
    private final WrapperServer wrapper;
    private final ProfileWatcher watcher;
    private final Forward main;
    private final Tap tap;
    private final List<SelftestWorkload> workloads = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private boolean tapEnded;

    private CaptureSession(
            LiveCapture capture,
            GameDetector detector,
            ProfileSessions sessions,
            WrapperServer wrapper,
            ProfileWatcher watcher,
            Forward main,
            Tap tap) {
        this.capture = capture;
        this.detector = detector;
        this.sessions = sessions;
        this.wrapper = wrapper;
        this.watcher = watcher;
        this.main = main;
        this.tap = tap;
    }

    /**
     * Starts the agent and the capture, then detection (one /proc scan, then the agent's EXEC
     * lines) and the wrapper socket.
     *
     * @throws AgentException with a message a player can act on (what is missing, what failed)
     */
    public static CaptureSession start(Options options, Listener callerListener)
            throws AgentException {
        Tap tap = options.tap();
        Listener listener = tap == null ? callerListener : both(callerListener, tap);
        GameDetector detector = GameDetector.create(ProfileMatcher.of(readProfiles(options)));
        LiveCapture capture =
                LiveCapture.start(
                        new LiveCapture.Options(0, options.verbose()),
                        line -> {
                            detector.accept(line);
                            switch (line) {
                                case Protocol.Exited e -> listener.exited(e.tgid());
                                case Protocol.Sched s -> listener.sched(s);
                                default -> {}
                            }
                        },
                        tap);
        Forward main = new Forward();
        ProfileSessions sessions =
                options.sessionsDir() == null
                        ? null
                        : new ProfileSessions(
                                options.sessionsDir(),
                                main,
                                recordingContext(capture.hello(), "session"));
        capture.intervalSink(sessions != null ? sessions : main);
        ProfileApplier applier =
                new ProfileApplier(
                        capture.agent(),
                        options.log(),
                        listener::activeProfile,
                        hits -> {
                            if (sessions != null) {
                                sessions.accept(hits);
                            }
                            listener.profileWatched(hits);
                        });
        if (tap != null) {
            tap.sessionStarted(capture.hello());
        }
        detector.start(
                tap == null
                        ? applier
                        : new GameDetector.Listener() {
                            @Override
                            public void started(ProfileMatcher.Hit hit) {
                                tap.gameStarting(hit);
                                applier.started(hit);
                            }

                            @Override
                            public void exited(ProfileMatcher.Hit hit) {
                                applier.exited(hit);
                            }
                        });
        WrapperServer wrapper =
                options.wrapperSocket() == null
                        ? null
                        : WrapperServer.serveDetector(
                                options.wrapperSocket(),
                                options.profiles() != null
                                        ? options.profiles()
                                        : ProfileStore.open(ProfileStore.defaultDir()),
                                detector,
                                options.log());
        ProfileWatcher watcher = null;
        if (options.profiles() != null) {
            // A saved, changed, imported or deleted profile applies at once (issue 15 item 1).
            try {
                watcher =
                        ProfileWatcher.start(
                                options.profiles(),
                                l -> {
                                    l.broken()
                                            .forEach(
                                                    b ->
                                                            options.log()
                                                                    .accept(
                                                                            "profile skipped: "
                                                                                    + b.error()));
                                    detector.profiles(
                                            l.profiles().stream()
                                                    .map(ProfileStore.Entry::profile)
                                                    .toList());
                                },
                                options.log());
            } catch (IOException e) {
                options.log()
                        .accept(
                                "profile changes are not followed ("
                                        + options.profiles().dir()
                                        + ": "
                                        + e.getMessage()
                                        + "); they apply at the next start");
            }
        }
        return new CaptureSession(capture, detector, sessions, wrapper, watcher, main, tap);
    }

    /** The caller's listener first, then the tap. */
    private static Listener both(Listener a, Tap b) {
        return new Listener() {
            @Override
            public void sched(Protocol.Sched line) {
                a.sched(line);
                b.sched(line);
            }

            @Override
            public void exited(long tgid) {
                a.exited(tgid);
                b.exited(tgid);
            }

            @Override
            public void activeProfile(Optional<ProfileMatcher.Hit> active) {
                a.activeProfile(active);
                b.activeProfile(active);
            }

            @Override
            public void profileWatched(List<ProfileMatcher.Hit> watched) {
                a.profileWatched(watched);
                b.profileWatched(watched);
            }
        };
    }

    private static List<Profile> readProfiles(Options options) {
        ProfileStore store = options.profiles();
        if (store == null) {
            return List.of();
        }
        try {
            ProfileStore.Listing l = store.list();
            l.broken().forEach(b -> options.log().accept("profile skipped: " + b.error()));
            if (l.profiles().isEmpty()) {
                options.log()
                        .accept(
                                "no profiles in "
                                        + store.dir()
                                        + "; create one with 'profile add NAME --exe GAME'");
            }
            return l.profiles().stream().map(ProfileStore.Entry::profile).toList();
        } catch (IOException e) {
            options.log().accept("cannot read " + store.dir() + ": " + e.getMessage());
            return List.of();
        }
    }

    // ---- the agent

    /**
     * What a recording of this session states about the machine and the capture ({@link
     * RecordingContext}, docs/RECORDINGS.md): {@code writer}, kernel, CPU model and count, the
     * CPUs, rings, the recorded kinds and the input hook. Callers add the game, the A/B arm, ...
     */
    public Map<String, String> recordingContext(String writer) {
        return recordingContext(capture.hello(), writer);
    }

    private static Map<String, String> recordingContext(Map<String, String> hello, String writer) {
        Machine machine = Machine.current();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("writer", writer);
        m.put("kernel", KernelStatus.current().release());
        m.put("cpu_model", machine.cpuModel());
        m.put("cpu_count", Integer.toString(machine.cpuCount()));
        m.put(
                "cpus",
                CpuTopology.current().cpus().stream()
                        .map(String::valueOf)
                        .collect(Collectors.joining(",")));
        m.put("ring_count", Integer.toString(Protocol.RING_COUNT));
        m.put("ring_bytes", hello.getOrDefault("ring_bytes", "?"));
        m.put("kinds", Arrays.stream(Kind.values()).map(Kind::id).collect(Collectors.joining(",")));
        m.put("input_hook", Protocol.readable(hello.getOrDefault("input_hook", "unknown")));
        return m;
    }

    /** The agent's HELLO fields (input_hook, cpus, ring_bytes, ...). */
    public Map<String, String> hello() {
        return capture.hello();
    }

    public long agentPid() {
        return capture.agentPid();
    }

    /** Completes with the agent's exit code when its process ends, for whatever reason. */
    public CompletableFuture<Integer> agentExit() {
        return capture.agentExit();
    }

    public String agentStderrTail() {
        return capture.agentStderrTail();
    }

    /**
     * Waits up to {@code millis} for the agent to end: a caller's tick that returns at once when
     * the agent dies.
     *
     * @return why the agent ended ({@code the agent died (signal 9)}), or empty while it runs or
     *     when this session stopped it
     */
    public Optional<String> awaitAgentExit(long millis) throws InterruptedException {
        try {
            int code = capture.agentExit().get(Math.max(0, millis), TimeUnit.MILLISECONDS);
            return stopping ? Optional.empty() : Optional.of(AgentProcess.describeExit(code));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of("the agent ended: " + e.getCause());
        }
    }

    /** Why the agent ended without being asked to, or empty while it runs. */
    public Optional<String> agentDeath() {
        CompletableFuture<Integer> exit = capture.agentExit();
        if (!exit.isDone() || stopping) {
            return Optional.empty();
        }
        return Optional.of(AgentProcess.describeExit(exit.getNow(-1)));
    }

    public void watch(long tgid) throws AgentException {
        capture.agent().watch(tgid);
    }

    public void unwatch(long tgid) throws AgentException {
        capture.agent().unwatch(tgid);
    }

    /**
     * {@code SCHED ON|OFF}; the agent's reply, {@code ERR} included (sched_ext absent, another
     * scheduler).
     */
    public Reply sched(boolean on) throws AgentException {
        return capture.agent().callRaw(Protocol.sched(on));
    }

    /** The agent's {@code STATUS} fields. */
    public Map<String, String> status() throws AgentException {
        return capture.agent().status();
    }

    /** Sends one command and returns its reply, {@code ERR} included (SET of tunables). */
    public Reply call(String command) throws AgentException {
        return capture.agent().callRaw(command);
    }

    /**
     * Starts the self-test workload, watches it and lets it run; closed with the session.
     *
     * @return the workload, for its result
     */
    public SelftestWorkload startSelftest(SelftestWorkload.Options options) throws AgentException {
        SelftestWorkload w = SelftestWorkload.start(options);
        try {
            watch(w.pid());
            w.go();
        } catch (AgentException | RuntimeException e) {
            w.close();
            throw e;
        }
        workloads.add(w);
        return w;
    }

    /** Stops a workload of {@link #startSelftest} early and stops watching it. */
    public void stopSelftest(SelftestWorkload w) {
        if (workloads.remove(w)) {
            try {
                capture.agent().callRaw(Protocol.unwatch(w.pid()));
            } catch (AgentException e) {
                // the agent is gone: nothing is watched either way
            }
            w.close();
        }
    }

    // ---- profiles

    /**
     * Applies a profile chosen by hand (the tray's profile menu) the way {@link ProfileApplier}
     * applies a detected one: its tunables with one {@code SET}, then {@code SCHED ON} when it
     * enables the scheduler and ours is not running yet, {@code SCHED OFF} when it does not and
     * ours runs. A game detected later applies its own profile over this one.
     *
     * @return one line for the player, with the agent's refusal where there was one
     */
    public String applyProfile(Profile profile) throws AgentException {
        Profile.Scheduler s = profile.scheduler();
        capture.agent().call(ProfileApplier.tunablesLine(s));
        boolean ours = "agent".equals(status().get("sched_owner"));
        if (s.enabled() == ours) {
            return "profile "
                    + profile.name()
                    + " applied (scheduler "
                    + (ours ? "on" : "off")
                    + ")";
        }
        Reply r = sched(s.enabled());
        return "profile "
                + profile.name()
                + " applied"
                + (r.ok()
                        ? " (scheduler " + (s.enabled() ? "on" : "off") + ")"
                        : "; scheduler not "
                                + (s.enabled() ? "started" : "stopped")
                                + ": "
                                + String.join(" ", r.words()));
    }

    /**
     * Gives {@code pid} the profile {@code profile} whatever the match rules say (the launch
     * wrapper's process); it is watched and its profile applied, and processes it execs inherit it.
     */
    public void adopt(long pid, Profile profile) {
        detector.adopt(pid, profile);
    }

    /** Every profile match since the start, exited processes included. */
    public List<ProfileMatcher.Hit> matches() {
        return detector.everMatched();
    }

    /**
     * Writes a mark line into every session file being recorded; the files marked (empty: none
     * records).
     */
    public List<Path> mark(String note) {
        return sessions == null ? List.of() : sessions.mark(note);
    }

    // ---- sampling and recording

    /**
     * Where interval histograms go from the next {@link #sample} on (null: nowhere), besides the
     * per-game session files. Sampler thread. A caller that switches targets (the A/B runner's
     * rounds) samples once before it switches, so each interval lands in exactly one target.
     */
    public void recordTo(Sampler.IntervalSink target) {
        main.target = target == null ? Sampler.IntervalSink.NONE : target;
    }

    /** Takes the next snapshot and closes the recording interval (sampler thread). */
    public Snapshot sample() {
        Snapshot s = capture.sample();
        if (tap != null) {
            tap.sampled(s);
        }
        return s;
    }

    /**
     * A display-rate snapshot that leaves the recording interval open ({@link
     * LiveCapture#sampleLive}); the tap sees only {@link #sample}'s. Sampler thread.
     */
    public Snapshot sampleLive() {
        return capture.sampleLive();
    }

    /**
     * Starts a new session of samples: the cumulative histograms and the p99 series start empty at
     * the next {@link #sample} (the window's Reset, a new target). Sampler thread.
     */
    public void resetCumulative() {
        capture.resetCumulative();
    }

    public Histogram cumulative(Kind kind, int ring) {
        return capture.cumulative(kind, ring);
    }

    public Histogram mergedCumulative(Kind kind) {
        return capture.mergedCumulative(kind);
    }

    public LiveCapture.Health health() {
        return capture.health();
    }

    /**
     * Ends the session's capture cleanly: stops the wrapper socket and detection (no WATCH after
     * this), stops the self-test workloads, unwatches everything, drains what the kernel emitted
     * and takes the last snapshot. After the agent died it drains what reached the rings.
     */
    public Snapshot finish(long timeoutMillis) throws AgentException {
        stopIntake();
        if (capture.agentExit().isDone()) {
            return capture.drain(timeoutMillis);
        }
        return capture.finish(timeoutMillis);
    }

    private void stopIntake() {
        if (watcher != null) {
            watcher.close();
        }
        if (wrapper != null) {
            wrapper.close();
        }
        detector.close();
        for (SelftestWorkload w : workloads) {
            w.close();
        }
        workloads.clear();
    }

    /**
     * Stops everything: detection, workloads, session files, the agent.
     *
     * @return the agent's exit code, -1 if it had to be killed or did not exit
     */
    public int stop() {
        stopping = !capture.agentExit().isDone();
        stopIntake();
        if (sessions != null) {
            sessions.close();
        }
        int code = capture.stop();
        if (tap != null && !tapEnded) {
            tapEnded = true;
            tap.sessionEnded();
        }
        return code;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * The session's main recording target, swappable between samples; the session files sit in
     * front of it.
     */
    private static final class Forward implements Sampler.IntervalSink {
        volatile Sampler.IntervalSink target = Sampler.IntervalSink.NONE;

        @Override
        public void onInterval(Kind kind, int ring, Histogram interval) {
            target.onInterval(kind, ring, interval);
        }

        @Override
        public void onSampleEnd() {
            target.onSampleEnd();
        }
    }
}
