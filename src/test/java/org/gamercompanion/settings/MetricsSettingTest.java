package org.gamercompanion.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.gamercompanion.app.Fx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window's "Serve latency metrics for Prometheus" setting: off by default, saved, and in the
 * dialog.
 */
@ExtendWith(ApplicationExtension.class)
class MetricsSettingTest {
    @TempDir Path tmp;

    private Stage owner;

    @Start
    void start(Stage stage) {
        owner = stage;
        Fx.show(stage, new StackPane(), 200, 100);
    }

    @Test
    void theEndpointIsOffByDefaultAndSavedWhenOn() throws Exception {
        assertThat(Settings.DEFAULTS.metricsEndpoint()).isFalse();
        SettingsStore store = SettingsStore.open(tmp.resolve("settings.toml"));
        assertThat(store.load().settings().metricsEndpoint()).isFalse();
        store.save(Settings.DEFAULTS.withMetricsEndpoint(true));
        assertThat(Files.readString(store.file())).contains("[metrics]\nendpoint = true\n");
        assertThat(store.load().settings()).isEqualTo(Settings.DEFAULTS.withMetricsEndpoint(true));

        Files.writeString(store.file(), "[metrics]\nendpoint = \"yes\"\n");
        assertThat(store.load().error())
                .isEqualTo(
                        "settings settings.toml line 2: metrics.endpoint must be true or false (was yes)");
    }

    @Test
    void theDialogShowsAndReturnsIt(FxRobot robot) {
        SettingsDialog[] dialog = new SettingsDialog[1];
        robot.interact(
                () -> {
                    dialog[0] =
                            new SettingsDialog(
                                    owner,
                                    Settings.DEFAULTS,
                                    Optional.empty(),
                                    Optional.empty(),
                                    Optional.empty());
                    dialog[0].show();
                });
        CheckBox box =
                Fx.get(() -> (CheckBox) dialog[0].getDialogPane().lookup("#metricsEndpoint"));
        assertThat(Fx.get(box::isSelected)).isFalse();
        assertThat(Fx.get(box::getText)).contains("http://127.0.0.1:9464/metrics");
        Button ok = Fx.get(() -> (Button) dialog[0].getDialogPane().lookupButton(ButtonType.OK));
        robot.interact(box::fire);
        robot.interact(ok::fire);
        Fx.waitFor("the dialog to close", 10, () -> !dialog[0].isShowing());
        assertThat(Fx.get(dialog[0]::getResult))
                .isEqualTo(Settings.DEFAULTS.withMetricsEndpoint(true));
    }
}
