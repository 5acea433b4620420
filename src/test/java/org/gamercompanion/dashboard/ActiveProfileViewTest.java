package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.gamercompanion.app.Fx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The dashboard's profile hooks (issue 4): the active profile in the toolbar, processes watched by
 * profile in the target line, the editor one click away.
 */
@ExtendWith(ApplicationExtension.class)
class ActiveProfileViewTest {
    private DashboardModel model;

    @Start
    void start(Stage stage) {
        model = DashboardScene.model(new FakeBackend());
        Fx.show(stage, new DashboardView(model), 1280, 800);
    }

    @AfterEach
    void stop() {
        model.shutdown(2000);
    }

    @Test
    void theActiveProfileIsShownAndTheEditorOpens(FxRobot robot) {
        Label label = robot.lookup("#activeProfileLabel").queryAs(Label.class);
        assertThat(Fx.get(label::getText)).isEqualTo("No profile active");
        model.showActiveProfile("Bar Game (pid 42)");
        Fx.waitFor(
                "the profile in the toolbar",
                5,
                () -> label.getText().equals("Profile: Bar Game (pid 42)"));
        model.showActiveProfile("");
        Fx.waitFor("no profile", 5, () -> label.getText().equals("No profile active"));

        Label watching = robot.lookup("#watchedLabel").queryAs(Label.class);
        model.showProfileWatched(List.of(new DashboardModel.ProfileWatch("Bar Game", 42)));
        Fx.waitFor(
                "the game in the target line",
                5,
                () -> watching.getText().equals("Watching: Bar Game (pid 42, by profile)"));
        model.showProfileWatched(List.of());
        Fx.waitFor("nothing watched", 5, () -> watching.getText().equals("Watching: nothing"));

        robot.interact(() -> robot.lookup("#profilesButton").queryButton().fire());
        Fx.waitFor(
                "the editor window",
                5,
                () ->
                        Window.getWindows().stream()
                                .anyMatch(
                                        w ->
                                                w instanceof Stage s
                                                        && "Gamer Companion: profiles"
                                                                .equals(s.getTitle())
                                                        && s.isShowing()));
        robot.interact(
                () ->
                        Window.getWindows().stream()
                                .filter(
                                        w ->
                                                w instanceof Stage s
                                                        && "Gamer Companion: profiles"
                                                                .equals(s.getTitle()))
                                .toList()
                                .forEach(Window::hide));
    }
}
