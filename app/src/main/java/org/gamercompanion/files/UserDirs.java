package org.gamercompanion.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The app's per-user folders, by the XDG Base Directory rules: a variable counts only when it is
 * set to an absolute path, else the spec's default under the home folder. Each method returns our
 * own subfolder ({@code .../gamer-companion}); nothing is created here.
 *
 * <pre>{@code
 * Path profiles = UserDirs.current().config().resolve("profiles");
 * }</pre>
 */
public final class UserDirs {
    private static final String APP = "gamer-companion";

    private final Map<String, String> env;
    private final Path home;
    private final Path tmp;
    private final long uid;

    private UserDirs(Map<String, String> env, Path home, Path tmp, long uid) {
        this.env = env;
        this.home = home;
        this.tmp = tmp;
        this.uid = uid;
    }

    /** This process's folders (environment, {@code user.home}, {@code java.io.tmpdir}, uid). */
    public static UserDirs current() {
        return new UserDirs(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                Path.of(System.getProperty("java.io.tmpdir")),
                uid());
    }

    /** Folders for another environment (tests). */
    static UserDirs of(Map<String, String> env, Path home, Path tmp, long uid) {
        return new UserDirs(env, home, tmp, uid);
    }

    /**
     * {@code $XDG_CONFIG_HOME/gamer-companion}, default {@code ~/.config/gamer-companion}:
     * profiles, settings.
     */
    public Path config() {
        return base("XDG_CONFIG_HOME", home.resolve(".config")).resolve(APP);
    }

    /** {@code $XDG_CONFIG_HOME} itself (the desktop's autostart folder lives there). */
    public Path configHome() {
        return base("XDG_CONFIG_HOME", home.resolve(".config"));
    }

    /** {@code $XDG_CACHE_HOME/gamer-companion}, default {@code ~/.cache/gamer-companion}. */
    public Path cache() {
        return base("XDG_CACHE_HOME", home.resolve(".cache")).resolve(APP);
    }

    /**
     * {@code $XDG_STATE_HOME/gamer-companion}, default {@code ~/.local/state/gamer-companion}:
     * session recordings.
     */
    public Path state() {
        return base("XDG_STATE_HOME", home.resolve(".local").resolve("state")).resolve(APP);
    }

    /**
     * {@code $XDG_RUNTIME_DIR/gamer-companion}; without it (the spec leaves the fallback to the
     * application) {@code <tmp>/gamer-companion-<uid>}, which its creator makes 0700.
     */
    public Path runtime() {
        Path xdg = absolute(env.get("XDG_RUNTIME_DIR"));
        return xdg != null ? xdg.resolve(APP) : tmp.resolve(APP + "-" + uid);
    }

    private Path base(String variable, Path fallback) {
        Path p = absolute(env.get(variable));
        return p != null ? p : fallback;
    }

    private static Path absolute(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? p : null;
    }

    /**
     * This process's effective uid (the owner of {@code /proc/self}); -1 where that cannot be read.
     */
    public static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
