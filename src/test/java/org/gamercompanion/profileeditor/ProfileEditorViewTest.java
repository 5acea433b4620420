package org.gamercompanion.profileeditor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.gamercompanion.app.Fx;
import org.gamercompanion.detect.ProcessIdentity;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The profile editor, headless: validation as you type, save, unknown keys untouched, broken files
 * shown.
 */
@ExtendWith(ApplicationExtension.class)
class ProfileEditorViewTest {
    static final String WITH_UNKNOWN =
            """
            name = "Bar Game"
            future_key = "keep"
            [match]
            exe = ["bargame"]
            [scheduler]
            boost_window_us = 5000
            future_tunable = 3
            [overlay]
            corner = "top-left"
            """;
    static final byte[] BROKEN =
            "name = \"Broken\"\n[scheduler]\ngame_slice_us = 5\n".getBytes(StandardCharsets.UTF_8);

    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private Path dir;
    private ProfileStore store;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("profile-editor");
        Files.writeString(dir.resolve("bar-game.toml"), WITH_UNKNOWN);
        Files.write(dir.resolve("broken.toml"), BROKEN);
        store = ProfileStore.open(dir);
        Fx.show(stage, new ProfileEditorView(store, io), 1000, 700);
    }

    @AfterEach
    void stop() throws Exception {
        io.shutdownNow();
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String text(FxRobot robot, String id) {
        return Fx.get(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    private void replace(FxRobot robot, String id, String value) {
        robot.interact(() -> robot.lookup(id).queryAs(TextField.class).setText(value));
    }

    @SuppressWarnings("unchecked")
    private void selectProfile(FxRobot robot, String label) {
        ListView<ProfileEditorView.Item> list =
                robot.lookup("#profileList").queryAs(ListView.class);
        Fx.waitFor("the list to load", 10, () -> list.getItems().size() == 2);
        robot.interact(
                () ->
                        list.getSelectionModel()
                                .select(
                                        list.getItems().stream()
                                                .filter(i -> i.label().equals(label))
                                                .findFirst()
                                                .orElseThrow()));
    }

    @Test
    void invalidValuesAreShownAsYouTypeAndBlockSave(FxRobot robot) {
        selectProfile(robot, "Bar Game");
        Button save = robot.lookup("#saveProfile").queryAs(Button.class);
        assertThat(Fx.get(save::isDisabled)).isFalse();

        replace(robot, "#boostWindowUs", "-5");
        assertThat(text(robot, "#boostWindowUs-error"))
                .isEqualTo("boost_window_us must be 0..1000000 \u00b5s (was -5)");
        assertThat(Fx.get(save::isDisabled)).isTrue();

        replace(robot, "#boostWindowUs", "abc");
        assertThat(text(robot, "#boostWindowUs-error")).contains("must be a whole number");
        replace(robot, "#exe", "bargame, /usr/bin/x");
        assertThat(text(robot, "#exe-error")).contains("without a directory");
        replace(robot, "#cmdlineRegex", "(");
        assertThat(text(robot, "#cmdlineRegex-error")).contains("not a valid regular expression");

        replace(robot, "#boostWindowUs", "7000");
        replace(robot, "#exe", "bargame, Bar.exe");
        replace(robot, "#cmdlineRegex", "");
        assertThat(text(robot, "#boostWindowUs-error")).isEmpty();
        assertThat(Fx.get(save::isDisabled)).isFalse();
        assertThat(
                        Fx.get(
                                () ->
                                        robot.lookup("#gameSliceUs")
                                                .queryAs(TextField.class)
                                                .getTooltip()
                                                .getText()))
                .contains("100..100000 \u00b5s", "default 5000");
    }

    @Test
    void saveWritesTheProfileAndKeepsUnknownKeys(FxRobot robot) throws Exception {
        selectProfile(robot, "Bar Game");
        replace(robot, "#boostWindowUs", "7000");
        robot.interact(
                () -> robot.lookup("#schedEnabled").queryAs(CheckBox.class).setSelected(true));
        robot.interact(() -> robot.lookup("#saveProfile").queryButton().fire());
        Fx.waitFor(
                "the save",
                10,
                () -> text(robot, "#editorStatus").matches("(?s)(Saved|Not saved).*"));
        assertThat(text(robot, "#editorStatus")).startsWith("Saved");

        Profile saved = ProfileStore.read(dir.resolve("bar-game.toml")).profile();
        assertThat(saved.scheduler().boostWindowUs()).isEqualTo(7000);
        assertThat(saved.scheduler().enabled()).isTrue();
        assertThat(saved.match().exe()).containsExactly("bargame");
        assertThat(saved.unknown()).containsEntry("future_key", "keep");
        assertThat(saved.unknown().get("scheduler")).isEqualTo(Map.of("future_tunable", 3L));
        assertThat(saved.unknown().get("overlay")).isEqualTo(Map.of("corner", "top-left"));
        assertThat(Files.readAllBytes(dir.resolve("broken.toml"))).isEqualTo(BROKEN);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("bar-game.toml", "broken.toml");
        }
    }

    /** Issue 15 item 6: after a save, new edits (valid or not) are "unsaved", never "Saved". */
    @Test
    void editsAfterASaveAreUnsavedNotSaved(FxRobot robot) {
        selectProfile(robot, "Bar Game");
        ProfileEditorView view =
                robot.lookup(".profile-editor")
                        .tryQuery()
                        .map(n -> (ProfileEditorView) n)
                        .orElseGet(
                                () ->
                                        (ProfileEditorView)
                                                robot.lookup("#saveProfile")
                                                        .query()
                                                        .getScene()
                                                        .getRoot());
        assertThat(Fx.get(() -> view.unsavedProperty().get())).as("just loaded").isFalse();
        replace(robot, "#boostWindowUs", "7000");
        robot.interact(() -> robot.lookup("#saveProfile").queryButton().fire());
        Fx.waitFor("the save", 10, () -> text(robot, "#editorStatus").startsWith("Saved"));
        assertThat(Fx.get(() -> view.unsavedProperty().get())).isFalse();
        replace(robot, "#boostWindowUs", "-5");
        assertThat(Fx.get(() -> view.unsavedProperty().get())).isTrue();
        assertThat(text(robot, "#editorStatus"))
                .isEqualTo("Unsaved changes (fix the fields in red to save them)");
        replace(robot, "#boostWindowUs", "7000");
        assertThat(Fx.get(() -> view.unsavedProperty().get()))
                .as("back to what is saved")
                .isFalse();
    }

    @Test
    void aBrokenFileIsListedWithItsErrorAndCannotBeSaved(FxRobot robot) {
        selectProfile(robot, "\u26a0 broken.toml");
        assertThat(text(robot, "#editorStatus"))
                .isEqualTo(
                        "profile broken.toml line 3: scheduler.game_slice_us must be 100..100000 \u00b5s (was 5)");
        assertThat(Fx.get(() -> robot.lookup("#saveProfile").queryAs(Button.class).isDisabled()))
                .isTrue();
    }

    @Test
    void aNewProfileWithATakenNameIsRefusedAndADistinctOneIsCreated(FxRobot robot)
            throws Exception {
        selectProfile(robot, "Bar Game");
        robot.interact(() -> robot.lookup("#newProfile").queryButton().fire());
        replace(robot, "#name", "bar game");
        assertThat(text(robot, "#name-error")).isEqualTo("another profile is named \"bar game\"");
        replace(robot, "#name", "Other Game");
        replace(robot, "#exe", "other");
        robot.interact(() -> robot.lookup("#saveProfile").queryButton().fire());
        Fx.waitFor(
                "the save",
                10,
                () -> text(robot, "#editorStatus").matches("(?s)(Saved|Not saved).*"));
        assertThat(text(robot, "#editorStatus")).startsWith("Saved");
        assertThat(store.list().find("Other Game").orElseThrow().profile().match().exe())
                .containsExactly("other");
    }

    /**
     * Issue 11 item 8: the boxes read {@code inputto_run} (CheckBox parses mnemonics and ate the
     * underscore). Checked on the text the skin draws, which is what the player sees.
     */
    @Test
    void theRecordBoxesShowTheKindsDisplayNames(FxRobot robot) {
        assertThat(drawn(robot, "#kind-input_to_run")).isEqualTo("input \u2192 run");
        assertThat(drawn(robot, "#kind-wakeup_to_run")).isEqualTo("wakeup \u2192 run");
        assertThat(drawn(robot, "#kind-preempt_to_run")).isEqualTo("preempt \u2192 run");
    }

    /**
     * Issue 11 item 8: the picker showed {@code ProcessInfo[pid=18152, n...} (a record's toString).
     * A running process whose argument is a Windows .exe (as under wine) is listed, in the popup
     * and once picked, as {@code name (pid) · exe}, the exe being the one a profile made from it
     * matches; its underscore drawn as it is (the text is data: no mnemonic parsing).
     */
    @Test
    void theProcessPickerShowsNamePidAndExe(FxRobot robot) throws Exception {
        // bash with $0 = a Windows path: comm "bash", and argv carries Bar.exe as wine's would.
        Process game = new ProcessBuilder("bash", "-c", "read", "C:\\Games\\Bar_Game.exe").start();
        try {
            String pid = Long.toString(game.pid());
            ComboBox<?> picker = robot.lookup("#processPicker").queryAs(ComboBox.class);
            robot.interact(picker::show);
            // Read from /proc when the popup shows; found by the record's own pid (its toString has
            // "pid=N,").
            Fx.waitFor("the picker listing pid " + pid, 10, () -> indexOf(picker, pid) >= 0);
            // Only the rows in view have cells: bring the process's row into view.
            robot.interact(
                    () ->
                            robot.lookup(".combo-box-popup .list-view")
                                    .queryAs(ListView.class)
                                    .scrollTo(indexOf(picker, pid)));
            Fx.waitFor("the popup's cell for pid " + pid, 10, () -> popupCell(robot, pid) != null);
            ListCell<?> cell = Fx.get(() -> popupCell(robot, pid));
            // Its text, and drawn as it is: no mnemonic parsing ate the underscore. (The drawn text
            // may be
            // cut with an ellipsis where the row is narrow, so it is compared to its start.)
            assertThat(Fx.get(cell::getText)).isEqualTo("bash (" + pid + ") \u00b7 Bar_Game.exe");
            assertThat(drawn(cell)).startsWith("bash (" + pid + ") \u00b7 Bar_G");
            assertThat(Fx.get(cell::isMnemonicParsing)).isFalse();
            robot.interact(
                    () -> {
                        picker.getSelectionModel().select(cell.getIndex());
                        picker.hide();
                    });
            // The picked value in the picker's own (button) cell.
            assertThat(Fx.get(() -> ((ListCell<?>) picker.lookup(".list-cell")).getText()))
                    .isEqualTo("bash (" + pid + ") \u00b7 Bar_Game.exe");
        } finally {
            game.destroy();
        }
    }

    private static int indexOf(ComboBox<?> picker, String pid) {
        List<?> items = picker.getItems();
        for (int i = 0; i < items.size(); i++) {
            if (String.valueOf(items.get(i)).contains("pid=" + pid + ",")) {
                return i;
            }
        }
        return -1;
    }

    /** The picker popup's cell whose text carries {@code pid} (FX thread), or null. */
    private static ListCell<?> popupCell(FxRobot robot, String pid) {
        return robot.lookup(".combo-box-popup .list-cell").queryAll().stream()
                .map(c -> (ListCell<?>) c)
                .filter(c -> c.getText() != null && c.getText().matches(".*\\b" + pid + "\\b.*"))
                .findFirst()
                .orElse(null);
    }

    /**
     * The text the skin of the Labeled {@code id} draws (mnemonic markers removed, as on screen).
     */
    private static String drawn(FxRobot robot, String id) {
        return drawn(robot.lookup(id).queryAs(Labeled.class));
    }

    private static String drawn(Labeled labeled) {
        return Fx.get(() -> ((Text) labeled.lookup(".text")).getText());
    }

    @Test
    void aProfileFromARunningWineProcessUsesItsExeAndAppId() {
        Profile p =
                ProfileEditorView.fromProcess(
                        new ProcessIdentity(
                                1,
                                "wine64-preloader",
                                "Game.exe",
                                List.of("Z:\\games\\Game.exe", "-dx12"),
                                730));
        assertThat(p.name()).isEqualTo("Game");
        assertThat(p.match().exe()).containsExactly("Game.exe");
        assertThat(p.match().steamAppId()).isEqualTo(730);
    }
}
