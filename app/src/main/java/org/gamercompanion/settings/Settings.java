package org.gamercompanion.settings;

import org.gamercompanion.hotkey.HotkeyBinding;

/**
 * The per-user desktop settings (docs/DESKTOP.md). Everything that changes how the app behaves
 * outside its window is off by default: a player opts in.
 *
 * @param closeToTray closing the window hides it in the tray; the agent keeps running
 * @param startWithSession an autostart entry starts the app hidden in the tray at login
 * @param hotkeyEnabled global hotkeys are registered
 * @param toggleScheduler the combination that turns the scheduler on or off
 * @param markMoment the combination that marks the moment in the session files being recorded
 * @param metricsEndpoint the window serves its latency metrics to Prometheus on 127.0.0.1:9464
 *     (docs/COLLECTOR.md)
 */
public record Settings(
        boolean closeToTray,
        boolean startWithSession,
        boolean hotkeyEnabled,
        HotkeyBinding toggleScheduler,
        HotkeyBinding markMoment,
        boolean metricsEndpoint) {
    public static final Settings DEFAULTS =
            new Settings(
                    false,
                    false,
                    false,
                    HotkeyBinding.DEFAULT_TOGGLE_SCHEDULER,
                    HotkeyBinding.DEFAULT_MARK_MOMENT,
                    false);

    /** The settings before the metrics endpoint existed: it is off. */
    public Settings(
            boolean closeToTray,
            boolean startWithSession,
            boolean hotkeyEnabled,
            HotkeyBinding toggleScheduler,
            HotkeyBinding markMoment) {
        this(closeToTray, startWithSession, hotkeyEnabled, toggleScheduler, markMoment, false);
    }

    public Settings {
        if (toggleScheduler.equals(markMoment)) {
            throw new IllegalArgumentException(
                    "the two hotkeys are both " + toggleScheduler + "; give them different keys");
        }
    }

    Settings withCloseToTray(boolean on) {
        return new Settings(
                on, startWithSession, hotkeyEnabled, toggleScheduler, markMoment, metricsEndpoint);
    }

    public Settings withStartWithSession(boolean on) {
        return new Settings(
                closeToTray, on, hotkeyEnabled, toggleScheduler, markMoment, metricsEndpoint);
    }

    Settings withHotkeys(boolean enabled, HotkeyBinding toggle, HotkeyBinding mark) {
        return new Settings(closeToTray, startWithSession, enabled, toggle, mark, metricsEndpoint);
    }

    Settings withMetricsEndpoint(boolean on) {
        return new Settings(
                closeToTray, startWithSession, hotkeyEnabled, toggleScheduler, markMoment, on);
    }
}
