package org.gamercompanion.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyEvent;
import org.gamercompanion.session.CaptureSession;
import org.gamercompanion.snapshot.Snapshot;

/**
 * The latency histograms and counters of capture sessions as Prometheus metrics (docs/COLLECTOR.md
 * lists every metric). One instance outlives the sessions it is the {@link CaptureSession.Tap} of,
 * so its counters and histograms keep counting up across agent restarts.
 *
 * <pre>{@code
 * LatencyMetrics metrics = LatencyMetrics.create(LatencyMetrics.Options.defaults());
 * PrometheusRegistry registry = new PrometheusRegistry();
 * registry.register(metrics);
 * CaptureSession s = CaptureSession.start(options.withTap(metrics), listener);
 * // ... every scrape calls collect()
 * }</pre>
 *
 * <p><b>Attribution.</b> Every latency event is recorded, on the recorder thread, under the game of
 * its process (the matched profile's name, learnt before the process is watched: {@link
 * #gameStarting}; {@code ""} for processes watched without a profile) and the scheduler that runs
 * when the event reaches us (ops name, or {@code default}). The scheduler is re-read from sysfs on
 * every {@code SCHED} line, profile change and snapshot (at most every {@link
 * #SCHEDULER_POLL_NANOS}), so events of the few milliseconds around a switch may carry the previous
 * scheduler. Both label sets are bounded: {@link #MAX_GAMES} profile names and {@link
 * #MAX_SCHEDULERS} ops names, further ones are counted as {@code other}.
 *
 * <p><b>Threads.</b> Events are counted straight into each series' Prometheus buckets ({@link
 * PromHistogram}: any number of writers, a new session's recorder thread may start before the old
 * one's last event); {@link #collect} (scrape threads, serialised) copies out the buckets of the
 * series that changed since the last scrape and reuses the others' data points, so a scrape costs
 * what the populated buckets cost, not the samples (docs/PERFORMANCE.md, "Scrape cost"). A scrape
 * never waits for the agent.
 */
public final class LatencyMetrics implements MultiCollector, CaptureSession.Tap {
    /** Profile names kept as {@code game} values; later ones are {@code other}. */
    public static final int MAX_GAMES = 32;

    /** sched_ext ops names kept as {@code scheduler} values; later ones are {@code other}. */
    public static final int MAX_SCHEDULERS = 8;

    static final String OTHER = "other";
    static final String DEFAULT_SCHEDULER = "default";
    static final long SCHEDULER_POLL_NANOS = 250_000_000L;

    /**
     * Process -> game entries kept; the oldest is dropped beyond this (exited games' late events
     * then count as "").
     */
    private static final int MAX_TGIDS = 256;

    private static final int RINGS = Protocol.RING_COUNT;
    private static final int GAME_SLOTS = MAX_GAMES + 2;
    private static final int SCHED_SLOTS = MAX_SCHEDULERS + 2;

    /** Per (game, scheduler, kind): slot 0 is the merged series, 1 + ring the per-ring ones. */
    private static final int PER_KIND = 1 + RINGS;

    static final String LATENCY = "gamer_companion_latency_seconds";
    static final String RING_LATENCY = "gamer_companion_ring_latency_seconds";

    /** What to export besides the merged histograms. */
    public record Options(boolean perRing, int nativeSchema) {
        public Options {
            if (nativeSchema < PromBuckets.MIN_SCHEMA || nativeSchema > PromBuckets.MAX_SCHEMA) {
                throw new IllegalArgumentException(
                        "native_schema must be "
                                + PromBuckets.MIN_SCHEMA
                                + ".."
                                + PromBuckets.MAX_SCHEMA
                                + " (was "
                                + nativeSchema
                                + ")");
            }
        }

        /** Merged histograms only, native schema 8 (the finest: 0.27% buckets). */
        public static Options defaults() {
            return new Options(false, PromBuckets.MAX_SCHEMA);
        }
    }

