package org.gamercompanion.app;

import java.awt.AWTException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.gamercompanion.dashboard.AgentStatus;
import org.gamercompanion.dashboard.DashboardModel;
import org.gamercompanion.hotkey.GlobalHotkeys;
import org.gamercompanion.hotkey.HotkeyBinding;
import org.gamercompanion.metrics.DesktopEndpoint;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.settings.Autostart;
import org.gamercompanion.settings.Settings;
import org.gamercompanion.settings.SettingsDialog;
import org.gamercompanion.settings.SettingsException;
import org.gamercompanion.settings.SettingsStore;
import org.gamercompanion.tray.DesktopTray;
import org.gamercompanion.tray.TrayMenuModel;

/**
 * The window's life outside the window (issue 6): settings, the tray icon, global hotkeys, close to
 * tray and start with the session. Everything here runs on the FX thread; the tray's menu is the FX
 * thread's own, the hotkeys' callbacks cross over with {@code Platform.runLater}, and file I/O runs
 * on one "desktop-io" thread.
 *
 * <p>Where no tray host exists the app says so once in the window's message line and works from its
 * window; where no X display is reachable the hotkeys say why in the settings instead of failing.
 */
final class DesktopIntegration {
    private final Stage stage;
    private final DashboardModel model;
    private final SettingsStore store;
    private final Path autostartFile;
    private final Runnable quit;
    private final ExecutorService io =
            Executors.newSingleThreadExecutor(
                    r -> Thread.ofPlatform().daemon().name("desktop-io").unstarted(r));

    private Settings settings = Settings.DEFAULTS;
    private String settingsError;
    private Optional<String> trayUnavailable = Optional.empty();
    private DesktopTray tray;
    private GlobalHotkeys hotkeys;
    private List<String> profiles = List.of();
    private DesktopEndpoint metrics;

    DesktopIntegration(
            Stage stage,
            DashboardModel model,
            SettingsStore store,
            Path autostartFile,
            Runnable quit) {
        this.stage = stage;
        this.model = model;
        this.store = store;
        this.autostartFile = autostartFile;
        this.quit = quit;
    }

    /** Loads the settings, installs the tray and the hotkeys; returns whether a tray icon is up. */
    boolean start() {
        SettingsStore.Loaded loaded = store.load();
        settings = loaded.settings();
        settingsError = loaded.error();
        List<String> notes = new ArrayList<>();
        loaded.warnings().forEach(w -> System.err.println("gamer-companion: " + w));
        if (settingsError != null) {
            System.err.println(
                    "gamer-companion: " + settingsError + " (defaults used; the file is kept)");
            notes.add(settingsError + " (defaults used; the file is kept)");
        }
        trayUnavailable = DesktopTray.unavailableReason();
        if (trayUnavailable.isEmpty()) {
            try {
                tray = DesktopTray.install(this::onTray);
            } catch (AWTException e) {
                trayUnavailable = Optional.of("no system tray: " + e.getMessage());
            }
        }
        // Said once, here: the window works without a tray, and close to tray is then unavailable.
        trayUnavailable.ifPresent(
                why -> {
                    System.err.println("gamer-companion: " + why);
                    notes.add(why);
                });
        // Closing or hiding the last window must not end the app while the tray icon can bring it
        // back.
        Platform.setImplicitExit(tray == null);
        stage.setOnCloseRequest(
                e -> {
                    if (tray != null) {
                        e.consume();
                        if (settings.closeToTray()) {
                            stage.hide();
                        } else {
                            quit.run();
                        }
                    }
                });
        startHotkeys().ifPresent(notes::add);
        if (!notes.isEmpty()) {
            model.say(String.join("; ", notes));
        }
        model.schedulerProperty().addListener(o -> refreshTray());
        model.agentStatusProperty()
                .addListener(
                        o -> {
                            refreshTray();
                            readProfiles();
                        });
        model.activeProfileProperty().addListener(o -> refreshTray());
        stage.showingProperty().addListener(o -> refreshTray());
        readProfiles();
        refreshTray();
        return tray != null;
    }

    /** Stops the hotkeys and removes the tray icon (the app is quitting). */
    void close() {
        stopHotkeys();
        if (tray != null) {
            tray.close();
            tray = null;
        }
        io.shutdownNow();
    }

    /** Opens the settings dialog; saves and applies what the player confirms. */
    void showSettings() {
        new SettingsDialog(
                        stage,
                        settings,
                        trayUnavailable,
                        GlobalHotkeys.unavailableReason(),
                        Optional.ofNullable(settingsError))
                .showAndWait()
                .ifPresent(this::apply);
    }

