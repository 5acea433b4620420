package org.gamercompanion.dashboard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.gamercompanion.ab.AbException;
import org.gamercompanion.ab.AbPlan;
import org.gamercompanion.ab.AbRunner;
import org.gamercompanion.ab.Prompter;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.process.ProcessInfo;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.snapshot.Snapshot;

/**
 * The agent's lifecycle and the sampling loop, on one "dashboard-capture" thread.
 *
 * <p>Everything that touches the capture (start, sample, watch, stop) runs on that single thread,
 * so a sample can never race with the rings being unmapped, and {@link CaptureBackend} stays
 * single-threaded. Public methods only enqueue work and return at once: they are safe to call from
 * the FX thread. Results go to the {@link Listener} (on the capture thread; the listener moves them
 * to the FX thread) and snapshots to the {@link SnapshotHandoff}.
 *
 * <p>Agent death: the agent's exit future is watched; if it completes while this controller did not
 * ask the agent to stop, the capture is torn down and {@link Listener#agentStatus} gets an {@link
 * AgentStatus.Phase#EXITED} status with the exit code and the agent's stderr tail.
 */
public final class AgentController {
    /**
     * How often the recording interval closes (.hlog intervals, session files, the "last interval"
     * column, the metrics tap): 4 times a second, whether or not the window is shown.
     */
    public static final long SAMPLE_PERIOD_MS = 250;

    /**
     * How often the agent's scheduler state is read when nobody asked: a profile's {@code SCHED ON}
     * and another program's scheduler change it behind the window's back.
     */
    public static final long SCHED_POLL_MS = 1000;

    /** Receives state changes, on the capture thread. */
    public interface Listener {
        void agentStatus(AgentStatus status);

        void hello(Map<String, String> hello);

        /** The watched process (null: none). */
        void watched(ProcessInfo target);

        void selftestRunning(boolean running);

        /** A one-line message for the player (errors of watch, self-test, ...). */
        void message(String text);

        /**
         * The scheduler as the agent reports it, after every change (and {@code UNKNOWN} when the
         * agent stops).
         */
        default void scheduler(SchedulerState state) {}

        /** A profile was applied by hand (the tray's profile menu). */
        default void profileChosen(String name) {}

        /**
         * A new session of samples began (a new target, Reset, the agent's start), or its recording
         * changed.
         */
        default void session(SessionInfo info) {}
    }

    /**
     * The session the charts show: since when, of what, and where it records.
     *
     * @param target the target in words ({@code gamer-selftest (pid 42)}, {@code no target})
     * @param startMs when the session began (wall clock)
     * @param recording the .hlog being written, null while not recording
     */
    public record SessionInfo(String target, long startMs, Path recording) {
        public static final SessionInfo NONE = new SessionInfo("", 0, null);
    }

    private final CaptureBackend backend;
    private final Listener listener;
    private final SnapshotHandoff<Snapshot> snapshots;
    private final ScheduledExecutorService thread;
    private final long samplePeriodMs;

    // Confined to the capture thread.
    private CaptureBackend.Session session;
    private long sessionId;
    private ScheduledFuture<?> sampling;
    private CaptureBackend.Workload selftest;
    private ProcessInfo watched;
    private ScheduledFuture<?> schedPoll;
    private SchedulerState sched = SchedulerState.UNKNOWN;

    /** The window shows the numbers: snapshots at the display rate, published to the view. */
    private boolean liveView = true;

    /**
     * The display-rate chain of live ticks ({@link #liveTick}) while the window is shown: a
     * snapshot just before each pulse ({@link PulseClock}), so each frame can draw the newest
     * samples. Hidden (iconified, in the tray) the window gets none: only the recording cadence
     * runs.
     */
    private ScheduledFuture<?> live;

    /** When the window's pulses run: live ticks land just before the next one. */
    private final PulseClock pulses = new PulseClock();

    /**
     * The player asked to record: every session is recorded until asked to stop or the agent stops.
     */
    private boolean recordingWanted;

    private Path recording;
    private long sessionStartMs;

    /** The A/B test running on the capture thread, for {@link #stopAbTest} from other threads. */
    private volatile AbRunner abRunner;

    public AgentController(
            CaptureBackend backend, Listener listener, SnapshotHandoff<Snapshot> snapshots) {
        this(backend, listener, snapshots, SAMPLE_PERIOD_MS);
    }