    /**
     * Where the agent is, for the {@code gamer_companion_agent_state} state set and {@code
     * /healthz}.
     */
    public enum AgentState {
        STARTING,
        RUNNING,
        RESTARTING,
        STOPPED;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What {@code /healthz} says: healthy only while the agent runs. */
    public record Health(boolean healthy, String text) {}

    private static final String[] SCHED_STATES = {
        "absent", "disabled", "enabling", "enabled", "disabling"
    };

    private final Options options;
    private final Supplier<KernelStatus> kernel;
    private final AtomicReferenceArray<Series> series =
            new AtomicReferenceArray<>(GAME_SLOTS * SCHED_SLOTS * Kind.COUNT * PER_KIND);
    private final List<Series> created = new CopyOnWriteArrayList<>();

    /** Slot names: append-only under {@link #labelLock}, read by any thread. */
    private volatile List<String> games = List.of("");

    private volatile List<String> schedulers = List.of(DEFAULT_SCHEDULER);
    private final Object labelLock = new Object();

    /**
     * Process -> game slot, replaced whole (copy on write) so the recorder thread reads it without
     * a lock.
     */
    private volatile TgidMap tgids = new TgidMap(new long[0], new int[0]);

    private volatile int schedulerSlot;
    private volatile KernelStatus lastKernel;
    private volatile long lastKernelReadNs;

    private volatile AgentState agentState = AgentState.STARTING;
    private volatile String agentDetail = "starting";
    private volatile long restarts;
    private volatile Protocol.Sched lastExit;
    private final Map<String, Long> exitsByKind = new LinkedHashMap<>();

    /** Per ring: counts of the sessions that ended, and the running session's last sampled ones. */
    private final long[] endedEmitted = new long[RINGS];

    private final long[] endedConsumed = new long[RINGS];
    private final long[] endedLost = new long[RINGS];
    private volatile Snapshot lastSnapshot;
    private final long createdMillis = System.currentTimeMillis();

    private LatencyMetrics(Options options, Supplier<KernelStatus> kernel) {
        this.options = options;
        this.kernel = kernel;
        refreshScheduler(true);
    }

    public static LatencyMetrics create(Options options) {
        return new LatencyMetrics(options, KernelStatus::current);
    }

    /**
     * With a scheduler source of our own: tests and the scrape benchmark ({@code bench scrape})
     * switch schedulers without a kernel that has sched_ext.
     */
    public static LatencyMetrics create(Options options, Supplier<KernelStatus> kernel) {
        return new LatencyMetrics(options, kernel);
    }

    // ---- the agent's state (set by the collector daemon; sessions set RUNNING and STOPPED
    // themselves)

    /** Sets the agent state and why (e.g. {@code the agent died (signal 9); restart in 2 s}). */
    public void agentState(AgentState state, String detail) {
        agentDetail = detail;
        agentState = state;
    }

    public Health health() {
        AgentState s = agentState;
        return new Health(s == AgentState.RUNNING, s.id() + ": " + agentDetail);
    }

    // ---- CaptureSession.Tap

    @Override
    public void sessionStarted(Map<String, String> hello) {
        refreshScheduler(true);
        // The series of processes watched without a profile exist from the start, at 0: a range
        // query
        // (increase over a window) then has a baseline before the first sample, not only after it.
        createMerged(0);
        synchronized (this) {
            if (agentState == AgentState.RESTARTING) {
                restarts++; // before RUNNING shows: a scrape that sees the new agent also sees it
                // counted
            }
        }
        agentState(
                AgentState.RUNNING,
                "agent running, input hook "
                        + Protocol.readable(hello.getOrDefault("input_hook", "unknown")));
    }

