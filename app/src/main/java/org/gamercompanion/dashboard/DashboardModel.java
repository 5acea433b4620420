package org.gamercompanion.dashboard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.gamercompanion.ab.AbPlan;
import org.gamercompanion.ab.AbRunner;
import org.gamercompanion.ab.Prompter;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.process.ProcessInfo;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.snapshot.BucketCounts;
import org.gamercompanion.snapshot.LatencySummary;
import org.gamercompanion.snapshot.P99Series;
import org.gamercompanion.snapshot.Snapshot;
import org.gamercompanion.view.HistogramData;

/**
 * The dashboard's view-model: what the window shows, as read-only JavaFX properties the views bind
 * to, and the actions its buttons call. No toolkit needed: JavaFX properties work without a running
 * FX platform, so it is tested with a fake {@link CaptureBackend} and a direct executor.
 *
 * <p>Threads: properties change on the {@code fx} executor only (the FX thread in the app). The
 * {@link AgentController} reports from its capture thread; this model moves each report onto {@code
 * fx}. Snapshots arrive coalesced through a {@link SnapshotHandoff}.
 *
 * <pre>{@code
 * DashboardModel model = new DashboardModel(new LiveCaptureBackend(), Platform::runLater,
 *         KernelStatus.current(), CpuTopology.current());
 * chart.dataProperty().bind(model.mergedProperty());
 * model.start();
 * }</pre>
 */
public final class DashboardModel {
    private final Executor fx;
    private final AgentController controller;

    private final ReadOnlyObjectWrapper<AgentStatus> agentStatus =
            new ReadOnlyObjectWrapper<>(AgentStatus.STOPPED);
    private final ReadOnlyObjectWrapper<KernelStatus> kernel;
    private final ReadOnlyStringWrapper inputHook =
            new ReadOnlyStringWrapper("unknown (agent not started)");
    private final ReadOnlyObjectWrapper<ProcessInfo> watched = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper selftestRunning = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    /** The last message's text and how many times in a row it was said (fx executor only). */
    private String lastMessage = "";

    private int messageRepeats;
    private final ReadOnlyStringWrapper activeProfile = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<SchedulerState> scheduler =
            new ReadOnlyObjectWrapper<>(SchedulerState.UNKNOWN);
    private final ReadOnlyObjectWrapper<List<ProfileWatch>> profileWatched =
            new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyStringWrapper watching = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<Snapshot> snapshot = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyLongWrapper snapshotsApplied = new ReadOnlyLongWrapper();
    private final ObjectProperty<Kind> kind =
            new SimpleObjectProperty<>(this, "kind", Kind.INPUT_TO_RUN);
    private final ObjectProperty<ViewMode> mode =
            new SimpleObjectProperty<>(this, "mode", ViewMode.CUMULATIVE);

    private final ReadOnlyObjectWrapper<HistogramData> merged =
            new ReadOnlyObjectWrapper<>(HistogramData.EMPTY);
    private final List<ReadOnlyObjectWrapper<HistogramData>> rings = new ArrayList<>();
    private final ReadOnlyObjectWrapper<LatencySummary> intervalSummary =
            new ReadOnlyObjectWrapper<>(LatencySummary.EMPTY);
    private final ReadOnlyObjectWrapper<LatencySummary> sessionSummary =
            new ReadOnlyObjectWrapper<>(LatencySummary.EMPTY);
    private final ReadOnlyObjectWrapper<P99Series> p99Series =
            new ReadOnlyObjectWrapper<>(P99Series.EMPTY);
    private final ReadOnlyObjectWrapper<AgentController.SessionInfo> session =
            new ReadOnlyObjectWrapper<>(AgentController.SessionInfo.NONE);
    private final ReadOnlyStringWrapper sessionText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper chartHint = new ReadOnlyStringWrapper("");

    private final List<String> ringTitles = new ArrayList<>();
    private final boolean[] ringUnmapped = new boolean[Protocol.RING_COUNT];

