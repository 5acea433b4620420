package org.gamercompanion.hotkey;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.gamercompanion.sys.X11;

/**
 * Whether an X display is reachable, the thing JNativeHook (X11 RECORD) and the AWT tray need. A
 * pure Wayland session has none: global key grabs are exactly what Wayland forbids to clients.
 */
final class XDisplay {
    private XDisplay() {}

    /**
     * Why global hotkeys cannot work here, or empty when an X display opens.
     *
     * @param env the environment (DISPLAY, WAYLAND_DISPLAY)
     * @param openError tries {@code XOpenDisplay(NULL)}: empty when it opened, else why not; only
     *     called when DISPLAY is set
     */
    static Optional<String> unavailableReason(
            Map<String, String> env, Supplier<Optional<String>> openError) {
        String display = env.getOrDefault("DISPLAY", "");
        String wayland = env.getOrDefault("WAYLAND_DISPLAY", "");
        if (display.isBlank()) {
            return Optional.of(
                    wayland.isBlank()
                            ? "no X display (DISPLAY is unset): global hotkeys need an X11 session"
                            : "Wayland session without X (WAYLAND_DISPLAY="
                                    + wayland
                                    + ", DISPLAY unset): Wayland lets no"
                                    + " program read keys meant for other windows; use the window or the tray, or bind"
                                    + " gamer-companion in your compositor's own shortcut settings");
        }
        return openError
                .get()
                .map(
                        why ->
                                "cannot open X display "
                                        + display
                                        + " ("
                                        + why
                                        + "): global hotkeys need it");
    }

    /** The real check: {@code XOpenDisplay(NULL)} (the DISPLAY of this process). */
    static Optional<String> openError() {
        return openError(null);
    }

    /** {@code XOpenDisplay(name)}; null means DISPLAY. Empty when it opened. */
    static Optional<String> openError(String name) {
        return X11.openError(name);
    }
}
