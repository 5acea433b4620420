package org.gamercompanion.app;

import atlantafx.base.theme.PrimerDark;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
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
import org.gamercompanion.sys.XIoErrorExit;
import sun.misc.Signal;

/**
 * The Gamer Companion window. Started through {@link Launcher} (from {@code Main} with no
 * arguments).
 *
 * <p>System properties (scripts and benchmarks): {@code gc.gui.autostart} (default true: start the
 * agent when the window opens), {@code gc.gui.selftest} (press Self-test once the agent runs),
 * {@code gc.gui.watch=PID} (watch that process), {@code gc.gui.frameStats=FILE} (write frame timing
 * and event-to-pixel delays to FILE, see {@link FrameMonitor}; {@code gc.gui.frameStats.warmupMs}:
 * count event to pixel only after that long), {@code gc.gui.firstFrame=FILE} (the start-up marker,
 * see {@link FirstFrame}). Argument {@code --tray}: start hidden in the tray.
 */
public final class GamerCompanionApp extends Application {
    public static final String TITLE = "Gamer Companion";

    /**
     * Starts hidden in the tray (what the autostart entry runs); the window shows where there is no
     * tray.
     */
    public static final String TRAY_ARG = "--tray";

    private static final long SHUTDOWN_TIMEOUT_MS = 5000;

    /** How long a signal's quit may take before the JVM's own exit path is taken instead. */
    private static final long SIGNAL_QUIT_TIMEOUT_MS = 10_000;

    /**
     * 128 + the number of the signal that ended the window (SIGTERM: 143, as the JVM's default); 0
     * if none.
     */
    private static final AtomicInteger SIGNAL_STATUS = new AtomicInteger();

    private DashboardModel model;
    private FrameMonitor frames;
    private DesktopIntegration desktop;

    /** Counted down at the end of {@link #stop()}: the FX toolkit is going down the usual way. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void start(Stage stage) {
        // GDK installed its own X I/O error handler when JavaFX opened the display: take the slot
        // back.
        XIoErrorExit.install();
        handleSignals();
        Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
        LiveCaptureBackend backend = new LiveCaptureBackend();
        model =
                new DashboardModel(
                        backend, Platform::runLater, KernelStatus.current(), CpuTopology.current());
        backend.onActiveProfile(model::showActiveProfile);
        backend.onProfileWatched(model::showProfileWatched);
        backend.onSched(model::schedulerChanged);
        boolean[] trayUp = new boolean[1];
        DashboardView view = build(stage, model, () -> trayUp[0]);
        desktop =
                new DesktopIntegration(
                        stage,
                        model,
                        SettingsStore.open(SettingsStore.defaultFile()),
                        Autostart.defaultFile(),
                        this::quit);
        trayUp[0] = desktop.start();
        // So did AWT's X toolkit if the tray loaded it (its xioerror_handler returns, and libX11
        // then
        // calls exit() on every thread that saw the error): take it back again.
        XIoErrorExit.install();
        view.onSettings(desktop::showSettings);
        view.onAbTest(() -> abTestWindow(stage).show());
        view.onCompare(() -> compareWindow(stage).show(null, null));
        DesktopEndpoint metrics = new DesktopEndpoint();
        backend.tap(metrics.tap());
        desktop.metrics(metrics);
        // Where the player left it, else centred at a size that fits the screen (issue 15 item 4).
        Path placement = WindowPlacement.defaultFile();
        WindowPlacement.restore(stage, placement);
        stage.addEventHandler(
                WindowEvent.WINDOW_HIDING, e -> WindowPlacement.save(stage, placement));
        FirstFrame.watch(stage.getScene());
        // --tray (the autostart entry) starts hidden in the tray; without a tray the window is the
        // only way in.
        if (!getParameters().getRaw().contains(TRAY_ARG) || !trayUp[0]) {
            stage.show();
        }
        // Snapshots at the display rate only while the charts can be seen (issue 12): iconified or
        // in the tray the window costs nothing per frame.
        InvalidationListener shown = o -> model.liveView(stage.isShowing() && !stage.isIconified());
        stage.showingProperty().addListener(shown);
        stage.iconifiedProperty().addListener(shown);
        shown.invalidated(null);
        // And timed to land just before the pulse that draws them, not half a frame early on
        // average.
        stage.getScene().addPostLayoutPulseListener(() -> model.framePulsed(System.nanoTime()));
        String stats = System.getProperty("gc.gui.frameStats");
        if (stats != null && !stats.isBlank()) {
            frames =
                    new FrameMonitor(
                            Path.of(stats),
                            model,
                            stage.getScene(),
                            Long.getLong("gc.gui.frameStats.warmupMs", 0) * 1_000_000L);
            frames.start();
        }
        if (Boolean.parseBoolean(System.getProperty("gc.gui.autostart", "true"))) {
            model.start();
        }
        String watch = System.getProperty("gc.gui.watch");
        if (watch != null && !watch.isBlank()) {
            long pid = Long.parseLong(watch.trim());
            model.watch(
                    ProcessList.system()
                            .read(pid)
                            .orElse(new ProcessInfo(pid, "pid " + pid, 1, "")));
        }
        if (Boolean.getBoolean("gc.gui.selftest")) {
            model.toggleSelftest();
        }
    }

    private AbTestWindow abTest;

    /**
     * The A/B test window (made on first use): each test records into a folder of its own under the
     * state dir.
     */
    private AbTestWindow abTestWindow(Stage owner) {
        if (abTest == null) {
            AbTestModel m =
                    new AbTestModel(
                            model,
                            Platform::runLater,
                            () ->
                                    UserDirs.current()
                                            .state()
                                            .resolve("ab")
                                            .resolve(
                                                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                                                            .format(LocalDateTime.now())),
                            r -> {
                                // A finished test opens its verdict: A against B, in the Compare
                                // view.
                                if (r.files().size() >= 2
                                        && r.roundsPerArm().get(0) > 0
                                        && r.roundsPerArm().get(1) > 0) {
                                    compareWindow(owner).show(r.files().get(0), r.files().get(1));
                                }
                            });
            abTest =
                    new AbTestWindow(
                            owner,
                            m,
                            model.watchingProperty(),
                            DashboardView.class
                                    .getResource(DashboardView.STYLESHEET)
                                    .toExternalForm());
        }
        return abTest;
    }

