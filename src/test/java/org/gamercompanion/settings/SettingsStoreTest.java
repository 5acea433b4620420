package org.gamercompanion.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gamercompanion.hotkey.HotkeyBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** settings.toml: defaults, round trip, errors with file, line and field, and broken files kept. */
class SettingsStoreTest {
    @TempDir Path tmp;

    @Test
    void aMissingFileMeansTheDefaultsWithEverythingOff() {
        SettingsStore.Loaded l = SettingsStore.open(tmp.resolve("settings.toml")).load();
        assertThat(l.settings()).isEqualTo(Settings.DEFAULTS);
        assertThat(l.error()).isNull();
        assertThat(Settings.DEFAULTS.closeToTray()).isFalse();
        assertThat(Settings.DEFAULTS.startWithSession()).isFalse();
        assertThat(Settings.DEFAULTS.hotkeyEnabled()).isFalse();
    }

    @Test
    void savedSettingsLoadBackEqualAndNoTempFileStays() throws Exception {
        SettingsStore store = SettingsStore.open(tmp.resolve("gamer-companion/settings.toml"));
        Settings s =
                new Settings(
                        true,
                        true,
                        true,
                        HotkeyBinding.parse("Ctrl+Alt+Shift+S"),
                        HotkeyBinding.parse("Super+M"));
        store.save(s);
        assertThat(store.load().settings()).isEqualTo(s);
        assertThat(Files.readString(store.file()))
                .contains("toggle_scheduler = \"Ctrl+Alt+Shift+S\"");
        try (var files = Files.list(store.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("settings.toml");
        }
    }

    @Test
    void aPartialFileKeepsTheDefaultsForWhatItLeavesOut() throws Exception {
        Path f = tmp.resolve("settings.toml");
        Files.writeString(f, "[hotkey]\nenabled = true\n");
        Settings s = SettingsStore.open(f).load().settings();
        assertThat(s.hotkeyEnabled()).isTrue();
        assertThat(s.toggleScheduler()).isEqualTo(HotkeyBinding.DEFAULT_TOGGLE_SCHEDULER);
        assertThat(s.closeToTray()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "close_to_tray = 1|settings settings.toml line 1: close_to_tray must be true or false (was 1)",
                "close_to_tray = true\\n\\n[hotkey]\\ntoggle_scheduler = \"Ctrl+F99\"|settings settings.toml line 4: hotkey.toggle_scheduler: \"Ctrl+F99\": unknown key \"F99\"",
                "[hotkey]\\nmark_moment = 11|settings settings.toml line 2: hotkey.mark_moment must be a string",
                "[hotkey]\\nmark_moment = \"Ctrl+Shift+F10\"|line 2: hotkey.mark_moment: the two hotkeys are both Ctrl+Shift+F10",
                "hotkey = true|settings settings.toml line 1: hotkey must be a table",
                "close_to_tray = tru|settings settings.toml line 1: ",
                "[hotkey]\\ntoggle_scheduler = \"Ctrl+Alt+F2\"|line 2: hotkey.toggle_scheduler: \"Ctrl+Alt+F2\": Ctrl+Alt+F2 switches to virtual terminal 2"
            })
    void aBrokenFileIsReportedWithFileLineAndFieldAndTheDefaultsAreUsed(String text, String error)
            throws Exception {
        Path f = tmp.resolve("settings.toml");
        Files.writeString(f, text.replace("\\n", "\n"));
        SettingsStore.Loaded l = SettingsStore.open(f).load();
        assertThat(l.error()).contains(error);
        assertThat(l.settings()).isEqualTo(Settings.DEFAULTS);
    }

    @Test
    void aBrokenFileIsKeptAndNeverOverwritten() throws Exception {
        Path f = tmp.resolve("settings.toml");
        String broken = "close_to_tray = \"yes please\"\n# my notes\n";
        Files.writeString(f, broken);
        SettingsStore store = SettingsStore.open(f);
        assertThatThrownBy(() -> store.save(Settings.DEFAULTS.withCloseToTray(true)))
                .isInstanceOf(SettingsException.class)
                .hasMessage(
                        "settings settings.toml line 1: close_to_tray must be true or false (was yes please)"
                                + " (not overwritten: fix or remove the file first)");
        assertThat(Files.readString(f)).isEqualTo(broken);
    }

    @Test
    void unknownKeysAreWarnedAboutNotFatal() throws Exception {
        Path f = tmp.resolve("settings.toml");
        Files.writeString(f, "close_to_tray = true\ntheme = \"dark\"\n[hotkey]\nchord = \"x\"\n");
        SettingsStore.Loaded l = SettingsStore.open(f).load();
        assertThat(l.error()).isNull();
        assertThat(l.settings().closeToTray()).isTrue();
        assertThat(l.warnings())
                .containsExactly(
                        "settings settings.toml line 2: unknown key theme (ignored)",
                        "settings settings.toml line 4: unknown key hotkey.chord (ignored)");
    }

    @Test
    void startWithSessionWritesAnAutostartEntryThatStartsInTheTrayAndRemovesOnlyOurs()
            throws Exception {
        Path entry = tmp.resolve("autostart").resolve(Autostart.FILE_NAME);
        Autostart.apply(entry, true);
        String text = Files.readString(entry);
        assertThat(text)
                .startsWith("[Desktop Entry]\n")
                .contains("\nExec=gamer-companion --tray\n")
                .contains("\nType=Application\n");
        assertThat(Autostart.isOn(entry)).isTrue();
        Autostart.apply(entry, false);
        assertThat(entry).doesNotExist();

        String mine = "[Desktop Entry]\nType=Application\nExec=gamer-companion --tray --my-flag\n";
        Files.writeString(entry, mine);
        Autostart.apply(entry, false);
        assertThat(Files.readString(entry)).isEqualTo(mine);
        assertThat(Autostart.isOn(entry)).isFalse();
    }
}
