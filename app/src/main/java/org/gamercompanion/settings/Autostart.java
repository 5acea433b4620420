package org.gamercompanion.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.files.UserDirs;

/**
 * "Start with the session": the XDG autostart entry {@code
 * $XDG_CONFIG_HOME/autostart/org.gamercompanion.GamerCompanion.desktop}, which every XDG desktop
 * (GNOME, KDE, Xfce, ...) runs at login. It starts the app hidden in the tray ({@code --tray}).
 * Turning it off removes the file; a file of that name that we did not write is left alone.
 */
public final class Autostart {
    public static final String FILE_NAME = "org.gamercompanion.GamerCompanion.desktop";

    /**
     * The installed command (the package puts it on PATH); the entry starts it hidden in the tray.
     */
    public static final String EXEC = "gamer-companion --tray";

    /** Marks entries this class wrote, so that it never removes a file the player wrote by hand. */
    static final String MARKER = "X-GamerCompanion-Autostart=true";

    private Autostart() {}

    /** {@code $XDG_CONFIG_HOME/autostart/<FILE_NAME>}, or {@code ~/.config/autostart/...}. */
    public static Path defaultFile() {
        return UserDirs.current().configHome().resolve("autostart").resolve(FILE_NAME);
    }

    /** The entry's text. */
    static String entry(String exec) {
        return "[Desktop Entry]\n"
                + "Type=Application\n"
                + "Name=Gamer Companion\n"
                + "Comment=Input-to-schedule latency and the gamer scheduler, in the system tray\n"
                + "Exec="
                + exec
                + "\n"
                + "Icon=org.gamercompanion.GamerCompanion\n"
                + "Terminal=false\n"
                + "X-GNOME-Autostart-enabled=true\n"
                + MARKER
                + "\n";
    }

    /** Writes (atomically) or removes the entry at {@code file}. */
    public static void apply(Path file, boolean on) throws IOException {
        if (on) {
            AtomicFile.write(file, entry(EXEC).getBytes(StandardCharsets.UTF_8));
        } else if (Files.isRegularFile(file)
                && Files.readString(file, StandardCharsets.UTF_8).contains(MARKER)) {
            Files.delete(file);
        }
    }

    /** True when our entry is there. */
    public static boolean isOn(Path file) {
        try {
            return Files.isRegularFile(file)
                    && Files.readString(file, StandardCharsets.UTF_8).contains(MARKER);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
