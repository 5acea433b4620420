package org.gamercompanion.settings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.files.UserDirs;
import org.gamercompanion.hotkey.HotkeyBinding;
import org.gamercompanion.profile.ProfileStore;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The settings file, {@code $XDG_CONFIG_HOME/gamer-companion/settings.toml} (beside {@code
 * profiles/}). A missing file means the defaults. A file that does not parse is reported with file,
 * line and field and is never overwritten: {@link #save} refuses until the player fixes or removes
 * it. Writes are atomic like the profiles' (temp file, fsync, rename).
 *
 * <pre>{@code
 * SettingsStore store = SettingsStore.open(SettingsStore.defaultFile());
 * SettingsStore.Loaded l = store.load();
 * l.error().ifPresent(System.err::println);     // the defaults are in l.settings() then
 * store.save(l.settings().withCloseToTray(true));
 * }</pre>
 */
public final class SettingsStore {
    /** Larger files are refused unread: the settings are a few hundred bytes. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Set<String> TOP =
            Set.of("close_to_tray", "start_with_session", "hotkey", "metrics");
    private static final Set<String> HOTKEY = Set.of("enabled", "toggle_scheduler", "mark_moment");
    private static final Set<String> METRICS = Set.of("endpoint");

    private final Path file;

    /**
     * What {@link #load} found.
     *
     * @param settings the file's settings, or the defaults when it is missing or broken
     * @param error why the file is broken (file, line, field), or null
     * @param warnings unknown keys (ignored, and not written back by {@link #save})
     */
    public record Loaded(Settings settings, String error, List<String> warnings) {
        public Optional<String> errorText() {
            return Optional.ofNullable(error);
        }
    }

    private SettingsStore(Path file) {
        this.file = file;
    }

    public static SettingsStore open(Path file) {
        return new SettingsStore(file);
    }

    /**
     * The system property {@code gc.settings.file} when set (tests, scripts), else {@code
     * settings.toml} in the directory that holds {@code profiles/} ({@link
     * ProfileStore#defaultDir}'s parent, so the two move together).
     */
    public static Path defaultFile() {
        String override = System.getProperty("gc.settings.file");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return UserDirs.current().config().resolve("settings.toml");
    }

    public Path file() {
        return file;
    }

    /** Reads the file; never throws: a broken file gives the defaults and the error. */
    public Loaded load() {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Loaded(Settings.DEFAULTS, null, List.of());
        }
        try {
            List<String> warnings = new ArrayList<>();
            return new Loaded(
                    parse(file.getFileName().toString(), read(), warnings),
                    null,
                    List.copyOf(warnings));
        } catch (SettingsException e) {
            return new Loaded(Settings.DEFAULTS, e.getMessage(), List.of());
        }
    }

    /**
     * Writes {@code s} atomically.
     *
     * @throws SettingsException when the file on disk is broken (it is the player's, kept as it is)
     */
    public void save(Settings s) throws SettingsException, IOException {
        Loaded now = load();
        if (now.error() != null) {
            throw new SettingsException(
                    now.error() + " (not overwritten: fix or remove the file first)");
        }
        AtomicFile.write(file, write(s).getBytes(StandardCharsets.UTF_8));
    }

    private String read() throws SettingsException {
        String where = "settings " + file.getFileName();
        try {
            if (!Files.isRegularFile(file)) {
                throw new SettingsException(
                        where + ": not a regular file; move it out of " + file.getParent());
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new SettingsException(
                        where
                                + ": file is "
                                + size
                                + " bytes, over the "
                                + MAX_FILE_BYTES
                                + "-byte limit; is it the right file?");
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SettingsException(where + ": not UTF-8 text");
        } catch (IOException e) {
            throw new SettingsException(
                    where + ": cannot read: " + e.getMessage() + "; check its permissions");
        }
    }

    /** Parses the settings format; unknown keys go to {@code warnings}. */
    static Settings parse(String fileName, String text, List<String> warnings)
            throws SettingsException {
        String where = "settings " + fileName;
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            throw new SettingsException(
                    where
                            + " line "
                            + e.position().line()
                            + ": "
                            + e.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", "")
                            + " (TOML syntax)");
        }
        for (String k : toml.keySet()) {
            if (!TOP.contains(k)) {
                warnings.add(
                        where + " line " + line(toml, k) + ": unknown key " + k + " (ignored)");
            }
        }
        Settings d = Settings.DEFAULTS;
        boolean closeToTray = bool(where, toml, "close_to_tray", d.closeToTray());
        boolean autostart = bool(where, toml, "start_with_session", d.startWithSession());
        boolean hotkeyEnabled = d.hotkeyEnabled();
        HotkeyBinding toggle = d.toggleScheduler();
        HotkeyBinding mark = d.markMoment();
        if (toml.contains("hotkey")) {
            if (!toml.isTable("hotkey")) {
                throw new SettingsException(
                        where
                                + " line "
                                + line(toml, "hotkey")
                                + ": hotkey must be a table ([hotkey])");
            }
            TomlTable h = toml.getTable("hotkey");
            for (String k : h.keySet()) {
                if (!HOTKEY.contains(k)) {
                    warnings.add(
                            where
                                    + " line "
                                    + line(toml, "hotkey." + k)
                                    + ": unknown key hotkey."
                                    + k
                                    + " (ignored)");
                }
            }
            hotkeyEnabled = bool(where, toml, "hotkey.enabled", hotkeyEnabled);
            toggle = binding(where, toml, "hotkey.toggle_scheduler", toggle);
            mark = binding(where, toml, "hotkey.mark_moment", mark);
        }
        boolean metricsEndpoint = d.metricsEndpoint();
        if (toml.contains("metrics")) {
            if (!toml.isTable("metrics")) {
                throw new SettingsException(
                        where
                                + " line "
                                + line(toml, "metrics")
                                + ": metrics must be a table ([metrics])");
            }
            for (String k : toml.getTable("metrics").keySet()) {
                if (!METRICS.contains(k)) {
                    warnings.add(
                            where
                                    + " line "
                                    + line(toml, "metrics." + k)
                                    + ": unknown key metrics."
                                    + k
                                    + " (ignored)");
                }
            }
            metricsEndpoint = bool(where, toml, "metrics.endpoint", metricsEndpoint);
        }
        try {
            return new Settings(
                    closeToTray, autostart, hotkeyEnabled, toggle, mark, metricsEndpoint);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(
                    where
                            + " line "
                            + line(toml, "hotkey.mark_moment")
                            + ": hotkey.mark_moment: "
                            + e.getMessage());
        }
    }

    /** The file's text: every known key, with a comment that says where it is documented. */
    static String write(Settings s) {
        return "# Gamer Companion settings (docs/DESKTOP.md). Written by the app; edit it while the app is closed.\n"
                + "close_to_tray = "
                + s.closeToTray()
                + "\n"
                + "start_with_session = "
                + s.startWithSession()
                + "\n"
                + "\n[hotkey]\n"
                + "enabled = "
                + s.hotkeyEnabled()
                + "\n"
                + "toggle_scheduler = \""
                + s.toggleScheduler()
                + "\"\n"
                + "mark_moment = \""
                + s.markMoment()
                + "\"\n"
                + "\n[metrics]\n"
                + "endpoint = "
                + s.metricsEndpoint()
                + "\n";
    }

    private static boolean bool(String where, TomlParseResult toml, String key, boolean dflt)
            throws SettingsException {
        if (!toml.contains(key)) {
            return dflt;
        }
        if (!toml.isBoolean(key)) {
            throw new SettingsException(
                    where
                            + " line "
                            + line(toml, key)
                            + ": "
                            + key
                            + " must be true or false (was "
                            + toml.get(key)
                            + ")");
        }
        return toml.getBoolean(key);
    }

    private static HotkeyBinding binding(
            String where, TomlParseResult toml, String key, HotkeyBinding dflt)
            throws SettingsException {
        if (!toml.contains(key)) {
            return dflt;
        }
        if (!toml.isString(key)) {
            throw new SettingsException(
                    where
                            + " line "
                            + line(toml, key)
                            + ": "
                            + key
                            + " must be a string such as \"Ctrl+Shift+F10\" (was "
                            + toml.get(key)
                            + ")");
        }
        try {
            return HotkeyBinding.parse(toml.getString(key));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(
                    where + " line " + line(toml, key) + ": " + key + ": " + e.getMessage());
        }
    }

    private static int line(TomlParseResult toml, String key) {
        TomlPosition p = toml.inputPositionOf(key);
        return p == null ? 1 : p.line();
    }
}
