package org.gamercompanion.profile;

/**
 * A profile that cannot be read, saved, imported or exported. The message names the file, the line
 * and the field where there is one, and the fix: {@code profile cs2.toml line 7:
 * scheduler.boost_window_us must be 0..1000000 µs (was -5)}.
 */
public final class ProfileException extends Exception {
    public ProfileException(String message) {
        super(message);
    }

    ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
