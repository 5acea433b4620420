package org.gamercompanion.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import atlantafx.base.theme.PrimerDark;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.gamercompanion.agent.NativeBinaries;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.dashboard.AgentStatus;
import org.gamercompanion.dashboard.DashboardModel;
import org.gamercompanion.dashboard.LiveCaptureBackend;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.snapshot.Snapshot;
import org.gamercompanion.view.HistogramChart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The whole window on the real kernel, headless: gamer-agent, the 16 rings, the self-test workload.
 * Skipped (with the reason) where this process may not load BPF.
 */
@ExtendWith(ApplicationExtension.class)
class DashboardRealKernelTest {
    private DashboardModel model;
    private Stage stage;

    @BeforeAll
    static void needsBpf() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel UI test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN to start gamer-agent");
        assertThat(NativeBinaries.agent()).isExecutable();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
        model =
                new DashboardModel(
                        new LiveCaptureBackend(new SelftestWorkload.Options(120, 0, 0, 0, 0)),
                        Platform::runLater,
                        KernelStatus.current(),
                        CpuTopology.current());
        GamerCompanionApp.show(stage, model);
    }

    @AfterEach
    void stop() {
        model.shutdown(5000);
    }

    private static HistogramChart chart(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(HistogramChart.class);
    }

    private long startAgent(FxRobot robot) {
        robot.clickOn("#startAgent");
        Fx.waitFor(
                "the agent to run",
                30,
                () -> model.agentStatusProperty().get().phase() == AgentStatus.Phase.RUNNING);
        return Fx.get(() -> model.agentStatusProperty().get().pid());
    }

    private int ringsWithCounts(FxRobot robot) {
        int n = 0;
        for (int r = 0; r < 16; r++) {
            if (robot.lookup("#ring-" + r).tryQuery().isPresent()
                    && chart(robot, "#ring-" + r).getData().count() > 0) {
                n++;
            }
        }
        return n;
    }

    @Test
    void selftestFillsTheMergedViewAndAtLeastTwoRingViews(FxRobot robot) {
        int wantRings = Math.min(2, CpuTopology.current().cpus().size());
        robot.clickOn("#selftestButton");
        HistogramChart merged = chart(robot, "#mergedHistogram");
        Fx.waitFor("input samples in the merged view", 30, () -> merged.getData().count() > 0);
        Fx.waitFor(
                wantRings + " ring views with samples",
                30,
                () -> ringsWithCounts(robot) >= wantRings);
        assertThat(Fx.get(() -> merged.getData().title())).contains("input \u2192 run");
        assertThat(Fx.get(() -> robot.lookup("#pct-session-p99").queryAs(Label.class).getText()))
                .endsWith("s");
        assertThat(Fx.get(() -> robot.lookup("#inputHookLabel").queryAs(Label.class).getText()))
                .startsWith("input hook: ")
                .doesNotContain("unknown");
    }

    @Test
    void switchingKindChangesTheDataShown(FxRobot robot) {
        robot.clickOn("#selftestButton");
        HistogramChart merged = chart(robot, "#mergedHistogram");
        Fx.waitFor("input samples", 30, () -> merged.getData().count() > 0);
        robot.clickOn("#kind-wakeup_to_run");
        Fx.waitFor(
                "the wakeup view",
                10,
                () -> merged.getData().title().contains("wakeup \u2192 run"));
        // Compare within one FX-thread moment: the chart shows the snapshot's wakeup data, not its
        // input data.
        long[] counts =
                Fx.get(
                        () -> {
                            Snapshot s = model.snapshotProperty().get();
                            return new long[] {
                                merged.getData().count(),
                                s.kind(Kind.WAKEUP_TO_RUN).mergedCumulative().count(),
                                s.kind(Kind.INPUT_TO_RUN).mergedCumulative().count()
                            };
                        });
        assertThat(counts[0]).isEqualTo(counts[1]).isNotEqualTo(counts[2]);
        robot.clickOn("#kind-preempt_to_run");
        Fx.waitFor(
                "the preempt view",
                10,
                () -> merged.getData().title().contains("preempt \u2192 run"));
    }

    @Test
    void killingTheAgentShowsTheExitInTheStatusBarAndOffersRestart(FxRobot robot) {
        long pid = startAgent(robot);
        assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue(); // kill -9
        Node restart = robot.lookup("#restartAgent").query();
        Fx.waitFor("the restart action", 15, restart::isVisible);
        assertThat(Fx.get(() -> robot.lookup("#agentLabel").queryAs(Label.class).getText()))
                .contains("died (signal 9)");
        robot.clickOn("#restartAgent");
        Fx.waitFor(
                "a new agent",
                30,
                () -> model.agentStatusProperty().get().phase() == AgentStatus.Phase.RUNNING);
        assertThat(Fx.get(() -> model.agentStatusProperty().get().pid())).isNotEqualTo(pid);
    }

    @Test
    void closingTheWindowStopsTheAgent(FxRobot robot) {
        long pid = startAgent(robot);
        ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
        robot.interact(stage::close);
        try {
            agent.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(
                    "gamer-agent " + pid + " still runs 10 s after the window closed", e);
        }
        assertThat(agent.isAlive()).isFalse();
    }
}