    public AgentController(
            CaptureBackend backend,
            Listener listener,
            SnapshotHandoff<Snapshot> snapshots,
            long samplePeriodMs) {
        this.backend = backend;
        this.listener = listener;
        this.snapshots = snapshots;
        this.samplePeriodMs = samplePeriodMs;
        this.thread =
                Executors.newSingleThreadScheduledExecutor(
                        r -> Thread.ofPlatform().daemon().name("dashboard-capture").unstarted(r));
    }

    /**
     * Whether the window is on screen (any thread). Shown: a snapshot per display frame reaches the
     * view, the recording interval still closes every {@link #SAMPLE_PERIOD_MS}. Hidden: only the
     * recording cadence runs and nothing is handed to the view, so a window in the tray costs
     * nothing per frame.
     */
    public void liveView(boolean shown) {
        execute(
                () -> {
                    if (shown != liveView) {
                        liveView = shown;
                        if (sampling != null) {
                            startLive();
                        }
                    }
                });
    }

    /**
     * The window ran a pulse at {@code nowNs} ({@link System#nanoTime}; FX thread, once per pulse):
     * live ticks are timed to land just before the next one.
     */
    public void framePulsed(long nowNs) {
        pulses.pulsed(nowNs);
    }

    /** Starts the agent (no-op while one runs). */
    public void start() {
        thread.execute(this::doStart);
    }

    /** Stops the self-test, the watching and the agent. */
    public void stop() {
        thread.execute(
                () -> {
                    if (session != null) {
                        listener.agentStatus(AgentStatus.stopping());
                        closeSession();
                    }
                    listener.agentStatus(AgentStatus.STOPPED);
                });
    }

    /** Watches {@code target} instead of the current target (null: watch nothing). */
    public void watch(ProcessInfo target) {
        thread.execute(() -> doWatch(target));
    }

    /** Starts a new session of samples for the same target (the player's Reset). */
    public void reset() {
        thread.execute(
                () -> {
                    if (session == null) {
                        listener.message("the agent is not running: nothing to reset");
                        return;
                    }
                    newSession();
                    listener.message("session reset: the numbers start again from now");
                });
    }

    /**
     * Starts recording the session into an .hlog (one file per session: a new target or a Reset
     * closes it and starts the next), or stops; closed files are in the Compare view's recent list.
     */
    void toggleRecording() {
        thread.execute(
                () -> {
                    if (session == null) {
                        listener.message("the agent is not running: start it to record");
                        return;
                    }
                    recordingWanted = recording == null;
                    if (recordingWanted) {
                        startRecording();
                    } else {
                        stopRecording();
                    }
                    reportSession();
                });
    }

    /** Starts the self-test workload, or stops it when it runs. */
    public void toggleSelftest() {
        thread.execute(
                () -> {
                    if (selftest != null) {
                        stopSelftest();
                    } else {
                        doStartSelftest();
                    }
                });
    }

    /**
     * Turns the scheduler on when it is off and off when it is on, as the agent reports it right
     * now.
     */
    public void toggleScheduler() {
        thread.execute(
                () -> {
                    readSched();
                    doSched(!sched.isOn());
                });
    }

    /**
     * {@code SCHED ON} or {@code SCHED OFF}; the reply (a refusal included) goes to the listener.
     */
    public void scheduler(boolean on) {
        thread.execute(() -> doSched(on));
    }

    /**
     * An asynchronous {@code SCHED} line arrived (any thread): reads the state again, and keeps the
     * kernel's exit reason when it sent one.
     */
    public void schedulerChanged(Protocol.Sched line) {
        execute(
                () -> {
                    if (line.hasExit()) {
                        sched =
                                sched.exited(
                                        "the kernel ended "
                                                + line.ops()
                                                + ": "
                                                + line.exitKind()
                                                + (line.reason().isEmpty()
                                                        ? ""
                                                        : " (" + line.reason() + ")")
                                                + (line.msg().isEmpty() ? "" : " " + line.msg()));
                        listener.message("scheduler " + sched.reason());
                    }
                    readSched();
                });
    }

    /** Marks the moment in the session files being recorded, or says that nothing records. */
    public void mark(String note) {
        thread.execute(
                () -> {
                    if (session == null) {
                        listener.message(
                                "nothing is recording (the agent is not running): no mark written");
                        return;
                    }
                    List<Path> files = session.mark(note);
                    listener.message(
                            files.isEmpty()
                                    ? "nothing is recording: marks go into the session files of running games whose profile"
                                            + " has monitor.record_session = true"
                                    : "marked "
                                            + files.stream()
                                                    .map(f -> f.getFileName().toString())
                                                    .collect(Collectors.joining(", ")));
                });
    }

