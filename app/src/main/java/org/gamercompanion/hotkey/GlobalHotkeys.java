package org.gamercompanion.hotkey;

import com.github.kwhat.jnativehook.GlobalScreen;
import com.github.kwhat.jnativehook.NativeHookException;
import com.github.kwhat.jnativehook.keyboard.NativeKeyEvent;
import com.github.kwhat.jnativehook.keyboard.NativeKeyListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.gamercompanion.files.UserDirs;

/**
 * Global hotkeys through JNativeHook (X11 RECORD: keys pressed in any window, the game's included).
 *
 * <p>Threads: actions run on JNativeHook's dispatch thread; they must only enqueue work (the
 * dashboard model's actions do). A combination held down fires once, not once per key repeat.
 *
 * <pre>{@code
 * if (GlobalHotkeys.unavailableReason().isEmpty()) {
 *     GlobalHotkeys keys = GlobalHotkeys.start(Map.of(HotkeyBinding.parse("Ctrl+Shift+F10"), model::toggleScheduler));
 *     ...
 *     keys.close();
 * }
 * }</pre>
 */
public final class GlobalHotkeys implements AutoCloseable {
    /**
     * Kept strongly: java.util.logging holds loggers weakly, and a collected one forgets its level.
     */
    private static final Logger JNATIVEHOOK_LOG =
            Logger.getLogger(GlobalScreen.class.getPackage().getName());

    /** Where JNativeHook unpacks its native library (read by its DefaultLibraryLocator). */
    static final String LIB_PATH_PROPERTY = "jnativehook.lib.path";

    private final Listener listener;

    private GlobalHotkeys(Listener listener) {
        this.listener = listener;
    }

    /** Why global hotkeys cannot work in this session (no X display, pure Wayland), or empty. */
    public static Optional<String> unavailableReason() {
        return XDisplay.unavailableReason(System.getenv(), XDisplay::openError);
    }

    /**
     * Registers the native hook and starts calling {@code actions} on their combinations.
     *
     * @throws HotkeyException when the hook cannot be registered (the message says why)
     */
    public static GlobalHotkeys start(Map<HotkeyBinding, Runnable> actions) throws HotkeyException {
        // JNativeHook logs every event at INFO and more; none of it is for players.
        JNATIVEHOOK_LOG.setLevel(Level.OFF);
        JNATIVEHOOK_LOG.setUseParentHandlers(false);
        Optional<String> why = unavailableReason();
        if (why.isPresent()) {
            throw new HotkeyException(why.get());
        }
        try {
            useWritableLibraryDir();
            GlobalScreen.registerNativeHook();
        } catch (NativeHookException | UnsatisfiedLinkError e) {
            throw new HotkeyException("global hotkeys unavailable: " + e.getMessage());
        }
        Listener l = new Listener(Map.copyOf(actions));
        GlobalScreen.addNativeKeyListener(l);
        return new GlobalHotkeys(l);
    }

    /**
     * JNativeHook unpacks its .so next to its jar unless told otherwise. Installed, that jar sits
     * in a root-owned folder (docs/PACKAGING.md) and the app runs as the player: the unpack fails
     * ("Read-only file system" / EACCES) and the hotkeys are off. A per-user cache folder, private
     * to the player (0700), is writable and not shared with anyone who could swap the library.
     */
    private static void useWritableLibraryDir() throws HotkeyException {
        if (System.getProperty(LIB_PATH_PROPERTY) != null) {
            return;
        }
        Path dir = UserDirs.current().cache().resolve("jnativehook");
        try {
            Files.createDirectories(
                    dir,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new HotkeyException(
                    "global hotkeys unavailable: cannot create "
                            + dir
                            + " for JNativeHook's native"
                            + " library: "
                            + e.getMessage());
        }
        System.setProperty(LIB_PATH_PROPERTY, dir.toString());
    }

    /** Stops listening and unregisters the hook. */
    @Override
    public void close() {
        GlobalScreen.removeNativeKeyListener(listener);
        try {
            GlobalScreen.unregisterNativeHook();
        } catch (NativeHookException e) {
            // Already gone with the display: nothing is listening either way.
        }
    }

    /** A global hotkey that cannot be registered; the message is for the player. */
    public static final class HotkeyException extends Exception {
        HotkeyException(String message) {
            super(message);
        }
    }

    private static final class Listener implements NativeKeyListener {
        private final List<Map.Entry<HotkeyBinding, Runnable>> actions;

        /**
         * Combinations fired and not yet released; touched only by JNativeHook's dispatch thread.
         */
        private final Set<HotkeyBinding> down = new HashSet<>();

        Listener(Map<HotkeyBinding, Runnable> actions) {
            this.actions = List.copyOf(actions.entrySet());
        }

        @Override
        public void nativeKeyPressed(NativeKeyEvent e) {
            for (Map.Entry<HotkeyBinding, Runnable> a : actions) {
                if (a.getKey().matches(e.getKeyCode(), e.getModifiers()) && down.add(a.getKey())) {
                    try {
                        a.getValue().run();
                    } catch (RuntimeException ex) {
                        // A failing action must not kill JNativeHook's dispatcher.
                        System.err.println(
                                "gamer-companion: hotkey " + a.getKey() + " failed: " + ex);
                    }
                }
            }
        }

        @Override
        public void nativeKeyReleased(NativeKeyEvent e) {
            down.removeIf(b -> b.keyCode() == e.getKeyCode());
        }
    }
}
