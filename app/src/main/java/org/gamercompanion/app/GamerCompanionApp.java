package org.gamercompanion.app;

import atlantafx.base.theme.PrimerDark;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.gamercompanion.abtest.AbTestModel;
import org.gamercompanion.abtest.AbTestWindow;
import org.gamercompanion.compareview.CompareModel;
import org.gamercompanion.compareview.CompareWindow;
import org.gamercompanion.dashboard.DashboardModel;
import org.gamercompanion.dashboard.DashboardView;
import org.gamercompanion.dashboard.LiveCaptureBackend;
import org.gamercompanion.files.UserDirs;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.metrics.DesktopEndpoint;
import org.gamercompanion.process.ProcessInfo;
import org.gamercompanion.process.ProcessList;
import org.gamercompanion.settings.Autostart;
import org.gamercompanion.settings.SettingsStore;

/**
 * The Gamer Companion window. Started through {@link Launcher} (from {@code Main} with no
 * arguments).
 *
 * <p>System properties (scripts and benchmarks): {@code gc.gui.autostart} (default true: start the
 * agent when the window opens), {@code gc.gui.selftest} (press Self-test once the agent runs),
 * {@code gc.gui.watch=PID} (watch that process), {@code gc.gui.frameStats=FILE} (write frame
 * timing to FILE, see {@link FrameMonitor}). Argument {@code --tray}: start hidden in the tray.
 */
public final class GamerCompanionApp extends Application {
    public static final String TITLE = "Gamer Companion";
    /** Starts hidden in the tray (what the autostart entry runs); the window shows where there is no tray. */
    public static final String TRAY_ARG = "--tray";
    private static final long SHUTDOWN_TIMEOUT_MS = 5000;

    private DashboardModel model;
    private FrameMonitor frames;
    private DesktopIntegration desktop;

    @Override
    public void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
        LiveCaptureBackend backend = new LiveCaptureBackend();
        model = new DashboardModel(backend, Platform::runLater, KernelStatus.current(), CpuTopology.current());
        backend.onActiveProfile(model::showActiveProfile);
        backend.onProfileWatched(model::showProfileWatched);
        backend.onSched(model::schedulerChanged);
        boolean[] trayUp = new boolean[1];
        DashboardView view = build(stage, model, () -> trayUp[0]);
        desktop = new DesktopIntegration(stage, model, SettingsStore.open(SettingsStore.defaultFile()),
                Autostart.defaultFile(), this::quit);
        trayUp[0] = desktop.start();
        view.onSettings(desktop::showSettings);
        view.onAbTest(() -> abTestWindow(stage).show());
        view.onCompare(() -> compareWindow(stage).show(null, null));
        DesktopEndpoint metrics = new DesktopEndpoint();
        backend.tap(metrics.tap());
        desktop.metrics(metrics);
        // --tray (the autostart entry) starts hidden in the tray; without a tray the window is the only way in.
        if (!getParameters().getRaw().contains(TRAY_ARG) || !trayUp[0]) {
            stage.show();
        }
        String stats = System.getProperty("gc.gui.frameStats");
        if (stats != null && !stats.isBlank()) {
            frames = new FrameMonitor(Path.of(stats), model);
            frames.start();
        }
        if (Boolean.parseBoolean(System.getProperty("gc.gui.autostart", "true"))) {
            model.start();
        }
        String watch = System.getProperty("gc.gui.watch");
        if (watch != null && !watch.isBlank()) {
            long pid = Long.parseLong(watch.trim());
            model.watch(ProcessList.system().read(pid).orElse(new ProcessInfo(pid, "pid " + pid, 1, "")));
        }
        if (Boolean.getBoolean("gc.gui.selftest")) {
            model.toggleSelftest();
        }
    }

    private AbTestWindow abTest;

    /** The A/B test window (made on first use): each test records into a folder of its own under the state dir. */
    private AbTestWindow abTestWindow(Stage owner) {
        if (abTest == null) {
            AbTestModel m = new AbTestModel(model, Platform::runLater, () -> UserDirs.current().state().resolve("ab")
                    .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())), r -> {
                        // A finished test opens its verdict: A against B, in the Compare view.
                        if (r.files().size() >= 2 && r.roundsPerArm().get(0) > 0 && r.roundsPerArm().get(1) > 0) {
                            compareWindow(owner).show(r.files().get(0), r.files().get(1));
                        }
                    });
            abTest = new AbTestWindow(owner, m, model.watchingProperty(),
                    DashboardView.class.getResource(DashboardView.STYLESHEET).toExternalForm());
        }
        return abTest;
    }

    private CompareWindow compare;

    /** The Compare view's window (made on first use); comparisons run on one worker thread. */
    private CompareWindow compareWindow(Stage owner) {
        if (compare == null) {
            compare = new CompareWindow(owner, new CompareModel(Platform::runLater, COMPARE_WORKER, UserDirs.current().state()),
                    null);
        }
        return compare;
    }

    /** One daemon thread for comparisons, so the window never waits for the bootstrap. */
    static final Executor COMPARE_WORKER = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
            .name("compare").unstarted(r));

    /**
     * Puts a dashboard for {@code model} into {@code stage} and shows it. Hiding the window (closing
     * it) stops the agent; so does the JVM exiting.
     */
    public static DashboardView show(Stage stage, DashboardModel model) {
        DashboardView view = build(stage, model, () -> false);
        stage.show();
        return view;
    }

    /**
     * Puts a dashboard into {@code stage} without showing it. Hiding the window stops the agent
     * unless {@code keepRunningWhenHidden} says the tray holds the app; the JVM exiting always does.
     */
    static DashboardView build(Stage stage, DashboardModel model, BooleanSupplier keepRunningWhenHidden) {
        DashboardView view = new DashboardView(model);
        Scene scene = new Scene(view, 1280, 800);
        stage.setTitle(TITLE);
        stage.setScene(scene);
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable shutdown = () -> {
            if (stopped.compareAndSet(false, true)) {
                model.shutdown(SHUTDOWN_TIMEOUT_MS);
            }
        };
        stage.setOnHidden(e -> {
            if (!keepRunningWhenHidden.getAsBoolean()) {
                shutdown.run();
            }
        });
        Thread hook = Thread.ofPlatform().unstarted(shutdown);
        Runtime.getRuntime().addShutdownHook(hook);
        return view;
    }

    /** Quit from the tray (or the window's close button when the tray holds the app): everything stops. */
    private void quit() {
        if (desktop != null) {
            desktop.close();
        }
        if (model != null) {
            model.shutdown(SHUTDOWN_TIMEOUT_MS);
        }
        Platform.exit();
    }

    @Override
    public void stop() {
        if (frames != null) {
            frames.stop();
            frames.write();
        }
        if (model != null) {
            model.shutdown(SHUTDOWN_TIMEOUT_MS);
        }
    }
}
