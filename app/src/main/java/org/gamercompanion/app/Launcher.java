package org.gamercompanion.app;

import atlantafx.base.theme.PrimerDark;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import javafx.application.Application;
import javafx.application.Platform;
import org.gamercompanion.compareview.CompareModel;
import org.gamercompanion.compareview.CompareWindow;
import org.gamercompanion.files.UserDirs;
import org.gamercompanion.sys.XIoErrorExit;

/** Opens the window from a plain main class (JavaFX started from the class path). */
public final class Launcher {
    private Launcher() {}

    /**
     * Opens the window and returns when it is closed: 0, or 128 + the signal that made it quit; 1
     * with a message when there is no display.
     */
    public static int launch(String[] args) {
        if (!hasDisplay()) {
            System.err.println(
                    "gamer-companion: no display (DISPLAY and WAYLAND_DISPLAY are unset): the window needs"
                            + " a desktop session. The command line works without one: gamer-companion --help");
            return 1;
        }
        // Before GDK and AWT open their displays: from here on losing the X server ends the process
        // through one handler (XIoErrorExit), never through two threads in exit().
        XIoErrorExit.install();
        Application.launch(GamerCompanionApp.class, args);
        int signalStatus = GamerCompanionApp.signalStatus();
        if (signalStatus != 0) {
            // The window quit on SIGTERM/SIGINT/SIGHUP and the FX toolkit ended: exit as a signal
            // would.
            System.err.println("gamer-companion: stopped");
        }
        return signalStatus;
    }

    /**
     * Shows the Compare view on two recordings ({@code compare A B --window}) and returns when it
     * is closed; 1 with a message when there is no display.
     */
    public static int compare(Path a, Path b) {
        if (!hasDisplay()) {
            System.err.println(
                    "gamer-companion: compare --window needs a display (DISPLAY or WAYLAND_DISPLAY);"
                            + " without one: gamer-companion compare A.hlog B.hlog");
            return 1;
        }
        XIoErrorExit.install(); // as for the main window: a lost X server ends the process once
        CountDownLatch closed = new CountDownLatch(1);
        Platform.startup(
                () -> {
                    Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
                    CompareWindow w =
                            new CompareWindow(
                                    null,
                                    new CompareModel(
                                            Platform::runLater,
                                            GamerCompanionApp.COMPARE_WORKER,
                                            UserDirs.current().state()),
                                    null);
                    w.stage().setOnHidden(e -> closed.countDown());
                    w.show(a.toAbsolutePath(), b.toAbsolutePath());
                });
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Platform.exit();
        return 0;
    }

    private static boolean hasDisplay() {
        return System.getProperty("glass.platform") != null
                || !isBlank(System.getenv("DISPLAY"))
                || !isBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