    public DashboardModel(
            CaptureBackend backend, Executor fx, KernelStatus kernelStatus, CpuTopology topology) {
        this(backend, fx, kernelStatus, topology, AgentController.SAMPLE_PERIOD_MS);
    }

    public DashboardModel(
            CaptureBackend backend,
            Executor fx,
            KernelStatus kernelStatus,
            CpuTopology topology,
            long samplePeriodMs) {
        this.fx = fx;
        this.kernel = new ReadOnlyObjectWrapper<>(kernelStatus);
        for (int r = 0; r < Protocol.RING_COUNT; r++) {
            List<Integer> cpus = topology.cpusOfRing(r, Protocol.RING_COUNT);
            ringUnmapped[r] = cpus.isEmpty();
            ringTitles.add(ringTitle(r, cpus));
            rings.add(
                    new ReadOnlyObjectWrapper<>(
                            new HistogramData(
                                    ringTitles.get(r),
                                    BucketCounts.EMPTY,
                                    LatencySummary.EMPTY,
                                    ringUnmapped[r])));
        }
        SnapshotHandoff<Snapshot> handoff = new SnapshotHandoff<>(fx, this::applySnapshot);
        this.controller = new AgentController(backend, new ToFx(), handoff, samplePeriodMs);
        kind.addListener(o -> refresh());
        mode.addListener(o -> refresh());
        for (Observable o :
                List.of(
                        agentStatus,
                        session,
                        inputHook,
                        watched,
                        selftestRunning,
                        profileWatched)) {
            o.addListener(x -> refresh());
        }
        watching.bind(
                Bindings.createStringBinding(
                        () ->
                                watchingText(
                                        watched.get(), profileWatched.get(), selftestRunning.get()),
                        watched,
                        profileWatched,
                        selftestRunning));
        refresh();
    }

    /**
     * A process watched because a profile matched it, not because the player picked it (issue 4).
     */
    public record ProfileWatch(String profile, long pid) {}

    /**
     * {@code Watching: bargame (1234)}, {@code Watching: Bar Game (pid 1234, by profile) +
     * self-test}, {@code Watching: nothing}. A process both picked and matched is listed once, as
     * picked.
     */
    static String watchingText(ProcessInfo picked, List<ProfileWatch> byProfile, boolean selftest) {
        List<String> parts = new ArrayList<>();
        if (picked != null) {
            parts.add(picked.name() + " (" + picked.pid() + ")");
        }
        for (ProfileWatch w : byProfile) {
            if (picked == null || picked.pid() != w.pid()) {
                parts.add(w.profile() + " (pid " + w.pid() + ", by profile)");
            }
        }
        if (selftest) {
            parts.add("self-test");
        }
        return "Watching: " + (parts.isEmpty() ? "nothing" : String.join(" + ", parts));
    }

    /** {@code ring 3 · CPUs 3,19}, {@code ring 0 · CPU 0}, {@code ring 5 · no CPU}. */
    static String ringTitle(int ring, List<Integer> cpus) {
        if (cpus.isEmpty()) {
            return "ring " + ring + " \u00b7 no CPU";
        }
        StringBuilder b =
                new StringBuilder("ring ")
                        .append(ring)
                        .append(" \u00b7 CPU")
                        .append(cpus.size() > 1 ? "s " : " ");
        for (int i = 0; i < cpus.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            if (i == 4 && cpus.size() > 5) {
                b.append("\u2026");
                break;
            }
            b.append(cpus.get(i));
        }
        return b.toString();
    }

    // ---- actions (any thread; they return at once)

    public void start() {
        controller.start();
    }

    /**
     * Tells the data path whether the window is on screen: shown, the charts get a snapshot per
     * display frame; hidden (iconified, in the tray), none at all ({@link
     * AgentController#liveView}).
     */
    public void liveView(boolean shown) {
        controller.liveView(shown);
    }