    @Override
    public void sessionEnded() {
        Snapshot last = lastSnapshot;
        synchronized (this) {
            if (last != null) {
                for (int r = 0; r < RINGS && r < last.emitted().size(); r++) {
                    endedEmitted[r] += last.emitted().get(r);
                    endedConsumed[r] += last.consumed().get(r);
                    endedLost[r] += last.lost().get(r);
                }
            }
            lastSnapshot = null;
        }
        if (agentState == AgentState.RUNNING) {
            agentState(AgentState.STOPPED, "agent stopped");
        }
    }

    @Override
    public void sampled(Snapshot snapshot) {
        lastSnapshot = snapshot;
        refreshScheduler(false);
    }

    @Override
    public void sched(Protocol.Sched line) {
        if (line.hasExit()) {
            synchronized (this) {
                lastExit = line;
                exitsByKind.merge(line.exitKind(), 1L, Long::sum);
            }
        }
        refreshScheduler(true);
    }

    @Override
    public void activeProfile(Optional<ProfileMatcher.Hit> active) {
        // A profile may just have turned the scheduler on or off (the agent sends no SCHED line for
        // that).
        refreshScheduler(true);
    }

    @Override
    public void gameStarting(ProfileMatcher.Hit hit) {
        int slot = slotOf(hit.profile().name());
        synchronized (labelLock) {
            TgidMap m = tgids;
            long pid = hit.process().pid();
            int keep = Math.min(m.tgids.length, MAX_TGIDS - 1);
            long[] t = new long[keep + 1];
            int[] s = new int[keep + 1];
            int n = 0;
            for (int i = m.tgids.length - keep; i < m.tgids.length; i++) {
                if (m.tgids[i] != pid) {
                    t[n] = m.tgids[i];
                    s[n++] = m.slots[i];
                }
            }
            t[n] = pid;
            s[n++] = slot;
            tgids = new TgidMap(Arrays.copyOf(t, n), Arrays.copyOf(s, n));
        }
        createMerged(slot);
    }

    /** Creates the merged series of a game under the current scheduler, one per kind, at 0. */
    private void createMerged(int gameSlot) {
        for (Kind k : Kind.values()) {
            seriesAt(mergedIndex(gameSlot, schedulerSlot, k), -1);
        }
    }

    private static int mergedIndex(int gameSlot, int schedulerSlot, Kind kind) {
        return ((gameSlot * SCHED_SLOTS + schedulerSlot) * Kind.COUNT + kind.wireId()) * PER_KIND;
    }

    /**
     * Records one event (recorder thread): under its process's game and the current scheduler, and
     * with {@link Options#perRing} also under its ring.
     */
    @Override
    public void onLatency(LatencyEvent event) {
        Kind kind = Kind.ofWireId(event.kind());
        if (kind == null) {
            return;
        }
        int base = mergedIndex(gameSlotOf(event.tgid()), schedulerSlot, kind);
        long ns = event.latencyNs();
        seriesAt(base, -1).histogram().record(ns);
        if (options.perRing()) {
            int ring = event.ring();
            if (ring >= 0 && ring < RINGS) {
                seriesAt(base + 1 + ring, ring).histogram().record(ns);
            }
        }
    }

    private int gameSlotOf(long tgid) {
        TgidMap m = tgids;
        for (int i = m.tgids.length - 1; i >= 0; i--) {
            if (m.tgids[i] == tgid) {
                return m.slots[i];
            }
        }
        return 0;
    }

    private Series seriesAt(int index, int ring) {
        Series s = series.get(index);
        if (s != null) {
            return s;
        }
        int perGame = SCHED_SLOTS * Kind.COUNT * PER_KIND;
        int game = index / perGame;
        int sched = index % perGame / (Kind.COUNT * PER_KIND);
        Kind kind = Kind.ofWireId(index % (Kind.COUNT * PER_KIND) / PER_KIND);
        Series fresh =
                new Series(
                        ring,
                        new PromHistogram(
                                options.nativeSchema(),
                                labels(kind, schedulers.get(sched), games.get(game), ring),
                                System.currentTimeMillis()));
        if (series.compareAndSet(index, null, fresh)) {
            created.add(fresh);
            return fresh;
        }
        return series.get(index);
    }

