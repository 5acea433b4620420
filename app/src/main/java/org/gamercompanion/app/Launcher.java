package org.gamercompanion.app;

import javafx.application.Application;

/** Opens the window from a plain main class (JavaFX started from the class path). */
public final class Launcher {
    private Launcher() {}

    /** Opens the window and returns when it is closed; 1 with a message when there is no display. */
    public static int launch(String[] args) {
        if (!hasDisplay()) {
            System.err.println("gamer-companion: no display (DISPLAY and WAYLAND_DISPLAY are unset): the window needs"
                    + " a desktop session. The command line works without one: gamer-companion --help");
            return 1;
        }
        Application.launch(GamerCompanionApp.class, args);
        return 0;
    }

    private static boolean hasDisplay() {
        return System.getProperty("glass.platform") != null || !isBlank(System.getenv("DISPLAY"))
                || !isBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
