package org.gamercompanion.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.HdrHistogram.Histogram;
import org.gamercompanion.app.Fx;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.recording.Fixtures;
import org.gamercompanion.recording.Recording;
import org.gamercompanion.snapshot.BucketCounts;
import org.gamercompanion.snapshot.LatencyBuckets;
import org.gamercompanion.snapshot.LatencySummary;
import org.gamercompanion.snapshot.P99Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The chart controls on the smallest scene that shows each behaviour (issue 14 item 8), fed from
 * the committed real recording: what they draw is read back from a snapshot's pixels.
 */
@ExtendWith(ApplicationExtension.class)
class ChartControlsTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = new StackPane();
        Fx.show(stage, root, 640, 240);
    }

    /** The merged input -> run histogram of the quiet self-test recording. */
    private static HistogramData realData() throws Exception {
        Recording rec = Recording.read(Fixtures.QUIET, 16, false);
        Histogram merged = LatencyRecorders.newHistogram();
        for (int r = 0; r < 16; r++) {
            merged.add(rec.histogram(Kind.INPUT_TO_RUN, r));
        }
        long[] counts = new long[LatencyBuckets.COUNT];
        LatencyBuckets.addTo(counts, merged);
        return new HistogramData(
                "merged \u00b7 input \u2192 run",
                BucketCounts.of(counts),
                LatencySummary.of(merged, 0),
                false);
    }

    private WritableImage show(FxRobot robot, Node node) {
        robot.interact(() -> root.getChildren().setAll(node));
        return Fx.get(
                () -> {
                    root.applyCss();
                    root.layout();
                    return node.snapshot(null, null);
                });
    }

    private static int count(WritableImage img, Color c) {
        PixelReader px = img.getPixelReader();
        int n = 0;
        for (int y = 0; y < (int) img.getHeight(); y++) {
            for (int x = 0; x < (int) img.getWidth(); x++) {
                if (px.getColor(x, y).equals(c)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void aHistogramOfRealSamplesDrawsBarsAndAnEmptyOneNone(FxRobot robot) throws Exception {
        HistogramChart chart = new HistogramChart();
        chart.setData(realData());
        assertThat(count(show(robot, chart), Palette.BAR)).as("bar pixels").isGreaterThan(200);
        HistogramChart empty = new HistogramChart();
        empty.setData(new HistogramData("merged", BucketCounts.EMPTY, LatencySummary.EMPTY, false));
        assertThat(count(show(robot, empty), Palette.BAR)).isZero();
    }

    @Test
    void aRingWithoutCpusIsDrawnAsSuchNotAsEmpty(FxRobot robot) {
        HistogramChart chart = new HistogramChart();
        chart.setCompact(true);
        chart.setData(new HistogramData("ring 5", BucketCounts.EMPTY, LatencySummary.EMPTY, true));
        WritableImage img = show(robot, chart);
        assertThat(img.getPixelReader().getColor(2, (int) img.getHeight() - 2))
                .isEqualTo(Palette.UNMAPPED);
        assertThat(count(img, Palette.BACKGROUND)).isZero();
    }

    @Test
    void thePercentileTableShowsTheSummaryWithUnitsAndDashesWithoutSamples(FxRobot robot)
            throws Exception {
        PercentileTable table = new PercentileTable();
        LatencySummary s = realData().summary();
        show(robot, table);
        robot.interact(() -> table.sessionProperty().set(s));
        assertThat(Fx.get(() -> ((Label) table.lookup("#pct-session-p99")).getText()))
                .isEqualTo(LatencyFormat.latency(s.p99Ns()));
        assertThat(Fx.get(() -> ((Label) table.lookup("#pct-session-count")).getText()))
                .isEqualTo(LatencyFormat.count(s.count()));
        assertThat(Fx.get(() -> ((Label) table.lookup("#pct-interval-p99")).getText()))
                .isEqualTo(LatencyFormat.NONE);
    }

    @Test
    void theP99StripLeavesSecondsWithoutSamplesBlank(FxRobot robot) {
        P99Strip strip = new P99Strip();
        long[] p99 = new long[P99Series.SECONDS];
        long[] counts = new long[P99Series.SECONDS];
        for (int i = 0; i < p99.length; i++) {
            p99[i] = i % 2 == 0 ? LatencySummary.NONE : 1_000_000;
            counts[i] = i % 2 == 0 ? 0 : 10;
        }
        strip.setSeries(P99Series.of(p99, counts));
        int half = count(show(robot, strip), Palette.P99);
        for (int i = 0; i < p99.length; i++) {
            p99[i] = 1_000_000;
        }
        P99Strip full = new P99Strip();
        full.setSeries(P99Series.of(p99, counts));
        int all = count(show(robot, full), Palette.P99);
        assertThat(half).isPositive();
        assertThat((double) half / all).isBetween(0.4, 0.6);
    }

    /** Issue 15 item 7: one 2.6 s outlier must not flatten every other second's bar. */
    @Test
    void theP99StripIsLogScaledSoAnOutlierLeavesTheOtherBarsVisible(FxRobot robot) {
        long[] p99 = new long[P99Series.SECONDS];
        long[] counts = new long[P99Series.SECONDS];
        Arrays.fill(p99, 1_000_000);
        Arrays.fill(counts, 10);
        p99[30] = 2_600_000_000L;
        P99Strip strip = new P99Strip();
        strip.setSeries(P99Series.of(p99, counts));
        WritableImage img = show(robot, strip);
        PixelReader px = img.getPixelReader();
        double slot = (img.getWidth() - 44 - 8) / P99Series.SECONDS;
        int outlier = barHeight(px, (int) (44 + slot * 30.5), (int) img.getHeight());
        int ordinary = barHeight(px, (int) (44 + slot * 10.5), (int) img.getHeight());
        assertThat(outlier).isPositive();
        assertThat((double) ordinary / outlier).as("1 ms next to 2.6 s").isGreaterThan(0.1);
    }

    private static int barHeight(PixelReader px, int x, int h) {
        int n = 0;
        for (int y = 0; y < h; y++) {
            if (px.getColor(x, y).equals(Palette.P99)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void theCompareChartDrawsASolidAndBHatchedAndNothingWithoutData(FxRobot robot)
            throws Exception {
        HistogramData d = realData();
        long[] buckets = new long[LatencyBuckets.COUNT];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = d.buckets().count(i);
        }
        CompareChart chart = new CompareChart();
        chart.setData(
                new CompareChartData(
                        "input \u2192 run",
                        "A",
                        "B",
                        buckets,
                        new long[LatencyBuckets.COUNT],
                        new long[] {20_000, 2_000_000},
                        new double[] {0.5, 1.0},
                        new long[0],
                        new double[0],
                        2_000_000,
                        -1));
        WritableImage img = show(robot, chart);
        assertThat(count(img, CompareChartSkin.A)).as("A's bars and curve").isGreaterThan(100);
        CompareChart empty = new CompareChart();
        WritableImage none = show(robot, empty);
        assertThat(count(none, CompareChartSkin.A)).as("only the legend's swatch").isLessThan(200);
        assertThat(count(none, CompareChartSkin.A)).isLessThan(count(img, CompareChartSkin.A));
    }
}
