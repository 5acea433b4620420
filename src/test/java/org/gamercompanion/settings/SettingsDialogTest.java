package org.gamercompanion.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.gamercompanion.app.Fx;
import org.gamercompanion.hotkey.HotkeyBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The settings dialog, headless (Monocle): what it shows, what it refuses, what OK returns. */
@ExtendWith(ApplicationExtension.class)
class SettingsDialogTest {
    private static final String NO_TRAY =
            "no system tray on this desktop (GNOME needs the AppIndicator extension)";
    private static final String NO_X =
            "no X display (DISPLAY is unset): global hotkeys need an X11 session";

    private Stage owner;
    private SettingsDialog dialog;

    @Start
    void start(Stage stage) {
        owner = stage;
        Fx.show(stage, new StackPane(), 200, 100);
    }

    @AfterEach
    void close(FxRobot robot) {
        if (dialog != null) {
            robot.interact(dialog::close);
        }
    }

    /** Opens the dialog without blocking (showAndWait would hold the test's FX thread). */
    private void open(
            FxRobot robot,
            Settings current,
            Optional<String> noTray,
            Optional<String> noHotkeys,
            Optional<String> fileProblem) {
        robot.interact(
                () -> {
                    dialog = new SettingsDialog(owner, current, noTray, noHotkeys, fileProblem);
                    dialog.show();
                });
    }

    /** The dialog's node by id, looked up on the FX thread (call from the test thread only). */
    private <T extends Node> T node(String id, Class<T> type) {
        return Fx.get(() -> type.cast(dialog.getDialogPane().lookup("#" + id)));
    }

    private Button ok() {
        return Fx.get(() -> (Button) dialog.getDialogPane().lookupButton(ButtonType.OK));
    }

