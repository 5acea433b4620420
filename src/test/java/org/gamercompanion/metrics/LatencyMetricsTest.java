package org.gamercompanion.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.data.Offset;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.detect.ProcessIdentity;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.TestEvents;
import org.gamercompanion.snapshot.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LatencyMetricsTest {
    private static final KernelStatus NO_SCX = new KernelStatus(true, "absent", "", "6.18.0");
    private static final KernelStatus GAMER = new KernelStatus(true, "enabled", "gamer", "6.18.0");

    private final AtomicReference<KernelStatus> kernel = new AtomicReference<>(NO_SCX);

    private LatencyMetrics metrics(boolean perRing) {
        LatencyMetrics m =
                LatencyMetrics.create(new LatencyMetrics.Options(perRing, 8), kernel::get);
        m.sessionStarted(Map.of("input_hook", "attached:fentry"));
        return m;
    }

    private static ProfileMatcher.Hit hit(String profile, long pid) {
        return new ProfileMatcher.Hit(
                Profile.named(profile),
                ProfileMatcher.Rule.EXE,
                new ProcessIdentity(pid, "game", "game", List.of("game"), 0));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eventsAreCountedUnderTheirProfilesGameAndTheSchedulerOfTheMoment(Kind kind) {
        LatencyMetrics m = metrics(false);
        m.gameStarting(hit("Bar Game", 100));
        m.onLatency(TestEvents.of(kind, 100, 0, 5_000));
        m.onLatency(TestEvents.of(kind, 200, 1, 7_000)); // watched without a profile
        kernel.set(GAMER);
        m.sched(new Protocol.Sched("enabled", "gamer", "", "", ""));
        m.onLatency(TestEvents.of(kind, 100, 0, 3_000));

        HistogramSnapshot h = histogram(m.collect(), LatencyMetrics.LATENCY);
        assertThat(count(h, kind, "default", "Bar Game")).isEqualTo(1);
        assertThat(count(h, kind, "default", "")).isEqualTo(1);
        assertThat(count(h, kind, "gamer", "Bar Game")).isEqualTo(1);
        HistogramDataPointSnapshot p = point(h, kind, "default", "Bar Game");
        assertThat(p.getSum()).isCloseTo(5e-6, Offset.offset(1e-8));
        // 5 us: above the 4 us bound, within 8 us.
        assertThat(p.getClassicBuckets().getCount(2)).isZero();
        assertThat(p.getClassicBuckets().getCount(3)).isEqualTo(1);
        assertThat(p.getNativeSchema()).isEqualTo(8);
    }

    @Test
    void gamesBeyondTheBudgetAreCountedAsOther() {
        LatencyMetrics m = metrics(false);
        for (int i = 0; i < LatencyMetrics.MAX_GAMES + 8; i++) {
            m.gameStarting(hit("game " + i, 1000 + i));
            m.onLatency(TestEvents.of(Kind.WAKEUP_TO_RUN, 1000 + i, 0, 10_000));
        }
        HistogramSnapshot h = histogram(m.collect(), LatencyMetrics.LATENCY);
        List<String> games =
                h.getDataPoints().stream().map(p -> p.getLabels().get("game")).distinct().toList();
        assertThat(games).hasSize(LatencyMetrics.MAX_GAMES + 2).contains("", "game 0", "other");
        assertThat(count(h, Kind.WAKEUP_TO_RUN, "default", "other")).isEqualTo(8);
    }

    @Test
    void seriesOfUnmatchedProcessesAndOfAGameExistAtZeroBeforeTheirFirstEvent() {
        LatencyMetrics m = metrics(false);
        m.gameStarting(hit("Bar Game", 100));
        HistogramSnapshot h = histogram(m.collect(), LatencyMetrics.LATENCY);
        for (Kind k : Kind.values()) {
            assertThat(count(h, k, "default", "")).isZero();
            assertThat(count(h, k, "default", "Bar Game")).isZero();
        }
    }

    @Test
    void perRingSeriesOnlyWhenAskedFor() {
        LatencyMetrics off = metrics(false);
        off.onLatency(TestEvents.of(Kind.INPUT_TO_RUN, 1, 5, 1_000));
        assertThat(family(off.collect(), LatencyMetrics.RING_LATENCY)).isEmpty();

        LatencyMetrics on = metrics(true);
        on.onLatency(TestEvents.of(Kind.INPUT_TO_RUN, 1, 5, 1_000));
        on.onLatency(TestEvents.of(Kind.INPUT_TO_RUN, 1, 7, 1_000));
        HistogramSnapshot rings =
                (HistogramSnapshot) family(on.collect(), LatencyMetrics.RING_LATENCY).orElseThrow();
        assertThat(rings.getDataPoints())
                .extracting(p -> p.getLabels().get("ring"))
                .containsExactlyInAnyOrder("5", "7");
        assertThat(
                        count(
                                histogram(on.collect(), LatencyMetrics.LATENCY),
                                Kind.INPUT_TO_RUN,
                                "default",
                                ""))
                .isEqualTo(2);
    }

    @Test
    void countersAndHistogramsKeepCountingAcrossAgentRestarts() {
        LatencyMetrics m = metrics(false);
        m.onLatency(TestEvents.of(Kind.WAKEUP_TO_RUN, 1, 0, 1_000));
        m.sampled(snapshot(10, 9, 1));
        m.collect();
        m.sessionEnded();
        assertThat(m.health().healthy()).isFalse();
        m.sessionStarted(Map.of());
        m.onLatency(TestEvents.of(Kind.WAKEUP_TO_RUN, 1, 0, 1_000));
        m.sampled(snapshot(4, 4, 0));
        MetricSnapshots s = m.collect();
        assertThat(counter(s, "gamer_companion_events_emitted", "0")).isEqualTo(14);
        assertThat(counter(s, "gamer_companion_events_consumed", "0")).isEqualTo(13);
        assertThat(counter(s, "gamer_companion_events_lost", "0")).isEqualTo(1);
        assertThat(counter(s, "gamer_companion_events_lost", "15")).isZero();
        assertThat(count(histogram(s, LatencyMetrics.LATENCY), Kind.WAKEUP_TO_RUN, "default", ""))
                .isEqualTo(2);
        assertThat(m.health().healthy()).isTrue();
    }

    @Test
    void theSchedulerStateAndItsLastExitAreExported() {
        LatencyMetrics m = metrics(false);
        kernel.set(new KernelStatus(true, "disabled", "", "6.18.0"));
        m.sched(
                new Protocol.Sched(
                        "disabled", "gamer", "error_stall", "watchdog", "runnable task stall"));
        MetricSnapshots s = m.collect();
        StateSetSnapshot state =
                (StateSetSnapshot) family(s, "gamer_companion_scheduler_state").orElseThrow();
        StateSetSnapshot.StateSetDataPointSnapshot p = state.getDataPoints().get(0);
        for (int i = 0; i < p.size(); i++) {
            assertThat(p.isTrue(i)).as(p.getName(i)).isEqualTo(p.getName(i).equals("disabled"));
        }
        InfoSnapshot info = (InfoSnapshot) family(s, "gamer_companion_scheduler").orElseThrow();
        assertThat(info.getDataPoints().get(0).getLabels().get("exit_kind"))
                .isEqualTo("error_stall");
        assertThat(info.getDataPoints().get(0).getLabels().get("exit_reason"))
                .isEqualTo("watchdog");
        assertThat(info.getDataPoints().get(0).getLabels().get("scheduler")).isEqualTo("default");
        CounterSnapshot exits =
                (CounterSnapshot) family(s, "gamer_companion_scheduler_exits").orElseThrow();
        assertThat(exits.getDataPoints().get(0).getValue()).isEqualTo(1);
    }

    @Test
    void everyExpositionFormatWritesIt() throws Exception {
        LatencyMetrics m = metrics(true);
        m.gameStarting(hit("Bar Game", 100));
        for (int i = 1; i <= 1000; i++) {
            m.onLatency(TestEvents.of(Kind.INPUT_TO_RUN, 100, i % 16, i * 997L));
        }
        m.sched(new Protocol.Sched("disabled", "gamer", "sysrq", "disabled by sysrq-S", "-"));
        MetricSnapshots s = m.collect();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(text, s);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains(
                        "gamer_companion_latency_seconds_bucket{game=\"Bar Game\",kind=\"input_to_run\",scheduler=\"default\",le=\"+Inf\"} 1000");
        ByteArrayOutputStream om = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.create().write(om, s);
        assertThat(om.toString(StandardCharsets.UTF_8))
                .contains("# TYPE gamer_companion_scheduler_state stateset")
                .endsWith("# EOF\n");
        ByteArrayOutputStream pb = new ByteArrayOutputStream();
        new PrometheusProtobufWriter().write(pb, s);
        assertThat(pb.size()).isPositive();
    }

    private static Snapshot snapshot(long emitted0, long consumed0, long lost0) {
        List<Long> e = new ArrayList<>(Collections.nCopies(16, 0L));
        List<Long> c = new ArrayList<>(Collections.nCopies(16, 0L));
        List<Long> l = new ArrayList<>(Collections.nCopies(16, 0L));
        e.set(0, emitted0);
        c.set(0, consumed0);
        l.set(0, lost0);
        return new Snapshot(0, 0, 0, new EnumMap<>(Kind.class), e, l, c, 0);
    }

    private static Optional<MetricSnapshot> family(MetricSnapshots s, String name) {
        return s.stream().filter(f -> f.getMetadata().getName().equals(name)).findFirst();
    }

    private static HistogramSnapshot histogram(MetricSnapshots s, String name) {
        return (HistogramSnapshot) family(s, name).orElseThrow();
    }

    private static HistogramDataPointSnapshot point(
            HistogramSnapshot h, Kind kind, String scheduler, String game) {
        return h.getDataPoints().stream()
                .filter(
                        p ->
                                p.getLabels().get("kind").equals(kind.id())
                                        && p.getLabels().get("scheduler").equals(scheduler)
                                        && p.getLabels().get("game").equals(game)
                                        && !p.getLabels().contains("ring"))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no series kind="
                                                + kind.id()
                                                + " scheduler="
                                                + scheduler
                                                + " game="
                                                + game));
    }

    private static long count(HistogramSnapshot h, Kind kind, String scheduler, String game) {
        return point(h, kind, scheduler, game).getCount();
    }

    private static double counter(MetricSnapshots s, String name, String ring) {
        return ((CounterSnapshot) family(s, name).orElseThrow())
                .getDataPoints().stream()
                        .filter(p -> p.getLabels().get("ring").equals(ring))
                        .findFirst()
                        .orElseThrow()
                        .getValue();
    }
}
