package org.gamercompanion.compareview;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.gamercompanion.app.Fx;
import org.gamercompanion.compare.Comparison;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.Fixtures;
import org.gamercompanion.view.CompareChart;
import org.gamercompanion.view.CompareChartData;
import org.gamercompanion.view.LatencyFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Compare view on the two committed real recordings (headless): verdict, table, both curves,
 * exports.
 */
@ExtendWith(ApplicationExtension.class)
class CompareViewTest {
    @TempDir Path tmp;

    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private CompareModel model;
    private CompareView view;

    @Start
    void start(Stage stage) {
        model = new CompareModel(Platform::runLater, worker, tmp.resolve("state"));
        view = new CompareView(model);
        Fx.show(stage, view, 1180, 640);
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    private static String text(FxRobot robot, String id) {
        return Fx.get(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    private Comparison openFixtures(FxRobot robot) {
        robot.interact(
                () -> model.open(Fixtures.QUIET.toAbsolutePath(), Fixtures.HOGS.toAbsolutePath()));
        Fx.waitFor("the comparison", 30, () -> model.comparisonProperty().get() != null);
        return Fx.get(() -> model.comparisonProperty().get());
    }

    @Test
    void twoRecordingsShowTheVerdictTheTableAndBothCurves(FxRobot robot) {
        Comparison c = openFixtures(robot);
        Comparison.KindResult in = c.kind(Kind.INPUT_TO_RUN);
        assertThat(text(robot, "#compareVerdict"))
                .isEqualTo(c.verdict().replace("->", " \u2192 "))
                .startsWith("B raises p99 input \u2192 run to");
        assertThat(text(robot, "#cmp-p99-a"))
                .isEqualTo(LatencyFormat.latency(in.a().percentileNs("p99")));
        assertThat(text(robot, "#cmp-p99-b"))
                .isEqualTo(LatencyFormat.latency(in.b().percentileNs("p99")));
        assertThat(text(robot, "#cmp-p99-ratio"))
                .isEqualTo(in.ratio("p99").text() + " \u25b2 higher");
        assertThat(text(robot, "#cmp-p99_9-ratio")).isEqualTo("too few samples");
        assertThat(text(robot, "#cmp-count-a")).isEqualTo(LatencyFormat.count(in.a().count()));
        assertThat(text(robot, "#compareNotes"))
                .contains("A: default (EEVDF)", "selftest-quiet.hlog", "B: default (EEVDF)");
        CompareChartData chart =
                Fx.get(() -> robot.lookup("#compareChart").queryAs(CompareChart.class).getData());
        assertThat(chart.curveValuesA()).isNotEmpty();
        assertThat(chart.curveValuesB()).isNotEmpty();
        assertThat(chart.curveFractionsA()[chart.curveFractionsA().length - 1]).isEqualTo(1.0);
        assertThat(chart.p99B()).isEqualTo(in.b().percentileNs("p99"));
        assertThat(Fx.get(() -> robot.lookup("#compareChart").query().getAccessibleText()))
                .contains("p99 A ");
    }

    @Test
    void choosingAKindShowsItsVerdictAndNumbers(FxRobot robot) {
        Comparison c = openFixtures(robot);
        robot.clickOn("#kind-wakeup_to_run");
        Fx.waitFor(
                "the wakeup verdict",
                10,
                () -> text(robot, "#compareVerdict").contains("wakeup \u2192 run"));
        assertThat(text(robot, "#cmp-p50-a"))
                .isEqualTo(
                        LatencyFormat.latency(c.kind(Kind.WAKEUP_TO_RUN).a().percentileNs("p50")));
    }

    @Test
    void theExportsExistAndParse(FxRobot robot) throws Exception {
        Comparison c = openFixtures(robot);
        Path png = tmp.resolve("out/comparison.png");
        Path csv = tmp.resolve("out/comparison.csv");
        Path json = tmp.resolve("out/comparison.json");
        robot.interact(
                () -> {
                    view.exportTo(png);
                    view.exportTo(csv);
                    view.exportTo(json);
                });
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThan(500);
        assertThat(img.getHeight()).isGreaterThan(300);
        assertThat(Files.readAllLines(csv).get(0))
                .isEqualTo("kind,figure,a,b,ratio_b_over_a,ci_low,ci_high,note");
        assertThat(Files.readString(csv)).contains("input_to_run,p99_us,");
        assertThat(new ObjectMapper().readTree(json.toFile()).get("verdict").asText())
                .isEqualTo(c.verdict());
        assertThat(text(robot, "#compareStatus")).isEqualTo("saved " + json);
    }

    @Test
    void aBrokenFileIsShownWithItsNameAndNothingElseBreaks(FxRobot robot) throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.hlog"));
        robot.interact(() -> model.open(Fixtures.QUIET.toAbsolutePath(), empty));
        Fx.waitFor("the error", 30, () -> !text(robot, "#compareError").isEmpty());
        assertThat(text(robot, "#compareError"))
                .isEqualTo(empty + ": the file is empty: not a recording");
        robot.interact(() -> model.fileBProperty().set(Fixtures.HOGS.toAbsolutePath()));
        Fx.waitFor("the comparison", 30, () -> model.comparisonProperty().get() != null);
        assertThat(text(robot, "#compareError")).isEmpty();
    }

    @Test
    void recentSessionsAndAbRunsAreListedNewestFirst(FxRobot robot) throws Exception {
        Path state = tmp.resolve("state");
        Path session =
                Files.createDirectories(state.resolve("sessions"))
                        .resolve("cs2-20261206-010000.hlog");
        Files.copy(Fixtures.QUIET, session);
        Path ab =
                Files.createDirectories(state.resolve("ab/20261206-020000"))
                        .resolve("B-gamer.hlog");
        Files.copy(Fixtures.HOGS, ab);
        Files.setLastModifiedTime(session, FileTime.fromMillis(1_000_000));
        robot.interact(model::refreshRecent);
        Fx.waitFor("the recent list", 10, () -> model.recent().size() == 2);
        assertThat(Fx.get(() -> model.recent())).containsExactly(ab, session);
    }
}