    /**
     * Applies {@code profile} now (its tunables and scheduler choice); the outcome goes to the
     * listener.
     */
    public void applyProfile(Profile profile) {
        thread.execute(
                () -> {
                    if (session == null) {
                        listener.message(
                                "the agent is not running: start it to apply profile "
                                        + profile.name());
                        return;
                    }
                    try {
                        listener.message(session.applyProfile(profile));
                        listener.profileChosen(profile.name());
                    } catch (AgentException e) {
                        listener.message(
                                "profile " + profile.name() + " not applied: " + e.getMessage());
                    }
                    readSched();
                });
    }

    /** How an A/B test of the window ended: its result, or why it could not run. */
    public record AbOutcome(AbRunner.Result result, String error) {}

    /**
     * Runs an A/B test on the watched game (or the self-test) in this agent session. The capture
     * thread is the runner's for as long as the test runs: the window's own sampling pauses and the
     * runner's snapshots are drawn instead. {@link #stopAbTest} ends it early from any thread.
     */
    public void abTest(
            AbPlan plan,
            Path outDir,
            Prompter prompter,
            AbRunner.Listener progress,
            Consumer<AbOutcome> done) {
        thread.execute(() -> done.accept(doAbTest(plan, outDir, prompter, progress)));
    }

    /** Ends a running A/B test at its next tick (any thread); its rounds so far are kept. */
    public void stopAbTest() {
        AbRunner r = abRunner;
        if (r != null) {
            r.stop();
        }
    }