    /**
     * The window ran a pulse at {@code nowNs} (FX thread, every pulse): snapshots are timed to
     * arrive just before the next one ({@link AgentController#framePulsed}).
     */
    public void framePulsed(long nowNs) {
        controller.framePulsed(nowNs);
    }

    public void stop() {
        controller.stop();
    }

    /** Starts the agent again after it exited or failed. */
    public void restart() {
        controller.start();
    }

    public void toggleSelftest() {
        controller.toggleSelftest();
    }

    /** Watches {@code target} (null: stop watching the current target). */
    public void watch(ProcessInfo target) {
        controller.watch(target);
    }

    /**
     * Turns the scheduler on when the agent reports it off, and off when on (window, tray, hotkey).
     */
    public void toggleScheduler() {
        controller.toggleScheduler();
    }

    /**
     * {@code SCHED ON} / {@code SCHED OFF}; the agent's answer shows in {@link #schedulerProperty}.
     */
    public void scheduler(boolean on) {
        controller.scheduler(on);
    }

    /** An asynchronous {@code SCHED} line of the agent (any thread). */
    public void schedulerChanged(Protocol.Sched line) {
        controller.schedulerChanged(line);
    }

    /** Marks this moment in the session files being recorded (the hotkey); says so when none is. */
    public void markMoment(String note) {
        controller.mark(note);
    }

    /**
     * Applies a profile now, by hand (the tray's profile menu); a game detected later applies its
     * own.
     */
    public void applyProfile(Profile profile) {
        controller.applyProfile(profile);
    }

    /**
     * Runs an A/B test on the watched game (the A/B test window); progress and the outcome arrive
     * on the capture thread: the caller moves them to the FX thread.
     */
    public void abTest(
            AbPlan plan,
            Path outDir,
            Prompter prompter,
            AbRunner.Listener progress,
            Consumer<AgentController.AbOutcome> done) {
        controller.abTest(plan, outDir, prompter, progress, done);
    }

    /** Ends a running A/B test early (any thread); what it recorded is kept. */
    public void stopAbTest() {
        controller.stopAbTest();
    }

    /** Shows a one-line message (tray and hotkey availability, ...); any thread. */
    public void say(String text) {
        fx.execute(() -> showMessage(text));
    }

    /**
     * On the fx executor: the message line shows {@code text}; the same text again shows its count
     * ({@code settings saved to ... (2×)}), so that a repeat changes the line (it changed nothing
     * before: a second save or a second refused hotkey looked like no answer at all).
     */
    private void showMessage(String text) {
        if (text.isEmpty()) {
            lastMessage = "";
            messageRepeats = 0;
            message.set("");
            return;
        }
        if (text.equals(lastMessage)) {
            messageRepeats++;
        } else {
            lastMessage = text;
            messageRepeats = 1;
        }
        message.set(messageRepeats == 1 ? text : text + " (" + messageRepeats + "\u00d7)");
    }

    /** Stops the agent and waits for it (window close). */
    public void shutdown(long timeoutMillis) {
        controller.shutdown(timeoutMillis);
    }

    /** Waits until every queued action ran on the capture thread (tests). */
    void awaitIdle(long timeoutMillis) throws Exception {
        controller.awaitIdle(timeoutMillis);
    }

    /** A new session for the same target: the numbers start again from now. */
    void resetSession() {
        controller.reset();
    }

    /** Starts or stops recording the sessions into .hlog files (the Compare view's recent list). */
    void toggleRecording() {
        controller.toggleRecording();
    }

    // ---- snapshots

    /** Applies a new snapshot (fx executor). */
    void applySnapshot(Snapshot s) {
        snapshot.set(s);
        snapshotsApplied.set(snapshotsApplied.get() + 1);
        refresh();
    }

