package org.gamercompanion.settings;

/**
 * A settings file that cannot be read or must not be written. The message names the file, the line
 * and the field where there is one, and the fix: {@code settings settings.toml line 7:
 * hotkey.toggle_scheduler: "Ctrl+F99": unknown key "F99"; ...}.
 */
public final class SettingsException extends Exception {
    SettingsException(String message) {
        super(message);
    }
}
