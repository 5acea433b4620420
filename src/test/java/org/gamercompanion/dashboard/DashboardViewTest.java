package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.gamercompanion.app.Fx;
import org.gamercompanion.process.ProcessInfo;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.view.HistogramChart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The dashboard view on a fake backend (no kernel needed), headless. */
@ExtendWith(ApplicationExtension.class)
class DashboardViewTest {
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

    private HistogramChart chart(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(HistogramChart.class);
    }

    private void startWithData(FxRobot robot) {
        robot.clickOn("#startAgent");
        Fx.waitFor(
                "the agent to run",
                10,
                () -> model.agentStatusProperty().get().phase() == AgentStatus.Phase.RUNNING);
        FakeBackend.FakeSession s = backend.last();
        s.record(0, Kind.INPUT_TO_RUN, 40_000);
        s.record(1, Kind.INPUT_TO_RUN, 60_000);
        for (int i = 0; i < 7; i++) {
            s.record(1, Kind.WAKEUP_TO_RUN, 3_000);
        }
    }

    @Test
    void samplesAppearInTheMergedChartTheRingChartsAndTheTable(FxRobot robot) {
        startWithData(robot);
        HistogramChart merged = chart(robot, "#mergedHistogram");
        Fx.waitFor("2 samples in the merged chart", 10, () -> merged.getData().count() == 2);
        assertThat(Fx.get(() -> chart(robot, "#ring-0").getData().count())).isEqualTo(1);
        assertThat(Fx.get(() -> chart(robot, "#ring-1").getData().count())).isEqualTo(1);
        assertThat(Fx.get(() -> robot.lookup("#pct-session-count").queryAs(Label.class).getText()))
                .isEqualTo("2");
        assertThat(Fx.get(() -> robot.lookup("#ring-5").tryQuery().isPresent()))
                .as("no tile for a ring without CPUs")
                .isFalse();
        assertThat(Fx.get(() -> robot.lookup("#foldedRings").queryAs(Label.class).getText()))
                .isEqualTo(
                        "rings 2\u201315: no CPU writes here on this 2-CPU machine (ring k serves CPUs k, k+16, \u2026)");
    }

    @Test
    void clickingAKindSwitchesWhatTheChartsShow(FxRobot robot) {
        startWithData(robot);
        HistogramChart merged = chart(robot, "#mergedHistogram");
        Fx.waitFor("input samples", 10, () -> merged.getData().count() == 2);
        robot.clickOn("#kind-wakeup_to_run");
        Fx.waitFor("wakeup samples", 10, () -> merged.getData().count() == 7);
        assertThat(Fx.get(() -> merged.getData().title())).contains("wakeup \u2192 run");
        assertThat(Fx.get(() -> chart(robot, "#ring-1").getData().count())).isEqualTo(7);
        assertThat(Fx.get(() -> chart(robot, "#ring-0").getData().count())).isZero();
    }

    @Test
    void agentDeathIsShownWithItsReasonAndRestartBringsItBack(FxRobot robot) {
        robot.clickOn("#startAgent");
        Fx.waitFor(
                "the agent to run",
                10,
                () -> model.agentStatusProperty().get().phase() == AgentStatus.Phase.RUNNING);
        backend.last().die(137);
        Node restart = robot.lookup("#restartAgent").query();
        Fx.waitFor("the restart button", 10, restart::isVisible);
        assertThat(Fx.get(() -> robot.lookup("#agentLabel").queryAs(Label.class).getText()))
                .contains("died (signal 9)");
        robot.clickOn("#restartAgent");
        Fx.waitFor("a new agent", 10, () -> model.agentStatusProperty().get().pid() == 1001);
        assertThat(Fx.get(restart::isVisible)).isFalse();
    }

    @Test
    void whileThePasswordDialogIsOpenTheStatusSaysItWaitsForAuthorisation(FxRobot robot) {
        backend.asksForAuthorisation = true;
        CountDownLatch dialogAnswered = new CountDownLatch(1);
        backend.startGate = dialogAnswered;
        robot.clickOn("#startAgent");
        Label agent = robot.lookup("#agentLabel").queryAs(Label.class);
        Fx.waitFor(
                "the authorisation wait shown",
                10,
                () -> agent.getText().equals("agent: waiting for authorisation (polkit)\u2026"));
        dialogAnswered.countDown();
        Fx.waitFor(
                "the agent running", 10, () -> agent.getText().equals("agent: running (pid 1000)"));
    }

    @Test
    void theHelpPanelStatesTheDefinitionsInsideTheWindowAndCloses(FxRobot robot) {
        // The click needs the button on screen: in the toolbar, not in its overflow (a narrower
        // window).
        Node help = robot.lookup("#helpButton").query();
        assertThat(Fx.get(() -> shownInItsWindow(help)))
                .as(
                        "the help button on screen in a window of %s px",
                        Fx.get(() -> help.getScene().getWindow().getWidth()))
                .isTrue();
        Node content = robot.lookup("#helpContent").query();
        assertThat(Fx.get(() -> shownInItsWindow(content))).as("hidden until asked").isFalse();
        robot.clickOn("#helpButton");
        Fx.waitFor(
                "the help panel",
                10,
                () -> content.getScene() != null && shownInItsWindow(content));
        // Inside the main window's scene (issue 15 item 7: a popup showed a white box without a
        // compositor), and within it.
        assertThat(Fx.get(() -> content.getScene() == help.getScene())).isTrue();
        assertThat(
                        Fx.get(
                                () ->
                                        robot.lookup("#helpContent")
                                                .lookup(
                                                        (Label l) ->
                                                                l.getText()
                                                                        .contains(
                                                                                "never leave the CPU"))
                                                .tryQuery()
                                                .isPresent()))
                .isTrue();
        robot.clickOn("#helpClose");
        Fx.waitFor("the help closed", 10, () -> !shownInItsWindow(content));
    }

    /** Whether {@code n} and every parent up to its scene's root are visible (FX thread). */
    private static boolean shownInItsWindow(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return n.getScene() != null
                && n.getScene().getWindow() != null
                && n.getScene().getWindow().isShowing();
    }

    @Test
    void watchingNeedsASelectedProcessAndShowsTheTarget(FxRobot robot) {
        Button watch = robot.lookup("#watchButton").queryButton();
        assertThat(Fx.get(watch::isDisabled)).isTrue();
        robot.clickOn("#startAgent");
        Fx.waitFor(
                "the agent to run",
                10,
                () -> model.agentStatusProperty().get().phase() == AgentStatus.Phase.RUNNING);
        robot.clickOn("#processSearch").write(Long.toString(ProcessHandle.current().pid()));
        @SuppressWarnings("unchecked")
        ListView<ProcessInfo> list = robot.lookup("#processList").queryAs(ListView.class);
        Fx.waitFor("this JVM in the list", 10, () -> list.getItems().size() == 1);
        robot.interact(() -> list.getSelectionModel().select(0));
        robot.clickOn("#watchButton");
        Fx.waitFor(
                "the watched label",
                10,
                () ->
                        robot.lookup("#watchedLabel")
                                .queryAs(Label.class)
                                .getText()
                                .contains("(" + ProcessHandle.current().pid() + ")"));
        assertThat(backend.callsSnapshot()).contains("watch " + ProcessHandle.current().pid());
    }
}
