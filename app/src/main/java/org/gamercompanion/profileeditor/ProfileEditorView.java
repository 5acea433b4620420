package org.gamercompanion.profileeditor;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.event.ActionEvent;
import javafx.event.EventHandler;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.gamercompanion.detect.ProcessIdentity;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileField;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.recorder.Kind;

/**
 * The profile editor: a searchable list of the profiles (and of the files that are not valid
 * profiles, with their error), a form validated as you type with tooltips that give each setting's
 * unit, range and trade-off, and duplicate / delete / import / export / create from a running
 * process. Saving keeps the keys this version does not know.
 *
 * <p>File I/O runs on {@code io}, results come back to the FX thread. Node ids (tests, CSS): {@code
 * profileSearch}, {@code profileList}, {@code newProfile}, {@code duplicateProfile}, {@code
 * deleteProfile}, {@code importProfile}, {@code exportProfile}, {@code processPicker}, {@code
 * fromProcess}, the inputs {@code name exe steamAppId cmdlineRegex boostWindowUs gameSliceUs
 * otherSliceUs} each with a label {@code <id>-error}, {@code schedEnabled}, {@code preemptOnInput},
 * {@code kind-<kind>}, {@code recordSession}, {@code saveProfile}, {@code editorStatus}.
 */
public final class ProfileEditorView extends BorderPane {
    /** One row of the list: a profile, or a broken file. */
    record Item(ProfileStore.Entry entry, ProfileStore.Broken broken) {
        String label() {
            return entry != null ? entry.profile().name() : "\u26a0 " + broken.file().getFileName();
        }
    }

    private final ProfileEditorModel model;
    private final ObservableList<Item> items = FXCollections.observableArrayList();
    private final FilteredList<Item> filtered = new FilteredList<>(items, i -> true);
    private final ListView<Item> list = new ListView<>(filtered);
    private final Map<String, TextField> inputs = new LinkedHashMap<>();
    private final Map<String, Label> errorLabels = new LinkedHashMap<>();
    private final CheckBox schedEnabled =
            new CheckBox("Run the gamer scheduler while this game runs");
    private final CheckBox preemptOnInput = new CheckBox("Preempt other work on input");
    private final Map<String, CheckBox> kinds = new LinkedHashMap<>();
    private final CheckBox recordSession =
            new CheckBox("Record a session file (.hlog) while the game runs");
    private final Label status = new Label();
    private final Button save = new Button("Save");
    private final Button delete = new Button("Delete");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper unsaved = new ReadOnlyBooleanWrapper(false);
    private final ComboBox<ProcessIdentity> processPicker = new ComboBox<>();

    /** The profile being edited as last loaded or saved (its unknown keys are kept). */
    private Profile base = Profile.named("");

    /** Its name in the store, or null for a new profile. */
    private String storedName;

    private boolean loading;

    /**
     * The editor over {@code store}; its I/O runs on {@code io}, results come back on the FX
     * thread.
     */
    public ProfileEditorView(ProfileStore store, Executor io) {
        this(new ProfileEditorModel(store, io, Platform::runLater));
    }

    ProfileEditorView(ProfileEditorModel model) {
        this.model = model;
        setLeft(listPane());
        setCenter(form());
        setPadding(new Insets(8));
        newProfile();
        reload(null, null);
    }

    /**
     * True while the form holds edits that are not saved (valid or not): the window asks before it
     * closes, and the status never says "Saved" over them.
     */
    public ReadOnlyBooleanProperty unsavedProperty() {
        return unsaved.getReadOnlyProperty();
    }

    /** The profile being edited, for the close question ("New game", "Counter-Strike 2"). */
    public String editedName() {
        return inputs.get(ProfileForm.NAME).getText();
    }