    private static Labels labels(Kind kind, String scheduler, String game, int ring) {
        return ring < 0
                ? Labels.of("kind", kind.id(), "scheduler", scheduler, "game", game)
                : Labels.of(
                        "kind",
                        kind.id(),
                        "scheduler",
                        scheduler,
                        "game",
                        game,
                        "ring",
                        Integer.toString(ring));
    }

    /** The slot of a game name, adding it while there is room; {@code other} after that. */
    private int slotOf(String game) {
        List<String> g = games;
        int i = g.indexOf(game);
        if (i >= 0) {
            return i;
        }
        synchronized (labelLock) {
            g = games;
            i = g.indexOf(game);
            if (i >= 0) {
                return i;
            }
            String name = g.size() <= MAX_GAMES ? game : OTHER;
            i = g.indexOf(name);
            if (i >= 0) {
                return i;
            }
            List<String> next = new ArrayList<>(g);
            next.add(name);
            games = List.copyOf(next);
            return next.size() - 1;
        }
    }

    /**
     * Re-reads the scheduler from sysfs (always when {@code force}, else at most every {@link
     * #SCHEDULER_POLL_NANOS}).
     */
    private void refreshScheduler(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastKernelReadNs < SCHEDULER_POLL_NANOS) {
            return;
        }
        lastKernelReadNs = now;
        KernelStatus k = kernel.get();
        lastKernel = k;
        String name = schedulerName(k);
        List<String> s = schedulers;
        int i = s.indexOf(name);
        if (i < 0) {
            synchronized (labelLock) {
                s = schedulers;
                i = s.indexOf(name);
                if (i < 0) {
                    String n = s.size() <= MAX_SCHEDULERS ? name : OTHER;
                    i = s.indexOf(n);
                    if (i < 0) {
                        List<String> next = new ArrayList<>(s);
                        next.add(n);
                        schedulers = List.copyOf(next);
                        i = next.size() - 1;
                    }
                }
            }
        }
        schedulerSlot = i;
    }

    /**
     * The {@code scheduler} label: the sched_ext ops name while one is loaded (enabling, enabled,
     * disabling), else {@code default}.
     */
    static String schedulerName(KernelStatus k) {
        return switch (k.schedExtState()) {
            case "enabled", "enabling", "disabling" ->
                    k.schedExtOps().isEmpty() ? "sched_ext" : k.schedExtOps();
            default -> DEFAULT_SCHEDULER;
        };
    }

    // ---- scrape

