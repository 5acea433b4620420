package org.gamercompanion.abtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.stage.Stage;
import org.gamercompanion.ab.AbRunner;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.app.Fx;
import org.gamercompanion.dashboard.AgentStatus;
import org.gamercompanion.dashboard.DashboardModel;
import org.gamercompanion.dashboard.LiveCaptureBackend;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.selftest.SelftestWorkload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window's A/B test on the real agent (headless): the refusal where the kernel has no
 * sched_ext, an A/A run (default against default, the self-test as the game) that ends with two
 * recordings, and a switch by hand answered with Continue or Stop.
 */
@ExtendWith(ApplicationExtension.class)
class AbTestWindowRealKernelTest {
    @TempDir Path dir;

    private DashboardModel dashboard;
    private AbTestModel model;
    private final AtomicReference<AbRunner.Result> finished = new AtomicReference<>();

    @Start
    void start(Stage stage) {
        dashboard =
                new DashboardModel(
                        new LiveCaptureBackend(new SelftestWorkload.Options(120, 0, 0, 0, 0)),
                        Platform::runLater,
                        KernelStatus.current(),
                        CpuTopology.current());
        model =
                new AbTestModel(
                        dashboard, Platform::runLater, () -> dir.resolve("ab"), finished::set);
        Fx.show(stage, new AbTestView(model, dashboard.watchingProperty()), 640, 480);
    }

    @AfterEach
    void stop() {
        dashboard.shutdown(5000);
    }

    private static String text(FxRobot robot, String id) {
        return Fx.get(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    @Test
    void withoutSchedExtGamerIsRefusedBeforeTheStart(FxRobot robot) {
        assumeTrue(
                "absent".equals(KernelStatus.current().schedExtState()),
                "this kernel has sched_ext: nothing to refuse");
        Fx.waitFor("the refusal", 10, () -> !text(robot, "#abProblem").isEmpty());
        assertThat(text(robot, "#abProblem"))
                .contains("cannot switch to gamer here", "has no sched_ext");
        assertThat(Fx.get(() -> robot.lookup("#abStart").queryAs(Button.class).isDisabled()))
                .isTrue();
    }

    @Test
    void anAaTestOnTheSelftestEndsWithTwoRecordings(FxRobot robot) throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel UI test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        dashboard.start();
        Fx.waitFor(
                "the agent",
                30,
                () -> dashboard.agentStatusProperty().get().phase() == AgentStatus.Phase.RUNNING);
        dashboard.toggleSelftest();
        Fx.waitFor("the self-test", 30, () -> dashboard.selftestRunningProperty().get());
        Fx.get(
                () -> {
                    model.bProperty().set("default");
                    robot.lookup("#abRounds").queryAs(Spinner.class).getValueFactory().setValue(2);
                    robot.lookup("#abSeconds").queryAs(Spinner.class).getValueFactory().setValue(5);
                    robot.lookup("#abSettle").queryAs(Spinner.class).getValueFactory().setValue(0);
                    return null;
                });
        Fx.waitFor(
                "no problem with default/default", 10, () -> text(robot, "#abProblem").isEmpty());
        robot.clickOn("#abStart");
        Fx.waitFor("progress", 30, () -> text(robot, "#abProgress").startsWith("round "));
        Fx.waitFor("the outcome", 90, () -> !text(robot, "#abOutcome").isEmpty());
        assertThat(text(robot, "#abOutcome")).startsWith("A/B test completed");
        AbRunner.Result r = finished.get();
        assertThat(r.roundsPerArm()).containsExactly(1, 1);
        for (Path f : r.files()) {
            assertThat(Files.readString(f))
                    .as(f.toString())
                    .contains("Tag=input_to_run.ring", "record=round ");
        }
    }

    /**
     * A switch by hand (another vendor's scheduler without scx_loader): Continue goes on, Stop ends
     * the test.
     */
    @Test
    void aSwitchByHandWaitsForContinueOrStop(FxRobot robot) throws Exception {
        CompletableFuture<Void> asked =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                model.ask("now start scx_simple, then press Continue");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        Fx.waitFor("the question", 10, () -> robot.lookup("#abAsk").query().isVisible());
        assertThat(text(robot, "#abPrompt")).isEqualTo("now start scx_simple, then press Continue");
        robot.clickOn("#abContinue");
        asked.get(10, TimeUnit.SECONDS);
        Fx.waitFor("the question gone", 10, () -> !robot.lookup("#abAsk").query().isVisible());

        CompletableFuture<Void> stopped =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                model.ask("now stop simple");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        Fx.waitFor(
                "the second question",
                10,
                () -> text(robot, "#abPrompt").equals("now stop simple"));
        Fx.get(
                () -> {
                    model.stop();
                    return null;
                });
        assertThatThrownBy(() -> stopped.get(10, TimeUnit.SECONDS))
                .hasRootCauseMessage("stopped at a switch by hand");
    }
}