    private void refresh() {
        Snapshot s = snapshot.get();
        Kind k = kind.get();
        boolean cumulative = mode.get() == ViewMode.CUMULATIVE;
        String mergedTitle = "all rings \u00b7 " + label(k) + " \u00b7 " + mode.get().label();
        AgentStatus.Phase phase = agentStatus.get().phase();
        long shown = s == null ? 0 : s.kind(k).mergedCumulative().count();
        boolean hasTarget =
                watched.get() != null || selftestRunning.get() || !profileWatched.get().isEmpty();
        chartHint.set(hint(phase, hasTarget, k, shown, inputHook.get(), s != null));
        sessionText.set(sessionText(session.get(), s, phase));
        if (s == null) {
            setIfChanged(
                    merged,
                    new HistogramData(
                            mergedTitle, BucketCounts.EMPTY, LatencySummary.EMPTY, false));
            return;
        }
        Snapshot.KindView v = s.kind(k);
        LatencySummary mergedSummary = cumulative ? v.mergedCumulative() : v.mergedInterval();
        BucketCounts mergedBuckets =
                cumulative ? v.mergedCumulativeBuckets() : v.mergedIntervalBuckets();
        setIfChanged(merged, new HistogramData(mergedTitle, mergedBuckets, mergedSummary, false));
        List<LatencySummary> summaries = cumulative ? v.ringCumulative() : v.ringInterval();
        List<BucketCounts> buckets =
                cumulative ? v.ringCumulativeBuckets() : v.ringIntervalBuckets();
        for (int r = 0; r < rings.size() && r < summaries.size(); r++) {
            setIfChanged(
                    rings.get(r),
                    new HistogramData(
                            ringTitles.get(r), buckets.get(r), summaries.get(r), ringUnmapped[r]));
        }
        setIfChanged(intervalSummary, v.mergedInterval());
        setIfChanged(sessionSummary, v.mergedCumulative());
        setIfChanged(p99Series, v.p99PerSecond());
    }

    /**
     * What the charts cannot say themselves, in plain words: what to do first, why input -> run
     * stays empty, or that the numbers shown are no longer live. Empty when the charts speak for
     * themselves.
     */
    static String hint(
            AgentStatus.Phase phase,
            boolean hasTarget,
            Kind kind,
            long count,
            String inputHook,
            boolean hadData) {
        if (phase != AgentStatus.Phase.RUNNING) {
            return hadData && count > 0
                    ? "stopped: the agent is not running; these are the last session's numbers"
                    : "Start the agent to measure (Start agent, at the bottom).";
        }
        if (!hasTarget) {
            return "Pick your game in the list on the left (or start it with the launch wrapper: gamer-companion run --"
                    + " %command% in its Steam launch options), then play: the numbers fill as you press keys."
                    + " Self-test shows the whole path without a game.";
        }
        if (kind == Kind.INPUT_TO_RUN && count == 0 && inputHook.startsWith("unavailable")) {
            return "No input \u2192 run samples here: this kernel gives no input hook ("
                    + inputHook.substring("unavailable".length()).replaceFirst("^[:\\s]+", "")
                    + "), so key presses"
                    + " cannot be seen. Wake-up \u2192 run still measures your game; Self-test drives input \u2192 run"
                    + " with synthetic inputs.";
        }
        return "";
    }

    /** {@code Session: cs2 (pid 4242) · 1 min 20 s · recording to cs2-....hlog}. */
    static String sessionText(
            AgentController.SessionInfo info, Snapshot s, AgentStatus.Phase phase) {
        if (info.target().isEmpty()) {
            return phase == AgentStatus.Phase.RUNNING
                    ? ""
                    : "Session: none (the agent is not running)";
        }
        StringBuilder b = new StringBuilder("Session: ").append(info.target());
        if (s != null) {
            long sec = s.elapsedNs() / 1_000_000_000L;
            b.append(" \u00b7 ")
                    .append(sec < 60 ? sec + " s" : sec / 60 + " min " + sec % 60 + " s");
        }
        if (info.recording() != null) {
            b.append(" \u00b7 recording to ").append(info.recording().getFileName());
        }
        return b.toString();
    }