    /**
     * Takes {@code next} (the dialog's OK, the tray's check box) at once, then saves it on the I/O
     * thread; a refused save (a broken file is kept, never overwritten) turns everything back to
     * {@code before}, the tray's check box included, so nothing shows a setting that was not saved.
     */
    private void apply(Settings next) {
        applyMetrics(next.metricsEndpoint());
        Settings before = settings;
        settings = next;
        if (hotkeysDiffer(before, next)) {
            restartHotkeys();
        }
        refreshTray();
        io.execute(
                () -> {
                    try {
                        store.save(next);
                    } catch (SettingsException | IOException e) {
                        // Queued before the message: when the message shows, the rollback is done.
                        Platform.runLater(() -> rollBack(next, before));
                        model.say("settings not saved: " + e.getMessage());
                        return;
                    }
                    Platform.runLater(() -> settingsError = null);
                    try {
                        if (before.startWithSession() != next.startWithSession()
                                || next.startWithSession() != Autostart.isOn(autostartFile)) {
                            Autostart.apply(autostartFile, next.startWithSession());
                        }
                        model.say("settings saved to " + store.file());
                    } catch (IOException e) {
                        // The file holds the setting now (the next start applies it again); only
                        // the entry failed.
                        model.say(
                                "settings saved to "
                                        + store.file()
                                        + ", but not the autostart entry: "
                                        + e.getMessage());
                    }
                });
    }

    private static boolean hotkeysDiffer(Settings a, Settings b) {
        return a.hotkeyEnabled() != b.hotkeyEnabled()
                || !a.toggleScheduler().equals(b.toggleScheduler())
                || !a.markMoment().equals(b.markMoment());
    }

    private void restartHotkeys() {
        stopHotkeys();
        startHotkeys().ifPresent(model::say);
    }

    /**
     * After a refused save of {@code failed}: back to {@code before}, unless newer settings came
     * meanwhile.
     */
    private void rollBack(Settings failed, Settings before) {
        if (settings != failed) {
            return;
        }
        settings = before;
        applyMetrics(before.metricsEndpoint());
        if (hotkeysDiffer(before, failed)) {
            restartHotkeys();
        }
        refreshTray();
    }

    /** The window's metrics endpoint; serves at once when the settings ask for it. */
    void metrics(DesktopEndpoint endpoint) {
        metrics = endpoint;
        applyMetrics(settings.metricsEndpoint());
    }

    private void applyMetrics(boolean on) {
        if (metrics != null) {
            metrics.enable(on).ifPresent(model::say);
        }
    }

    /** Registers the hotkeys when the settings ask for them; returns why they could not be. */
    private Optional<String> startHotkeys() {
        if (!settings.hotkeyEnabled()) {
            return Optional.empty();
        }
        Map<HotkeyBinding, Runnable> actions = new LinkedHashMap<>();
        actions.put(settings.toggleScheduler(), model::toggleScheduler);
        String markNote = "hotkey " + settings.markMoment();
        actions.put(settings.markMoment(), () -> model.markMoment(markNote));
        try {
            hotkeys = GlobalHotkeys.start(actions);
            return Optional.empty();
        } catch (GlobalHotkeys.HotkeyException e) {
            System.err.println("gamer-companion: hotkeys off: " + e.getMessage());
            return Optional.of("hotkeys off: " + e.getMessage());
        }
    }

    private void stopHotkeys() {
        if (hotkeys != null) {
            hotkeys.close();
            hotkeys = null;
        }
    }

    private void onTray(TrayMenuModel.Action action, String argument) {
        switch (action) {
            case TOGGLE_SCHEDULER -> model.toggleScheduler();
            case CHOOSE_PROFILE ->
                    io.execute(
                            () -> {
                                try {
                                    ProfileStore.open(ProfileStore.defaultDir())
                                            .list()
                                            .find(argument)
                                            .ifPresentOrElse(
                                                    e -> model.applyProfile(e.profile()),
                                                    () ->
                                                            model.say(
                                                                    "profile "
                                                                            + argument
                                                                            + " is gone"));
                                } catch (IOException e) {
                                    model.say("cannot read the profiles: " + e.getMessage());
                                }
                            });
            case SHOW_HIDE_WINDOW -> {
                if (stage.isShowing()) {
                    stage.hide();
                } else {
                    stage.show();
                    stage.toFront();
                }
            }
            case START_WITH_SESSION ->
                    apply(settings.withStartWithSession(Boolean.parseBoolean(argument)));
            case QUIT -> quit.run();
            case NONE -> {}
        }
    }

    private void refreshTray() {
        if (tray == null) {
            return;
        }
        tray.show(
                new TrayMenuModel.State(
                        model.schedulerProperty().get(),
                        model.agentStatusProperty().get().phase() == AgentStatus.Phase.RUNNING,
                        model.activeProfileProperty().get(),
                        profiles,
                        stage.isShowing(),
                        settings.startWithSession()));
    }

    /** Reads the profile names off the FX thread, then shows them in the tray's profile menu. */
    private void readProfiles() {
        if (tray == null) {
            return;
        }
        io.execute(
                () -> {
                    try {
                        List<String> names =
                                ProfileStore.open(ProfileStore.defaultDir())
                                        .list()
                                        .profiles()
                                        .stream()
                                        .map(e -> e.profile().name())
                                        .toList();
                        Platform.runLater(
                                () -> {
                                    profiles = names;
                                    refreshTray();
                                });
                    } catch (IOException e) {
                        System.err.println(
                                "gamer-companion: cannot read the profiles: " + e.getMessage());
                    }
                });
    }
}