    private AbOutcome doAbTest(
            AbPlan plan, Path outDir, Prompter prompter, AbRunner.Listener progress) {
        if (session == null) {
            return new AbOutcome(null, "the agent is not running: start it first");
        }
        long pid = watched != null ? watched.pid() : selftest != null ? selftest.pid() : -1;
        if (pid < 0) {
            return new AbOutcome(
                    null,
                    "pick your game (or start the self-test) first: the A/B test measures the"
                            + " watched game");
        }
        Optional<String> why = AbRunner.unavailable(plan);
        if (why.isPresent()) {
            return new AbOutcome(null, why.get());
        }
        ProcessHandle game = ProcessHandle.of(pid).orElse(null);
        if (game == null) {
            return new AbOutcome(null, "the watched game (pid " + pid + ") is not running");
        }
        if (recording != null) {
            recordingWanted = false;
            stopRecording(); // the A/B test records its own rounds
            reportSession();
        }
        stopSampling();
        try {
            abRunner =
                    session.abTest(
                            plan,
                            outDir,
                            prompter,
                            game::isAlive,
                            new AbRunner.Listener() {
                                @Override
                                public void progress(AbRunner.Progress p) {
                                    progress.progress(p);
                                }

                                @Override
                                public void log(String line) {
                                    progress.log(line);
                                }

                                @Override
                                public void sampled(Snapshot s) {
                                    snapshots.publish(s);
                                }
                            });
            AbRunner.Result r = abRunner.run();
            readSched();
            return new AbOutcome(r, null);
        } catch (AbException | IOException e) {
            return new AbOutcome(null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AbOutcome(null, "interrupted");
        } finally {
            abRunner = null;
            if (session != null) {
                startSampling();
            }
        }
    }

    /**
     * Stops everything and waits for it (window close, JVM exit): the agent has exited when this
     * returns, unless the timeout passed.
     */
    public void shutdown(long timeoutMillis) {
        stopAbTest();
        try {
            thread.submit(this::closeSession).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            // Nothing more to do: the agent also exits by itself when our connection closes.
        }
        thread.shutdownNow();
    }

    /** Waits until every action queued before this call has run (tests). */
    void awaitIdle(long timeoutMillis) throws Exception {
        thread.submit(() -> {}).get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void doStart() {
        if (session != null) {
            return;
        }
        // Through pkexec the wait is for the player (polkit's dialog, up to minutes), not the
        // agent.
        listener.agentStatus(
                backend.startAsksForAuthorisation()
                        ? AgentStatus.authorising()
                        : AgentStatus.starting());
        CaptureBackend.Session s;
        try {
            s = backend.start(tgid -> thread.execute(() -> onWatchedExited(tgid)));
        } catch (AgentException | RuntimeException e) {
            listener.agentStatus(AgentStatus.failed(e.getMessage()));
            return;
        }
        session = s;
        long id = ++sessionId;
        listener.hello(s.hello());
        listener.agentStatus(AgentStatus.running(s.agentPid()));
        s.agentExit().whenComplete((v, e) -> execute(() -> onAgentExit(id)));
        startSampling();
        readSched();
        schedPoll =
                thread.scheduleWithFixedDelay(
                        this::pollSched, SCHED_POLL_MS, SCHED_POLL_MS, TimeUnit.MILLISECONDS);
        sessionStartMs = System.currentTimeMillis();
        reportSession();
        if (watched != null) {
            doWatch(watched);
        }
    }

    /** The target in words: the self-test, the watched process, or none. */
    private String target() {
        if (selftest != null) {
            return "gamer-selftest (pid " + selftest.pid() + ")";
        }
        return watched != null ? watched.name() + " (pid " + watched.pid() + ")" : "no target";
    }

    private long targetPid() {
        return selftest != null ? selftest.pid() : watched != null ? watched.pid() : 0;
    }

    /**
     * A new session: the charts' cumulative numbers start empty, and a recording goes on in a new
     * file (the previous one is closed and kept).
     */
    private void newSession() {
        if (session == null) {
            return;
        }
        session.resetSession();
        sessionStartMs = System.currentTimeMillis();
        if (recording != null) {
            stopRecording();
        }
        if (recordingWanted) {
            startRecording();
        }
        reportSession();
    }

    private void startRecording() {
        try {
            recording = session.startRecording(target(), targetPid());
            listener.message("recording the session to " + recording);
        } catch (IOException | RuntimeException e) {
            recording = null;
            recordingWanted = false;
            listener.message("not recording: " + e.getMessage());
        }
    }

    private void stopRecording() {
        Path was = recording;
        recording = null;
        if (session != null) {
            session.stopRecording()
                    .ifPresent(
                            f ->
                                    listener.message(
                                            "session saved to "
                                                    + f
                                                    + " (Compare opens it from its recent list)"));
        } else if (was != null) {
            listener.message("session saved to " + was);
        }
    }

    private void reportSession() {
        listener.session(
                session == null
                        ? SessionInfo.NONE
                        : new SessionInfo(target(), sessionStartMs, recording));
    }

    /**
     * Starts sampling: the recording interval closes at a fixed rate from now on ({@link
     * #SAMPLE_PERIOD_MS}, whether or not the window is shown, so the window's recordings keep
     * regular 250 ms intervals), and while the window is shown live ticks run in between.
     */
    private void startSampling() {
        stopSampling();
        sampling =
                thread.scheduleAtFixedRate(
                        this::closeTick, 0, samplePeriodMs, TimeUnit.MILLISECONDS);
        startLive();
    }

    private void stopSampling() {
        if (sampling != null) {
            sampling.cancel(false);
            sampling = null;
        }
        if (live != null) {
            live.cancel(false);
            live = null;
        }
    }

    /**
     * (Re)starts the live ticks when the window is shown, with a first one now; else stops them.
     */
    private void startLive() {
        if (live != null) {
            live.cancel(false);
            live = null;
        }
        if (liveView) {
            live = thread.schedule(this::liveTick, 0, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the recording interval; the snapshot reaches the view only while it is shown. */
    private void closeTick() {
        sampleOnce(true);
    }

    /**
     * A display-rate snapshot for the shown window, without closing the recording interval; then
     * schedules the next one just before the next pulse.
     */
    private void liveTick() {
        if (session == null || !liveView) {
            return;
        }
        sampleOnce(false);
        if (session != null) {
            live =
                    thread.schedule(
                            this::liveTick,
                            pulses.delayToNextTickNs(System.nanoTime()),
                            TimeUnit.NANOSECONDS);
        }
    }

    private void sampleOnce(boolean close) {
        if (session == null) {
            return;
        }
        try {
            Snapshot s = close ? session.sample() : session.sampleLive();
            if (liveView) {
                snapshots.publish(s);
            }
        } catch (RuntimeException e) {
            // A failed sample must not cancel the schedule (scheduleAtFixedRate stops on an
            // exception).
            listener.message("sampling failed: " + e);
        }
    }

    private void pollSched() {
        try {
            readSched();
        } catch (RuntimeException e) {
            // Like sampling: an exception would cancel the schedule.
            listener.message("reading the scheduler state failed: " + e);
        }
    }

    /** Reads {@code STATUS} and reports the scheduler state when it changed. */
    private void readSched() {
        if (session == null) {
            return;
        }
        try {
            report(sched.withStatus(session.status()));
        } catch (AgentException e) {
            // The agent is going away: its exit is reported by onAgentExit.
        }
    }

    private void report(SchedulerState now) {
        if (!now.equals(sched)) {
            sched = now;
            listener.scheduler(now);
        }
    }

    private void doSched(boolean on) {
        String verb = on ? "on" : "off";
        if (session == null) {
            listener.message("the agent is not running: start it to turn the scheduler " + verb);
            return;
        }
        try {
            Reply r = session.sched(on);
            String refusal = r.ok() ? "" : String.join(" ", r.words());
            sched = sched.answered(refusal);
            listener.scheduler(sched);
            readSched();
            listener.message(
                    r.ok()
                            ? "scheduler " + verb + ": " + sched.text()
                            : AgentWords.schedulerRefusal(on, r));
        } catch (AgentException e) {
            listener.message("scheduler not turned " + verb + ": " + e.getMessage());
        }
    }

    private void onAgentExit(long id) {
        if (session == null || id != sessionId) {
            return; // stopped on purpose, or an older session
        }
        String tail = session.agentStderrTail();
        int code = closeSession();
        listener.agentStatus(AgentStatus.exited(code, tail));
    }

    private void doWatch(ProcessInfo target) {
        if (session == null) {
            watched = target;
            listener.watched(target);
            if (target != null) {
                listener.message(
                        "the agent is not running: "
                                + target.name()
                                + " will be watched when it starts");
            }
            return;
        }
        try {
            if (watched != null && (target == null || watched.pid() != target.pid())) {
                unwatchQuietly(watched.pid());
            }
            boolean changed =
                    watched == null
                            ? target != null
                            : target == null || watched.pid() != target.pid();
            if (target != null) {
                session.watch(target.pid());
                listener.message("watching " + target.name() + " (" + target.pid() + ")");
            }
            watched = target;
            listener.watched(target);
            if (changed) {
                newSession(); // the new target's numbers, not the old one's under its name
            }
        } catch (AgentException | IllegalArgumentException e) {
            watched = null;
            listener.watched(null);
            listener.message("could not watch " + target.name() + ": " + e.getMessage());
        }
    }

    private void doStartSelftest() {
        if (session == null) {
            doStart();
            if (session == null) {
                return;
            }
        }
        try {
            CaptureBackend.Workload w = session.startSelftest();
            selftest = w;
            listener.selftestRunning(true);
            newSession();
            listener.message(
                    "self-test running: synthetic inputs into gamer-selftest (pid "
                            + w.pid()
                            + ")");
        } catch (AgentException | RuntimeException e) {
            listener.message("self-test failed: " + e.getMessage());
        }
    }

    private void stopSelftest() {
        if (selftest == null) {
            return;
        }
        CaptureBackend.Workload w = selftest;
        selftest = null;
        w.close();
        listener.selftestRunning(false);
        newSession();
    }

    private void onWatchedExited(long tgid) {
        if (watched != null && watched.pid() == tgid) {
            listener.message(watched.name() + " (" + tgid + ") exited; no longer watched");
            watched = null;
            listener.watched(null);
            // The game's session is over: its numbers stay on screen, its recording is closed.
            if (recording != null) {
                stopRecording();
                reportSession();
            }
        }
    }

    private void unwatchQuietly(long tgid) {
        try {
            session.unwatch(tgid);
        } catch (AgentException | RuntimeException e) {
            // The process is gone or the agent is: nothing is watched either way.
        }
    }

    /** Tears the session down; returns the agent's exit code (-1 killed or none). */
    private int closeSession() {
        if (recording != null && session != null) {
            stopRecording();
        }
        recordingWanted = false;
        if (selftest != null) {
            CaptureBackend.Workload w = selftest;
            selftest = null;
            w.close();
            listener.selftestRunning(false);
        }
        stopSampling();
        if (schedPoll != null) {
            schedPoll.cancel(false);
            schedPoll = null;
        }
        report(SchedulerState.UNKNOWN);
        if (session == null) {
            return -1;
        }
        CaptureBackend.Session s = session;
        session = null;
        reportSession();
        return s.close();
    }

    private void execute(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException e) {
            // shut down: nothing to report any more
        }
    }
}