    /** Sets only on a real change, so charts of idle rings are not redrawn. */
    private static <T> void setIfChanged(ReadOnlyObjectWrapper<T> p, T value) {
        if (!value.equals(p.get())) {
            p.set(value);
        }
    }

    /**
     * {@code BTF yes · sched_ext absent} / {@code ... enabled (gamer)}; the release is in the
     * tooltip.
     */
    static String kernelText(KernelStatus k) {
        String scx =
                switch (k.schedExtState()) {
                    case "enabled" ->
                            "enabled (" + (k.schedExtOps().isEmpty() ? "?" : k.schedExtOps()) + ")";
                    default -> k.schedExtState();
                };
        return "BTF " + (k.btf() ? "yes" : "no") + " \u00b7 sched_ext " + scx;
    }

    /** {@code input → run} for the UI ({@link Kind#label()}). */
    public static String label(Kind k) {
        return k.label();
    }

    // ---- properties

    public ReadOnlyObjectProperty<AgentStatus> agentStatusProperty() {
        return agentStatus.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<KernelStatus> kernelProperty() {
        return kernel.getReadOnlyProperty();
    }

    /** The sched_ext scheduler as the agent reports it; {@code UNKNOWN} while no agent runs. */
    public ReadOnlyObjectProperty<SchedulerState> schedulerProperty() {
        return scheduler.getReadOnlyProperty();
    }

    /** The profile applied right now, "" when none (issue 4, docs/PROFILES.md). */
    public ReadOnlyStringProperty activeProfileProperty() {
        return activeProfile.getReadOnlyProperty();
    }

    /** Sets the active profile text; any thread (crosses to {@code fx}). */
    public void showActiveProfile(String text) {
        fx.execute(() -> activeProfile.set(text));
    }

    /** The processes watched because a profile matched them, oldest first; empty when none. */
    ReadOnlyObjectProperty<List<ProfileWatch>> profileWatchedProperty() {
        return profileWatched.getReadOnlyProperty();
    }

    /** Sets the processes watched by profile; any thread (crosses to {@code fx}). */
    public void showProfileWatched(List<ProfileWatch> byProfile) {
        List<ProfileWatch> copy = List.copyOf(byProfile);
        fx.execute(() -> profileWatched.set(copy));
    }

    /** The target line of the picker: what is watched, picked, by profile and self-test. */
    public ReadOnlyStringProperty watchingProperty() {
        return watching.getReadOnlyProperty();
    }

    /** {@code attached: fentry}, or {@code unavailable: fentry refused (EPERM); ...}. */
    ReadOnlyStringProperty inputHookProperty() {
        return inputHook.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<ProcessInfo> watchedProperty() {
        return watched.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty selftestRunningProperty() {
        return selftestRunning.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Snapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    /** How many snapshots reached the view (each one redraws what changed). */
    public ReadOnlyLongProperty snapshotsAppliedProperty() {
        return snapshotsApplied.getReadOnlyProperty();
    }

    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    ObjectProperty<ViewMode> modeProperty() {
        return mode;
    }

    ReadOnlyObjectProperty<HistogramData> mergedProperty() {
        return merged.getReadOnlyProperty();
    }

    /** Ring {@code r}'s chart data. */
    ReadOnlyObjectProperty<HistogramData> ringProperty(int r) {
        return rings.get(r).getReadOnlyProperty();
    }

    /**
     * Whether some CPU of this machine writes to ring {@code r} (ring k serves CPUs k, k+16, ...).
     */
    boolean ringHasCpus(int r) {
        return !ringUnmapped[r];
    }

    /**
     * {@code rings 2-15: no CPU writes here on this 2-CPU machine}, or "" when every ring has a
     * CPU: the rings without one are folded into this line instead of 14 empty tiles.
     */
    String foldedRingsText() {
        int first = -1;
        int count = 0;
        for (int r = 0; r < ringUnmapped.length; r++) {
            if (ringUnmapped[r]) {
                first = first < 0 ? r : first;
                count++;
            }
        }
        if (count == 0) {
            return "";
        }
        int cpus = ringUnmapped.length - count;
        String which =
                count == 1
                        ? "ring " + first
                        : first + count - 1 == ringUnmapped.length - 1
                                ? "rings " + first + "\u2013" + (ringUnmapped.length - 1)
                                : count + " rings";
        return which
                + ": no CPU writes here on this "
                + cpus
                + "-CPU machine (ring k serves CPUs k, k+16, \u2026)";
    }

    public int ringCount() {
        return rings.size();
    }

    ReadOnlyObjectProperty<LatencySummary> intervalSummaryProperty() {
        return intervalSummary.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<LatencySummary> sessionSummaryProperty() {
        return sessionSummary.getReadOnlyProperty();
    }

    /** The session the charts show: its target, start and recording. */
    public ReadOnlyObjectProperty<AgentController.SessionInfo> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    /** The session in words, with its age, updated with every snapshot. */
    ReadOnlyStringProperty sessionTextProperty() {
        return sessionText.getReadOnlyProperty();
    }

    /**
     * What to do first, why a chart stays empty, or that the numbers are not live; "" when nothing.
     */
    ReadOnlyStringProperty chartHintProperty() {
        return chartHint.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<P99Series> p99SeriesProperty() {
        return p99Series.getReadOnlyProperty();
    }

    // ---- derived state for buttons

    /** Start is offered when no agent runs (stopped, exited, failed). */
    public BooleanBinding canStartProperty() {
        return Bindings.createBooleanBinding(() -> !agentStatus.get().isActive(), agentStatus);
    }

    BooleanBinding canStopProperty() {
        return Bindings.createBooleanBinding(
                () -> agentStatus.get().phase() == AgentStatus.Phase.RUNNING, agentStatus);
    }

    /** Restart is offered after the agent died. */
    BooleanBinding canRestartProperty() {
        return Bindings.createBooleanBinding(
                () -> agentStatus.get().phase() == AgentStatus.Phase.EXITED, agentStatus);
    }

    /** Listener reports from the capture thread, moved onto the fx executor. */
    private final class ToFx implements AgentController.Listener {
        @Override
        public void agentStatus(AgentStatus status) {
            fx.execute(
                    () -> {
                        agentStatus.set(status);
                        if (status.phase() == AgentStatus.Phase.FAILED
                                || status.phase() == AgentStatus.Phase.EXITED) {
                            showMessage("agent " + status.text());
                        } else if (status.phase() == AgentStatus.Phase.RUNNING) {
                            // A new agent: "... exited" and the like are about the old one (issue
                            // 15 item 6).
                            showMessage("");
                        }
                    });
        }

        @Override
        public void hello(Map<String, String> hello) {
            String hook = Protocol.readable(hello.getOrDefault("input_hook", "unknown"));
            fx.execute(() -> inputHook.set(hook));
        }

        @Override
        public void watched(ProcessInfo target) {
            fx.execute(() -> watched.set(target));
        }

        @Override
        public void selftestRunning(boolean running) {
            fx.execute(() -> selftestRunning.set(running));
        }

        @Override
        public void message(String text) {
            fx.execute(() -> showMessage(text));
        }

        @Override
        public void scheduler(SchedulerState state) {
            fx.execute(() -> scheduler.set(state));
        }

        @Override
        public void profileChosen(String name) {
            fx.execute(() -> activeProfile.set(name + " (chosen)"));
        }

        @Override
        public void session(AgentController.SessionInfo info) {
            fx.execute(() -> session.set(info));
        }
    }
}