    @Override
    public synchronized MetricSnapshots collect() {
        List<HistogramDataPointSnapshot> merged = new ArrayList<>();
        List<HistogramDataPointSnapshot> perRing = new ArrayList<>();
        for (Series s : created) {
            (s.ring() < 0 ? merged : perRing).add(s.histogram().point());
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(
                new HistogramSnapshot(
                        new MetricMetadata(
                                LATENCY,
                                "Latency per kind (input_to_run, wakeup_to_run, preempt_to_run; docs/METRICS.md), game and scheduler",
                                Unit.SECONDS),
                        merged));
        if (options.perRing()) {
            out.add(
                    new HistogramSnapshot(
                            new MetricMetadata(
                                    RING_LATENCY,
                                    "Latency per kind, game, scheduler and ring buffer (ring k serves CPUs k, k+16, ...)",
                                    Unit.SECONDS),
                            perRing));
        }
        Snapshot snap = lastSnapshot;
        out.add(
                ringCounter(
                        "gamer_companion_events_emitted",
                        "Samples the BPF programs submitted to the ring",
                        endedEmitted,
                        snap == null ? null : snap.emitted()));
        out.add(
                ringCounter(
                        "gamer_companion_events_consumed",
                        "Samples the ring reader consumed",
                        endedConsumed,
                        snap == null ? null : snap.consumed()));
        out.add(
                ringCounter(
                        "gamer_companion_events_lost",
                        "Samples lost because the ring was full",
                        endedLost,
                        snap == null ? null : snap.lost()));
        out.addAll(schedulerMetrics());
        out.addAll(agentMetrics());
        return new MetricSnapshots(out);
    }

    private static CounterSnapshot ringCounter(
            String name, String help, long[] ended, List<Long> running) {
        List<CounterDataPointSnapshot> points = new ArrayList<>(RINGS);
        for (int r = 0; r < RINGS; r++) {
            long v = ended[r] + (running == null || r >= running.size() ? 0 : running.get(r));
            points.add(
                    new CounterDataPointSnapshot(
                            v, Labels.of("ring", Integer.toString(r)), null, 0L));
        }
        return new CounterSnapshot(new MetricMetadata(name, help), points);
    }

    private List<MetricSnapshot> schedulerMetrics() {
        KernelStatus k = lastKernel;
        String state = k.schedExtState();
        boolean[] on = new boolean[SCHED_STATES.length];
        for (int i = 0; i < on.length; i++) {
            on[i] = SCHED_STATES[i].equals(state);
        }
        Protocol.Sched exit = lastExit;
        List<CounterDataPointSnapshot> exits = new ArrayList<>();
        exitsByKind.forEach(
                (kind, n) ->
                        exits.add(
                                new CounterDataPointSnapshot(
                                        n, Labels.of("exit_kind", kind), null, 0L)));
        return List.of(
                new StateSetSnapshot(
                        new MetricMetadata(
                                "gamer_companion_scheduler_state",
                                "sched_ext state from /sys/kernel/sched_ext/state (absent: the kernel has no sched_ext)"),
                        List.of(
                                new StateSetSnapshot.StateSetDataPointSnapshot(
                                        SCHED_STATES, on, Labels.EMPTY))),
                new InfoSnapshot(
                        new MetricMetadata(
                                "gamer_companion_scheduler",
                                "The scheduler (the scheduler label's value) and the last sched_ext exit seen: kind and reason"),
                        List.of(
                                new InfoSnapshot.InfoDataPointSnapshot(
                                        Labels.of(
                                                "scheduler",
                                                schedulerName(k),
                                                "exit_kind",
                                                exit == null ? "none" : exit.exitKind(),
                                                "exit_reason",
                                                exit == null ? "" : exit.reason(),
                                                "exit_ops",
                                                exit == null ? "" : exit.ops())))),
                new CounterSnapshot(
                        new MetricMetadata(
                                "gamer_companion_scheduler_exits",
                                "sched_ext exits the agent reported (SCHED lines), per exit kind"),
                        exits));
    }

    private List<MetricSnapshot> agentMetrics() {
        AgentState s = agentState;
        AgentState[] all = AgentState.values();
        String[] names = new String[all.length];
        boolean[] on = new boolean[all.length];
        for (int i = 0; i < all.length; i++) {
            names[i] = all[i].id();
            on[i] = all[i] == s;
        }
        return List.of(
                new StateSetSnapshot(
                        new MetricMetadata(
                                "gamer_companion_agent_state",
                                "The BPF agent: starting, running, restarting (it died; a new one starts) or stopped"),
                        List.of(
                                new StateSetSnapshot.StateSetDataPointSnapshot(
                                        names, on, Labels.EMPTY))),
                new CounterSnapshot(
                        new MetricMetadata(
                                "gamer_companion_agent_restarts",
                                "Times the collector started a new agent after the previous one died"),
                        List.of(
                                new CounterDataPointSnapshot(
                                        restarts, Labels.EMPTY, null, createdMillis))));
    }

    /** One exported histogram; {@code ring} is -1 for the merged ones. */
    private record Series(int ring, PromHistogram histogram) {}

    private record TgidMap(long[] tgids, int[] slots) {}
}
