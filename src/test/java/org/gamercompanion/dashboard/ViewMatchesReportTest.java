package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;
import org.gamercompanion.app.Fx;
import org.gamercompanion.cli.CliRun;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.Fixtures;
import org.gamercompanion.snapshot.LatencySummary;
import org.gamercompanion.view.HistogramChart;
import org.gamercompanion.view.LatencyFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window shows the numbers that {@code report --json} (the same code as {@code record --json})
 * computes for the same recording: a committed real .hlog is replayed through the live path
 * (recorders, sampler, snapshot hand-off, model, view) and every kind's percentile table and ring
 * charts are read off the screen and compared with the JSON.
 */
@ExtendWith(ApplicationExtension.class)
class ViewMatchesReportTest {
    private static final String[] PERCENTILES = {"p50", "p90", "p99", "p999", "max"};

    private final FakeBackend backend = new FakeBackend();
    private DashboardModel model;

    @Start
    void start(Stage stage) {
        model = DashboardScene.model(backend);
        Fx.show(stage, new DashboardView(model), 1280, 800);
    }

    @AfterEach
    void stop() {
        model.shutdown(2000);
    }

    @Test
    void aQuietSelftestRecordingShowsTheReportsPercentilesAndCounts(FxRobot robot)
            throws IOException {
        assertViewShowsReport(robot, Fixtures.QUIET);
    }

    @Test
    void aVmGameRecordingWithRealKeysShowsTheReportsPercentilesAndCounts(FxRobot robot)
            throws IOException {
        assertViewShowsReport(robot, Fixtures.VM_AB_GAMER);
    }

    private void assertViewShowsReport(FxRobot robot, Path recording) throws IOException {
        CliRun run = CliRun.of("report", recording.toString(), "--json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());

        robot.clickOn("#startAgent");
        Fx.waitFor(
                "the agent to run",
                10,
                () -> model.agentStatusProperty().get().phase() == AgentStatus.Phase.RUNNING);
        replay(recording, backend.last());

        for (Kind kind : Kind.values()) {
            JsonNode json = report.get("kinds").get(kind.id());
            long count = json.get("merged").get("count").asLong();
            assertThat(count).as("the fixture has %s samples", kind.id()).isPositive();
            robot.clickOn("#kind-" + kind.id());
            Fx.waitFor(
                    kind.id() + ": all " + count + " samples in the table",
                    10,
                    () -> text(robot, "#pct-session-count").equals(LatencyFormat.count(count)));
            for (String p : PERCENTILES) {
                assertThat(text(robot, "#pct-session-" + p))
                        .as("%s %s in the session column", kind.id(), p)
                        .isEqualTo(LatencyFormat.latency(ns(json.get("merged"), p)));
            }
            assertSummary(
                    kind + " merged chart", summary(robot, "#mergedHistogram"), json.get("merged"));
            for (JsonNode buffer : json.get("buffers")) {
                int ring = buffer.get("index").asInt();
                if (ring < 2) { // the other 14 rings have no CPU here: no chart, and no samples
                    assertSummary(kind + " ring " + ring, summary(robot, "#ring-" + ring), buffer);
                } else {
                    assertThat(buffer.get("count").asLong()).isZero();
                }
            }
        }
    }

    /**
     * Records every value of the recording into the fake session's real recorders, as the ring
     * reader would have: the window's sampler takes it from there.
     */
    private static void replay(Path recording, FakeBackend.FakeSession session) throws IOException {
        HistogramLogReader reader = new HistogramLogReader(recording.toFile());
        try {
            EncodableHistogram eh;
            while ((eh = reader.nextIntervalHistogram()) != null) {
                String[] tag = eh.getTag().split("\\.ring");
                Kind kind = Kind.ofId(tag[0]);
                int ring = Integer.parseInt(tag[1]);
                for (HistogramIterationValue v : ((Histogram) eh).recordedValues()) {
                    for (long i = 0; i < v.getCountAtValueIteratedTo(); i++) {
                        session.record(ring, kind, v.getValueIteratedTo());
                    }
                }
            }
        } finally {
            reader.close();
        }
    }

    private static void assertSummary(String what, LatencySummary shown, JsonNode json) {
        assertThat(shown.count()).as(what + " count").isEqualTo(json.get("count").asLong());
        assertThat(
                        new long[] {
                            shown.p50Ns(),
                            shown.p90Ns(),
                            shown.p99Ns(),
                            shown.p999Ns(),
                            shown.maxNs()
                        })
                .as(what + " p50, p90, p99, p99.9, max (ns)")
                .containsExactly(
                        ns(json, "p50"),
                        ns(json, "p90"),
                        ns(json, "p99"),
                        ns(json, "p999"),
                        ns(json, "max"));
    }

    /** The JSON's microseconds (ns / 1000, exact to 3 decimals) back in nanoseconds. */
    private static long ns(JsonNode summary, String percentile) {
        return Math.round(summary.get(percentile + "_us").asDouble() * 1000);
    }

    private static String text(FxRobot robot, String id) {
        return Fx.get(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    private static LatencySummary summary(FxRobot robot, String id) {
        return Fx.get(() -> robot.lookup(id).queryAs(HistogramChart.class).getData().summary());
    }
}