    private CompareWindow compare;

    /** The Compare view's window (made on first use); comparisons run on one worker thread. */
    private CompareWindow compareWindow(Stage owner) {
        if (compare == null) {
            compare =
                    new CompareWindow(
                            owner,
                            new CompareModel(
                                    Platform::runLater, COMPARE_WORKER, UserDirs.current().state()),
                            null);
        }
        return compare;
    }

    /** One daemon thread for comparisons, so the window never waits for the bootstrap. */
    static final Executor COMPARE_WORKER =
            Executors.newSingleThreadExecutor(
                    r -> Thread.ofPlatform().daemon().name("compare").unstarted(r));

    /**
     * Puts a dashboard for {@code model} into {@code stage} and shows it. Hiding the window
     * (closing it) stops the agent; so does the JVM exiting.
     */
    public static DashboardView show(Stage stage, DashboardModel model) {
        DashboardView view = build(stage, model, () -> false);
        stage.show();
        return view;
    }

    /**
     * Puts a dashboard into {@code stage} without showing it. Hiding the window stops the agent
     * unless {@code keepRunningWhenHidden} says the tray holds the app; the JVM exiting always
     * does.
     */
    static DashboardView build(
            Stage stage, DashboardModel model, BooleanSupplier keepRunningWhenHidden) {
        DashboardView view = new DashboardView(model);
        Scene scene = new Scene(view, 1280, 800);
        stage.setTitle(TITLE);
        stage.setScene(scene);
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable shutdown =
                () -> {
                    if (stopped.compareAndSet(false, true)) {
                        model.shutdown(SHUTDOWN_TIMEOUT_MS);
                    }
                };
        stage.setOnHidden(
                e -> {
                    if (!keepRunningWhenHidden.getAsBoolean()) {
                        shutdown.run();
                    }
                });
        Thread hook = Thread.ofPlatform().unstarted(shutdown);
        Runtime.getRuntime().addShutdownHook(hook);
        return view;
    }

    /** 128 + the signal that ended the window (it quit as the tray's Quit does), or 0. */
    static int signalStatus() {
        return SIGNAL_STATUS.get();
    }

    /**
     * SIGTERM (a logout, {@code kill}, the package's prerm), SIGINT (Ctrl+C in a terminal) and
     * SIGHUP quit the app the way the tray's Quit does: agent, tray and hotkeys, then {@link
     * Platform#exit()}, so that {@link #stop()} runs and {@code gtk_main} has returned before
     * libc's exit handlers do. The JVM's default (shutdown hooks, then exit) does not get there:
     * JavaFX's own shutdown hook stops the toolkit, after which nothing queued for the FX thread
     * runs, {@code stop()} included (seen: the launcher waited for it until the JVM gave up), and
     * the FX thread is still inside GTK when libc's exit handlers run.
     */
    private void handleSignals() {
        for (String name : List.of("TERM", "INT", "HUP")) {
            try {
                Signal.handle(new Signal(name), this::onSignal);
            } catch (IllegalArgumentException e) {
                // -Xrs, or a signal the VM keeps for itself: its default stays (the shutdown hook
                // stops the agent).
            }
        }
    }

    /** On the JVM's signal thread: starts the quit on the FX thread and waits for it, bounded. */
    private void onSignal(Signal signal) {
        int status = 128 + signal.getNumber();
        if (!SIGNAL_STATUS.compareAndSet(0, status)) {
            return; // already quitting
        }
        System.err.println(
                "gamer-companion: SIG" + signal.getName() + ": stopping the agent and the window");
        Platform.runLater(this::quit);
        try {
            if (!stopped.await(SIGNAL_QUIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                // A stuck FX thread must not make the app unkillable: the JVM's own way out (the
                // agent
                // still stops: shutdown hook, and its connection closes with the process).
                System.err.println(
                        "gamer-companion: the window did not stop within "
                                + SIGNAL_QUIT_TIMEOUT_MS
                                + " ms of SIG"
                                + signal.getName()
                                + "; exiting");
                System.exit(status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Quit from the tray (or the window's close button when the tray holds the app): everything
     * stops.
     */
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
        stopped.countDown();
    }
}