    @Test
    void theDefaultsAreShownWithEverythingOffAndNoReasons(FxRobot robot) {
        open(robot, Settings.DEFAULTS, Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(Fx.get(() -> node("closeToTray", CheckBox.class).isSelected())).isFalse();
        assertThat(Fx.get(() -> node("closeToTray", CheckBox.class).isDisabled())).isFalse();
        assertThat(Fx.get(() -> node("startWithSession", CheckBox.class).isSelected())).isFalse();
        assertThat(Fx.get(() -> node("hotkeyEnabled", CheckBox.class).isSelected())).isFalse();
        assertThat(Fx.get(() -> node("toggleSchedulerKey", TextField.class).getText()))
                .isEqualTo("Ctrl+Shift+F10");
        assertThat(Fx.get(() -> node("markMomentKey", TextField.class).getText()))
                .isEqualTo("Ctrl+Shift+F11");
        // The keys can only be edited once hotkeys are on.
        assertThat(Fx.get(() -> node("toggleSchedulerKey", TextField.class).isDisabled())).isTrue();
        assertThat(Fx.get(() -> node("settingsError", Label.class).getText())).isEmpty();
        for (String reason :
                new String[] {"trayUnavailable", "hotkeyUnavailable", "settingsFileProblem"}) {
            assertThat(Fx.get(() -> node(reason, Label.class).isVisible())).as(reason).isFalse();
        }
        assertThat(Fx.get(() -> ok().isDisabled())).isFalse();
    }

    @Test
    void whatCannotWorkHereIsGreyedOutWithTheReasonEvenWhenTheFileTurnsItOn(FxRobot robot) {
        Settings allOn =
                Settings.DEFAULTS
                        .withCloseToTray(true)
                        .withHotkeys(
                                true,
                                HotkeyBinding.DEFAULT_TOGGLE_SCHEDULER,
                                HotkeyBinding.DEFAULT_MARK_MOMENT);
        open(robot, allOn, Optional.of(NO_TRAY), Optional.of(NO_X), Optional.empty());
        CheckBox closeToTray = node("closeToTray", CheckBox.class);
        CheckBox hotkeys = node("hotkeyEnabled", CheckBox.class);
        assertThat(Fx.get(closeToTray::isDisabled)).isTrue();
        assertThat(Fx.get(closeToTray::isSelected)).isFalse();
        assertThat(Fx.get(() -> node("trayUnavailable", Label.class).getText())).isEqualTo(NO_TRAY);
        assertThat(Fx.get(() -> node("trayUnavailable", Label.class).isVisible())).isTrue();
        assertThat(Fx.get(hotkeys::isDisabled)).isTrue();
        assertThat(Fx.get(hotkeys::isSelected)).isFalse();
        assertThat(Fx.get(() -> node("hotkeyUnavailable", Label.class).getText())).isEqualTo(NO_X);
        assertThat(Fx.get(() -> node("toggleSchedulerKey", TextField.class).isDisabled())).isTrue();
        // Start with the session needs neither: it stays usable.
        assertThat(Fx.get(() -> node("startWithSession", CheckBox.class).isDisabled())).isFalse();
    }

    @Test
    void aBrokenFileIsNamedAndSaidToBeKept(FxRobot robot) {
        String problem =
                "settings settings.toml line 1: close_to_tray must be true or false (was 1)";
        open(robot, Settings.DEFAULTS, Optional.empty(), Optional.empty(), Optional.of(problem));
        Label l = node("settingsFileProblem", Label.class);
        assertThat(Fx.get(l::isVisible)).isTrue();
        assertThat(Fx.get(l::getText)).startsWith(problem).contains("not overwritten");
    }

    @Test
    void aBadHotkeyIsRefusedWithTheParsersMessageAndOkIsDisabled(FxRobot robot) {
        open(robot, Settings.DEFAULTS, Optional.empty(), Optional.empty(), Optional.empty());
        CheckBox hotkeys = node("hotkeyEnabled", CheckBox.class);
        TextField toggle = node("toggleSchedulerKey", TextField.class);
        robot.interact(hotkeys::fire);
        assertThat(Fx.get(toggle::isDisabled)).isFalse();

        robot.interact(() -> toggle.setText("Ctrl+F99"));
        String shown = Fx.get(() -> node("settingsError", Label.class).getText());
        assertThatThrownBy(() -> HotkeyBinding.parse("Ctrl+F99")).hasMessage(shown);
        assertThat(shown).contains("unknown key \"F99\"");
        assertThat(Fx.get(() -> ok().isDisabled())).isTrue();

        robot.interact(() -> toggle.setText("F10"));
        assertThat(Fx.get(() -> node("settingsError", Label.class).getText()))
                .contains("needs Ctrl, Alt or Super");
        assertThat(Fx.get(() -> ok().isDisabled())).isTrue();

        robot.interact(() -> toggle.setText("Ctrl+Shift+F11"));
        assertThat(Fx.get(() -> node("settingsError", Label.class).getText()))
                .isEqualTo("the two hotkeys are both Ctrl+Shift+F11; give them different keys");
        assertThat(Fx.get(() -> ok().isDisabled())).isTrue();

        robot.interact(() -> toggle.setText("ctrl+alt+shift+s"));
        assertThat(Fx.get(() -> node("settingsError", Label.class).getText())).isEmpty();
        assertThat(Fx.get(() -> ok().isDisabled())).isFalse();
    }

    @Test
    void okReturnsTheEditedSettingsAndCancelReturnsNothing(FxRobot robot) {
        open(robot, Settings.DEFAULTS, Optional.empty(), Optional.empty(), Optional.empty());
        CheckBox closeToTray = node("closeToTray", CheckBox.class);
        CheckBox autostart = node("startWithSession", CheckBox.class);
        CheckBox hotkeys = node("hotkeyEnabled", CheckBox.class);
        TextField toggle = node("toggleSchedulerKey", TextField.class);
        TextField mark = node("markMomentKey", TextField.class);
        Button ok = ok();
        robot.interact(
                () -> {
                    closeToTray.fire();
                    autostart.fire();
                    hotkeys.fire();
                    toggle.setText("Super+F9");
                    mark.setText("Ctrl+Alt+M");
                });
        robot.interact(ok::fire);
        Fx.waitFor("the dialog to close", 10, () -> !dialog.isShowing());
        assertThat(Fx.get(dialog::getResult))
                .isEqualTo(
                        new Settings(
                                true,
                                true,
                                true,
                                HotkeyBinding.parse("Super+F9"),
                                HotkeyBinding.parse("Ctrl+Alt+M")));

        open(robot, Settings.DEFAULTS, Optional.empty(), Optional.empty(), Optional.empty());
        CheckBox closeAgain = node("closeToTray", CheckBox.class);
        Button cancel =
                Fx.get(() -> (Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL));
        robot.interact(closeAgain::fire);
        robot.interact(cancel::fire);
        Fx.waitFor("the dialog to close", 10, () -> !dialog.isShowing());
        assertThat(Fx.get(dialog::getResult)).isNull();
    }
}