    /** True while the form has no errors. */
    ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    private VBox listPane() {
        TextField search = new TextField();
        search.setId("profileSearch");
        search.setPromptText("Search profiles");
        search.textProperty()
                .addListener(
                        (o, a, q) ->
                                filtered.setPredicate(
                                        i ->
                                                q == null
                                                        || q.isBlank()
                                                        || i.label()
                                                                .toLowerCase(Locale.ROOT)
                                                                .contains(
                                                                        q.strip()
                                                                                .toLowerCase(
                                                                                        Locale
                                                                                                .ROOT))));
        list.setId("profileList");
        list.setCellFactory(
                v ->
                        new ListCell<>() {
                            @Override
                            protected void updateItem(Item item, boolean empty) {
                                super.updateItem(item, empty);
                                setText(empty || item == null ? null : item.label());
                                setTooltip(
                                        empty || item == null || item.broken() == null
                                                ? null
                                                : new Tooltip(item.broken().error()));
                            }
                        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> select(item));
        VBox.setVgrow(list, Priority.ALWAYS);
        Button add = button("New", "newProfile", e -> newProfile());
        Button dup = button("Duplicate", "duplicateProfile", e -> duplicate());
        delete.setId("deleteProfile");
        delete.setOnAction(e -> delete());
        Button imp = button("Import\u2026", "importProfile", e -> importFile());
        Button exp = button("Export\u2026", "exportProfile", e -> exportFile());
        processPicker.setId("processPicker");
        processPicker.setPromptText("Running process");
        processPicker.setOnShowing(e -> refreshProcesses());
        // Without cells of its own a ComboBox shows the item's toString (ProcessInfo[pid=18152,
        // n...).
        processPicker.setCellFactory(v -> new ProcessCell());
        processPicker.setButtonCell(new ProcessCell());
        processPicker.setMaxWidth(Double.MAX_VALUE);
        Button from = button("Create from process", "fromProcess", e -> fromProcess());
        from.disableProperty().bind(processPicker.valueProperty().isNull());
        VBox box =
                new VBox(
                        6,
                        search,
                        list,
                        new HBox(6, add, dup, delete),
                        new HBox(6, imp, exp),
                        processPicker,
                        from);
        box.setPrefWidth(260);
        box.setPadding(new Insets(0, 8, 0, 0));
        return box;
    }

    private static Button button(String text, String id, EventHandler<ActionEvent> action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(action);
        return b;
    }

    private VBox form() {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(2);
        int row = 0;
        // Three groups with headings: each setting sits visibly under what it belongs to (the
        // scheduler's "Preempt other work on input" looked like part of the Record group).
        row = heading(g, row, "Which game");
        row =
                field(
                        g,
                        row,
                        ProfileForm.NAME,
                        "Name",
                        "The game's name as the dashboard shows it; unique.");
        row =
                field(
                        g,
                        row,
                        ProfileForm.EXE,
                        "Executables",
                        "Comma-separated basenames of /proc/PID/exe (cs2), or the"
                                + " .exe that wine/proton runs (Game.exe, compared ignoring case).");
        row =
                field(
                        g,
                        row,
                        ProfileForm.STEAM_APP_ID,
                        "Steam AppID",
                        ProfileField.STEAM_APP_ID.help());
        row =
                field(
                        g,
                        row,
                        ProfileForm.CMDLINE_REGEX,
                        "Command-line regex",
                        "A Java regular expression searched in the"
                                + " command line (arguments joined by spaces). Empty: not used. Least specific rule: see docs/PROFILES.md.");
        row = heading(g, row, "Scheduler");
        schedEnabled.setId("schedEnabled");
        schedEnabled.setTooltip(
                new Tooltip(
                        "sched_ext scheduler \"gamer\"; where the kernel lacks sched_ext, the game"
                                + " is still watched and measured (monitor only)."));
        g.add(schedEnabled, 1, row++);
        row =
                field(
                        g,
                        row,
                        ProfileForm.BOOST_WINDOW_US,
                        "Boost window (\u00b5s)",
                        ProfileField.BOOST_WINDOW_US.help());
        row =
                field(
                        g,
                        row,
                        ProfileForm.GAME_SLICE_US,
                        "Game slice (\u00b5s)",
                        ProfileField.GAME_SLICE_US.help());
        row =
                field(
                        g,
                        row,
                        ProfileForm.OTHER_SLICE_US,
                        "Other slice (\u00b5s)",
                        ProfileField.OTHER_SLICE_US.help());
        preemptOnInput.setId("preemptOnInput");
        preemptOnInput.setTooltip(
                new Tooltip(
                        "preempt_on_input: 0/1. On: a boosted game thread that finds no idle CPU"
                                + " kicks a CPU running other work (lower input latency, more preemptions of background work)."));
        g.add(preemptOnInput, 1, row++);
        HBox kindBox = new HBox(8);
        for (String k : Profile.KINDS) {
            // The window's names ("input -> run"); the ids stay the profile's keys. No mnemonics: a
            // CheckBox parses them by default and showed input_to_run as "inputto_run".
            CheckBox c = new CheckBox(Kind.ofId(k).label());
            c.setMnemonicParsing(false);
            c.setTooltip(new Tooltip(k + " in the profile's [monitor] kinds"));
            c.setId("kind-" + k);
            kinds.put(k, c);
            kindBox.getChildren().add(c);
        }
        row = heading(g, row, "Measure");
        g.add(new Label("Record"), 0, row);
        g.add(kindBox, 1, row++);
        recordSession.setId("recordSession");
        g.add(recordSession, 1, row++);
        for (CheckBox c : allChecks()) {
            c.selectedProperty().addListener((o, a, b) -> revalidate());
        }
        save.setId("saveProfile");
        save.setDefaultButton(true);
        save.disableProperty().bind(valid.not());
        save.setOnAction(e -> save());
        status.setId("editorStatus");
        status.setWrapText(true);
        VBox v = new VBox(8, g, new HBox(8, save), status);
        return v;
    }

    private List<CheckBox> allChecks() {
        List<CheckBox> l = new ArrayList<>(List.of(schedEnabled, preemptOnInput, recordSession));
        l.addAll(kinds.values());
        return l;
    }

    private static int heading(GridPane g, int row, String text) {
        Label h = new Label(text);
        h.getStyleClass().add("section-title");
        h.setPadding(new Insets(row == 0 ? 0 : 10, 0, 2, 0));
        g.add(h, 0, row, 2, 1);
        return row + 1;
    }

    private int field(GridPane g, int row, String id, String label, String help) {
        TextField t = new TextField();
        t.setId(id);
        t.setTooltip(new Tooltip(help));
        t.setPrefColumnCount(28);
        t.textProperty().addListener((o, a, b) -> revalidate());
        Label err = new Label();
        err.setId(id + "-error");
        err.getStyleClass().add("field-error");
        err.setStyle("-fx-text-fill: #e5534b;");
        err.setWrapText(true);
        Label l = new Label(label);
        l.setTooltip(new Tooltip(help));
        g.add(l, 0, row);
        g.add(t, 1, row);
        g.add(err, 1, row + 1);
        inputs.put(id, t);
        errorLabels.put(id, err);
        return row + 2;
    }

    private ProfileForm readForm() {
        List<String> k = new ArrayList<>();
        kinds.forEach(
                (id, c) -> {
                    if (c.isSelected()) {
                        k.add(id);
                    }
                });
        return new ProfileForm(
                text(ProfileForm.NAME),
                text(ProfileForm.EXE),
                text(ProfileForm.STEAM_APP_ID),
                text(ProfileForm.CMDLINE_REGEX),
                schedEnabled.isSelected(),
                text(ProfileForm.BOOST_WINDOW_US),
                text(ProfileForm.GAME_SLICE_US),
                text(ProfileForm.OTHER_SLICE_US),
                preemptOnInput.isSelected(),
                k,
                recordSession.isSelected());
    }

    private String text(String id) {
        String s = inputs.get(id).getText();
        return s == null ? "" : s;
    }

    private void fill(Profile p) {
        loading = true;
        ProfileForm f = ProfileForm.of(p);
        inputs.get(ProfileForm.NAME).setText(f.name());
        inputs.get(ProfileForm.EXE).setText(f.exe());
        inputs.get(ProfileForm.STEAM_APP_ID).setText(f.steamAppId());
        inputs.get(ProfileForm.CMDLINE_REGEX).setText(f.cmdlineRegex());
        inputs.get(ProfileForm.BOOST_WINDOW_US).setText(f.boostWindowUs());
        inputs.get(ProfileForm.GAME_SLICE_US).setText(f.gameSliceUs());
        inputs.get(ProfileForm.OTHER_SLICE_US).setText(f.otherSliceUs());
        schedEnabled.setSelected(f.schedulerEnabled());
        preemptOnInput.setSelected(f.preemptOnInput());
        kinds.forEach((k, c) -> c.setSelected(f.kinds().contains(k)));
        recordSession.setSelected(f.recordSession());
        loading = false;
        revalidate();
    }

    private List<String> otherNames() {
        List<String> out = new ArrayList<>();
        for (Item i : items) {
            if (i.entry() != null
                    && !i.entry()
                            .profile()
                            .name()
                            .equalsIgnoreCase(storedName == null ? "" : storedName)) {
                out.add(i.entry().profile().name());
            }
        }
        return out;
    }

    private void revalidate() {
        if (loading) {
            return;
        }
        ProfileForm form = readForm();
        Map<String, String> errors = form.errors(otherNames());
        errorLabels.forEach((id, l) -> l.setText(errors.getOrDefault(id, "")));
        valid.set(errors.isEmpty() && !getCenter().isDisabled());
        boolean changed =
                !getCenter().isDisabled()
                        && (storedName == null
                                || !errors.isEmpty()
                                || !form.toProfile(base, otherNames()).equals(base));
        unsaved.set(changed);
        if (changed && status.getText() != null && status.getText().startsWith("Saved ")) {
            status.setText(
                    "Unsaved changes"
                            + (errors.isEmpty() ? "" : " (fix the fields in red to save them)"));
        }
    }

    private void select(Item item) {
        if (item == null) {
            return;
        }
        if (item.broken() != null) {
            status.setText(item.broken().error());
            getCenter().setDisable(true);
            valid.set(false);
            return;
        }
        getCenter().setDisable(false);
        base = item.entry().profile();
        storedName = base.name();
        fill(base);
        status.setText(
                item.entry().file()
                        + (item.entry().warnings().isEmpty()
                                ? ""
                                : "\n" + String.join("\n", item.entry().warnings())));
    }

    private void newProfile() {
        list.getSelectionModel().clearSelection();
        getCenter().setDisable(false);
        base = Profile.named("New game");
        storedName = null;
        fill(base);
        status.setText("New profile: not saved yet.");
    }

    private void duplicate() {
        if (storedName == null) {
            return;
        }
        Profile current = readFormOr(base);
        Profile copy = current.withName(current.name() + " copy");
        list.getSelectionModel().clearSelection();
        base = copy;
        storedName = null;
        fill(copy);
        status.setText("Copy of \"" + current.name() + "\": not saved yet.");
    }

    private Profile readFormOr(Profile fallback) {
        ProfileForm f = readForm();
        return f.errors(otherNames()).isEmpty() ? f.toProfile(base, otherNames()) : fallback;
    }

    private void save() {
        Profile p = readForm().toProfile(base, otherNames());
        String previous = storedName;
        status.setText("Saving\u2026");
        model.save(
                p,
                previous,
                f -> {
                    base = p;
                    storedName = p.name();
                    reload(p.name(), "Saved " + f);
                },
                why -> status.setText("Not saved: " + why));
    }

    private void delete() {
        if (storedName == null) {
            return;
        }
        if (!"Really delete?".equals(delete.getText())) {
            delete.setText("Really delete?");
            return;
        }
        delete.setText("Delete");
        model.remove(
                storedName,
                f -> {
                    newProfile();
                    reload(null, "Deleted " + f);
                },
                why -> status.setText("Not deleted: " + why));
    }

    private void importFile() {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Profiles", "*.toml"));
        File f = fc.showOpenDialog(getScene().getWindow());
        if (f != null) {
            model.importFile(
                    f.toPath(),
                    p -> reload(null, "Imported " + p),
                    why -> status.setText("Not imported: " + why));
        }
    }

    private void exportFile() {
        if (storedName == null) {
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setInitialFileName(storedName.replaceAll("[^A-Za-z0-9._-]+", "-") + ".toml");
        File f = fc.showSaveDialog(getScene().getWindow());
        if (f != null) {
            model.exportTo(
                    storedName,
                    f.toPath(),
                    p -> status.setText("Exported to " + p),
                    why -> status.setText("Not exported: " + why));
        }
    }

    /** Lists the running processes with what detection reads of each: their exe. */
    private void refreshProcesses() {
        model.processes(ps -> processPicker.getItems().setAll(ps));
    }

    /** A picker row: {@link ProfileEditorModel#pickerLabel}. */
    private static final class ProcessCell extends ListCell<ProcessIdentity> {
        @Override
        protected void updateItem(ProcessIdentity p, boolean empty) {
            super.updateItem(p, empty);
            setText(empty || p == null ? null : pickerLabel(p));
        }
    }

    static String pickerLabel(ProcessIdentity p) {
        return ProfileEditorModel.pickerLabel(p);
    }

    private void fromProcess() {
        ProcessIdentity picked = processPicker.getValue();
        model.identity(
                picked.pid(),
                info -> {
                    if (info.isEmpty()) {
                        status.setText("Process " + picked.pid() + " has exited.");
                        return;
                    }
                    fill(fromProcess(info.get()));
                    list.getSelectionModel().clearSelection();
                    storedName = null;
                    base = Profile.named("");
                    status.setText("New profile from " + pickerLabel(picked) + ": not saved yet.");
                });
    }

    static Profile fromProcess(ProcessIdentity p) {
        return ProfileEditorModel.fromProcess(p);
    }

    /**
     * Re-reads the store; then selects {@code name} if given and shows {@code message} if given.
     */
    public void reload(String name, String message) {
        model.list(
                l -> {
                    List<Item> next = new ArrayList<>();
                    l.profiles().forEach(e -> next.add(new Item(e, null)));
                    l.broken().forEach(b -> next.add(new Item(null, b)));
                    items.setAll(next);
                    if (name != null) {
                        for (Item i : filtered) {
                            if (i.entry() != null
                                    && i.entry().profile().name().equalsIgnoreCase(name)) {
                                list.getSelectionModel().select(i);
                            }
                        }
                    }
                    revalidate();
                    if (message != null) {
                        status.setText(message);
                    }
                },
                why -> status.setText("Cannot read " + model.dir() + ": " + why));
    }
}
