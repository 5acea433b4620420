package org.gamercompanion.app;

import javafx.application.Application;
import org.gamercompanion.sys.XIoErrorExit;

/** Opens the window from a plain main class (JavaFX started from the class path). */
public final class Launcher {
    private Launcher() {}

    /**
     * Opens the window and returns when it is closed: 0, or 128 + the signal that made it quit; 1 with
     * a message when there is no display.
     */
    public static int launch(String[] args) {
        if (!hasDisplay()) {
            System.err.println("gamer-companion: no display (DISPLAY and WAYLAND_DISPLAY are unset): the window needs"
                    + " a desktop session. The command line works without one: gamer-companion --help");
            return 1;
        }
        // Before GDK and AWT open their displays: from here on losing the X server ends the process
        // through one handler (XIoErrorExit), never through two threads in exit().
        XIoErrorExit.install();
        Application.launch(GamerCompanionApp.class, args);
        int signalStatus = GamerCompanionApp.signalStatus();
        if (signalStatus != 0) {
            // The window quit on SIGTERM/SIGINT/SIGHUP and the FX toolkit ended: exit as a signal would.
            System.err.println("gamer-companion: stopped");
        }
        return signalStatus;
    }

    private static boolean hasDisplay() {
        return System.getProperty("glass.platform") != null || !isBlank(System.getenv("DISPLAY"))
                || !isBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
