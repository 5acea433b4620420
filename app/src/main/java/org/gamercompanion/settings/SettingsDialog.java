package org.gamercompanion.settings;

import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.gamercompanion.hotkey.HotkeyBinding;

/**
 * The settings dialog: close to tray, start with the session, global hotkeys and their two
 * combinations. What this session cannot do is disabled with the reason beside it (no tray host, no
 * X display). Node ids: {@code closeToTray}, {@code startWithSession}, {@code hotkeyEnabled},
 * {@code toggleSchedulerKey}, {@code markMomentKey}, {@code metricsEndpoint}, {@code
 * settingsError}, and the reasons {@code trayUnavailable}, {@code hotkeyUnavailable}, {@code
 * settingsFileProblem} (shown only when present).
 */
public final class SettingsDialog extends Dialog<Settings> {
    /**
     * @param current what the controls start with
     * @param trayUnavailable why there is no tray (close to tray is then off and disabled), or
     *     empty
     * @param hotkeyUnavailable why global hotkeys cannot work here, or empty
     * @param fileProblem the settings file's error (it is kept; saving is refused until it is
     *     fixed), or empty
     */
    public SettingsDialog(
            Window owner,
            Settings current,
            Optional<String> trayUnavailable,
            Optional<String> hotkeyUnavailable,
            Optional<String> fileProblem) {
        initOwner(owner);
        setTitle("Gamer Companion: settings");
        CheckBox closeToTray =
                new CheckBox(
                        "Close to tray (the window's close button hides it; the agent keeps running)");
        closeToTray.setId("closeToTray");
        closeToTray.setSelected(current.closeToTray() && trayUnavailable.isEmpty());
        closeToTray.setDisable(trayUnavailable.isPresent());
        CheckBox autostart = new CheckBox("Start with the session (hidden in the tray)");
        autostart.setId("startWithSession");
        autostart.setSelected(current.startWithSession());
        CheckBox hotkeys = new CheckBox("Global hotkeys (work while a game has the focus)");
        hotkeys.setId("hotkeyEnabled");
        hotkeys.setSelected(current.hotkeyEnabled() && hotkeyUnavailable.isEmpty());
        hotkeys.setDisable(hotkeyUnavailable.isPresent());
        TextField toggle = new TextField(current.toggleScheduler().toString());
        toggle.setId("toggleSchedulerKey");
        TextField mark = new TextField(current.markMoment().toString());
        mark.setId("markMomentKey");
        CheckBox metrics =
                new CheckBox(
                        "Serve latency metrics for Prometheus at http://127.0.0.1:9464/metrics"
                                + " (this machine only; docs/COLLECTOR.md)");
        metrics.setId("metricsEndpoint");
        metrics.setSelected(current.metricsEndpoint());
        toggle.disableProperty().bind(hotkeys.selectedProperty().not());
        mark.disableProperty().bind(hotkeys.selectedProperty().not());

        Label error = new Label();
        error.setId("settingsError");
        error.setWrapText(true);
        error.getStyleClass().add("danger");
        error.textProperty()
                .bind(
                        Bindings.createStringBinding(
                                () -> check(toggle.getText(), mark.getText()),
                                toggle.textProperty(),
                                mark.textProperty()));

        GridPane keys = new GridPane();
        keys.setHgap(8);
        keys.setVgap(6);
        keys.addRow(0, new Label("Scheduler on/off"), toggle);
        keys.addRow(1, new Label("Mark the moment in the recording"), mark);

        VBox box =
                new VBox(
                        8,
                        closeToTray,
                        reason("trayUnavailable", trayUnavailable),
                        autostart,
                        hotkeys,
                        reason("hotkeyUnavailable", hotkeyUnavailable),
                        keys,
                        metrics,
                        error,
                        reason(
                                "settingsFileProblem",
                                fileProblem.map(
                                        p ->
                                                p
                                                        + " (not overwritten: fix or remove the file, then save again)")));
        box.setPadding(new Insets(12));
        box.setPrefWidth(560);
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        Node ok = getDialogPane().lookupButton(ButtonType.OK);
        ok.disableProperty().bind(error.textProperty().isNotEmpty());
        setResultConverter(
                b ->
                        b != ButtonType.OK
                                ? null
                                : new Settings(
                                        closeToTray.isSelected(),
                                        autostart.isSelected(),
                                        hotkeys.isSelected(),
                                        HotkeyBinding.parse(toggle.getText()),
                                        HotkeyBinding.parse(mark.getText()),
                                        metrics.isSelected()));
    }

    /** "" when both combinations are valid and different, else what is wrong. */
    static String check(String toggle, String mark) {
        try {
            HotkeyBinding t = HotkeyBinding.parse(toggle);
            HotkeyBinding m = HotkeyBinding.parse(mark);
            return t.equals(m)
                    ? "the two hotkeys are both " + t + "; give them different keys"
                    : "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Label reason(String id, Optional<String> why) {
        Label l = new Label(why.orElse(""));
        l.setId(id);
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.getStyleClass().add("text-muted");
        l.setVisible(why.isPresent());
        l.setManaged(why.isPresent());
        return l;
    }
}
