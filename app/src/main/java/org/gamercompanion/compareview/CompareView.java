package org.gamercompanion.compareview;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javax.imageio.ImageIO;
import org.controlsfx.control.SegmentedButton;
import org.gamercompanion.compare.Comparison;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.view.CompareChart;
import org.gamercompanion.view.CompareChartData;
import org.gamercompanion.view.LatencyFormat;

/**
 * The Compare view: pick recording A and B (recent sessions and A/B runs, or any file), read the
 * verdict, see both distributions over one log time axis and the numbers side by side, and export
 * them (PNG of the verdict and charts, CSV and JSON of the numbers).
 *
 * <p>Node ids (tests): {@code fileA}, {@code fileB}, {@code openA}, {@code openB}, {@code swap},
 * {@code kind-<id>}, {@code compareVerdict}, {@code compareNotes}, {@code compareError}, {@code
 * compareChart}, {@code compareTable}, cells {@code cmp-<row>-a|b|ratio} (rows {@code count},
 * {@code p50}, {@code p90}, {@code p99}, {@code p99_9}, {@code max}, {@code over1ms}, {@code
 * over4ms}, {@code over16_7ms}), {@code exportPng}, {@code exportCsv}, {@code exportJson}, {@code
 * compareStatus}.
 */
final class CompareView extends BorderPane {
    public static final String STYLESHEET = "/org/gamercompanion/compareview/compare.css";
    static final List<String> ROWS =
            List.of(
                    "count",
                    "p50",
                    "p90",
                    "p99",
                    "p99.9",
                    "max",
                    "over1ms",
                    "over4ms",
                    "over16.7ms");
    private static final List<String> ROW_LABELS =
            List.of(
                    "samples",
                    "p50",
                    "p90",
                    "p99",
                    "p99.9",
                    "max",
                    "over 1 ms",
                    "over 4 ms",
                    "over 16.7 ms");

    private final CompareModel model;
    private final Label verdict = new Label();
    private final Label notes = new Label();
    private final Label errorLabel = new Label();
    private final Label status = new Label();
    private final CompareChart chart = new CompareChart();
    private final GridPane table = new GridPane();
    private final VBox report;
    private final ToggleGroup kinds = new ToggleGroup();

    CompareView(CompareModel model) {
        this.model = model;
        getStyleClass().add("compare-view");
        getStylesheets().add(CompareView.class.getResource(STYLESHEET).toExternalForm());
        setTop(pickers());
        verdict.setId("compareVerdict");
        verdict.getStyleClass().add("verdict");
        verdict.setWrapText(true);
        notes.setId("compareNotes");
        notes.getStyleClass().add("notes");
        notes.setWrapText(true);
        errorLabel.setId("compareError");
        errorLabel.getStyleClass().add("error");
        errorLabel.setWrapText(true);
        errorLabel.textProperty().bind(model.errorProperty());
        errorLabel.visibleProperty().bind(model.errorProperty().isNotEmpty());
        errorLabel.managedProperty().bind(errorLabel.visibleProperty());
        chart.setId("compareChart");
        table.setId("compareTable");
        table.getStyleClass().add("compare-table");
        HBox body = new HBox(12, chart, table);
        HBox.setHgrow(chart, Priority.ALWAYS);
        chart.setMinWidth(360);
        VBox.setVgrow(body, Priority.ALWAYS);
        report = new VBox(8, verdict, notes, errorLabel, body);
        report.getStyleClass().add("report");
        report.setPadding(new Insets(10));
        setCenter(report);
        setBottom(exports());
        model.comparisonProperty().addListener((o, was, c) -> show(c));
        model.kindProperty().addListener((o, was, k) -> show(model.comparisonProperty().get()));
        model.busyProperty()
                .addListener(
                        (o, was, busy) ->
                                status.setText(
                                        busy ? "comparing\u2026 (resampling 2,000 times)" : ""));
        show(model.comparisonProperty().get());
    }

    private Node pickers() {
        HBox row =
                new HBox(
                        8,
                        label("A"),
                        picker(model.fileAProperty(), "fileA"),
                        open("openA", true),
                        label("B"),
                        picker(model.fileBProperty(), "fileB"),
                        open("openB", false),
                        swap(),
                        kindSelector());
        row.setAlignment(Pos.CENTER_LEFT);
        row.setPadding(new Insets(8, 10, 0, 10));
        row.getStyleClass().add("pickers");
        return row;
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("side-label");
        return l;
    }

    private ComboBox<Path> picker(ObjectProperty<Path> file, String id) {
        ComboBox<Path> box = new ComboBox<>(model.recent());
        box.setId(id);
        box.setPromptText("a recording\u2026");
        box.setPrefWidth(230);
        box.setMinWidth(120);
        box.setCellFactory(v -> new PathCell());
        box.setButtonCell(new PathCell());
        box.valueProperty().bindBidirectional(file);
        box.setOnShowing(e -> model.refreshRecent());
        HBox.setHgrow(box, Priority.SOMETIMES);
        return box;
    }

    /** {@code B-gamer.hlog · ab/20261206-011430}: the name first, then where it is. */
    private static final class PathCell extends ListCell<Path> {
        @Override
        protected void updateItem(Path p, boolean empty) {
            super.updateItem(p, empty);
            setMnemonicParsing(false);
            if (empty || p == null) {
                setText(null);
                setTooltip(null);
            } else {
                Path parent = p.getParent();
                setText(
                        p.getFileName()
                                + (parent == null ? "" : " \u00b7 " + parent.getFileName()));
                setTooltip(new Tooltip(p.toString()));
            }
        }
    }

    private Button open(String id, boolean a) {
        Button b = new Button("Open\u2026");
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.setOnAction(
                e -> {
                    FileChooser fc = new FileChooser();
                    fc.setTitle("Recording " + (a ? "A" : "B"));
                    fc.getExtensionFilters()
                            .add(new FileChooser.ExtensionFilter("Recordings (*.hlog)", "*.hlog"));
                    File f = fc.showOpenDialog(getScene().getWindow());
                    if (f != null) {
                        model.remember(f.toPath());
                        (a ? model.fileAProperty() : model.fileBProperty()).set(f.toPath());
                    }
                });
        return b;
    }

    private Button swap() {
        Button b = new Button("Swap");
        b.setId("swap");
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.setTooltip(new Tooltip("Make B the baseline"));
        b.setOnAction(
                e -> {
                    Path a = model.fileAProperty().get();
                    model.fileAProperty().set(model.fileBProperty().get());
                    model.fileBProperty().set(a);
                });
        return b;
    }

    private Node kindSelector() {
        SegmentedButton seg = new SegmentedButton();
        seg.setToggleGroup(kinds);
        for (Kind k : List.of(Kind.INPUT_TO_RUN, Kind.WAKEUP_TO_RUN, Kind.PREEMPT_TO_RUN)) {
            ToggleButton b = new ToggleButton(label(k));
            b.setId("kind-" + k.id());
            b.setUserData(k);
            b.setMnemonicParsing(false);
            b.setMinWidth(Region.USE_PREF_SIZE);
            seg.getButtons().add(b);
        }
        kinds.selectedToggleProperty()
                .addListener(
                        (o, was, is) -> {
                            if (is != null) {
                                model.kindProperty().set((Kind) is.getUserData());
                            }
                        });
        return seg;
    }

    static String label(Kind k) {
        return k.id().replace("_to_", " \u2192 ").replace('_', ' ');
    }

    private Node exports() {
        Button png = exportButton("exportPng", "Export PNG\u2026", "png", this::exportPng);
        Button csv = exportButton("exportCsv", "Export CSV\u2026", "csv", model::exportCsv);
        Button json = exportButton("exportJson", "Export JSON\u2026", "json", model::exportJson);
        for (Button b : List.of(png, csv, json)) {
            b.disableProperty().bind(model.comparisonProperty().isNull());
        }
        status.setId("compareStatus");
        status.getStyleClass().add("status");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox row = new HBox(8, status, grow, png, csv, json);
        row.setAlignment(Pos.CENTER_LEFT);
        row.setPadding(new Insets(0, 10, 10, 10));
        return row;
    }

    /** Writes one export; the buttons ask where with a file chooser. */
    @FunctionalInterface
    interface Export {
        void to(Path target) throws IOException;
    }

    private Button exportButton(String id, String text, String ext, Export export) {
        Button b = new Button(text);
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.setOnAction(
                e -> {
                    FileChooser fc = new FileChooser();
                    fc.setTitle(text.replace("\u2026", ""));
                    fc.setInitialFileName("comparison." + ext);
                    fc.getExtensionFilters()
                            .add(
                                    new FileChooser.ExtensionFilter(
                                            ext.toUpperCase(Locale.ROOT), "*." + ext));
                    File f = fc.showSaveDialog(getScene().getWindow());
                    if (f != null) {
                        export(export, f.toPath());
                    }
                });
        return b;
    }

    /** Runs an export and says where it went, or why not (FX thread). */
    void export(Export export, Path target) {
        try {
            export.to(target);
            status.setText("saved " + target);
        } catch (IOException | RuntimeException e) {
            status.setText("not saved: " + e.getMessage());
        }
    }

    /** The verdict, notes, charts and table as they are shown, as a PNG (FX thread). */
    void exportPng(Path target) throws IOException {
        WritableImage img = report.snapshot(null, null);
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, px.getArgb(x, y));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        AtomicFile.write(target, bytes.toByteArray());
    }

    /** Exports into {@code target} by its extension (png, csv, json); for tests and scripts. */
    public void exportTo(Path target) {
        String name = target.getFileName().toString();
        Export e =
                name.endsWith(".png")
                        ? this::exportPng
                        : name.endsWith(".csv") ? model::exportCsv : model::exportJson;
        export(e, target);
    }

    private void show(Comparison c) {
        table.getChildren().clear();
        table.getColumnConstraints().clear();
        if (c == null) {
            verdict.setText(
                    "Pick two recordings: A, the baseline, and B. The verdict says whether B makes the game's"
                            + " latencies better, and by how much.");
            notes.setText("");
            chart.setData(CompareChartData.EMPTY);
            chart.setAccessibleText("no comparison yet");
            return;
        }
        Kind k = model.shownKind(c);
        for (Toggle t : kinds.getToggles()) {
            if (t.getUserData() == k && !t.isSelected()) {
                t.setSelected(true);
            }
        }
        Comparison.KindResult r = c.kind(k);
        verdict.setText((k == c.headline() ? c.verdict() : r.verdict()).replace("->", " \u2192 "));
        StringBuilder n = new StringBuilder();
        n.append("A: ")
                .append(c.a().scheduler())
                .append(" \u00b7 ")
                .append(c.a().file().getFileName())
                .append(String.format(Locale.US, " (%.0f s)", c.a().recordedS()));
        n.append("    B: ")
                .append(c.b().scheduler())
                .append(" \u00b7 ")
                .append(c.b().file().getFileName())
                .append(String.format(Locale.US, " (%.0f s)", c.b().recordedS()));
        for (String note : c.notes()) {
            n.append("\n\u2022 ").append(note);
        }
        notes.setText(n.toString());
        chart.setData(
                new CompareChartData(
                        label(k),
                        "A \u00b7 " + c.a().scheduler(),
                        "B \u00b7 " + c.b().scheduler(),
                        r.bucketsA(),
                        r.bucketsB(),
                        r.curveA().valuesNs(),
                        r.curveA().fractions(),
                        r.curveB().valuesNs(),
                        r.curveB().fractions(),
                        r.a().percentileNs("p99"),
                        r.b().percentileNs("p99")));
        chart.setAccessibleText(
                label(k)
                        + ": p99 A "
                        + LatencyFormat.latency(r.a().percentileNs("p99"))
                        + ", B "
                        + LatencyFormat.latency(r.b().percentileNs("p99"))
                        + ". "
                        + verdict.getText());
        table(r);
    }

    private void table(Comparison.KindResult r) {
        table.getColumnConstraints().addAll(column(), column(), column(), column());
        table.add(header(""), 0, 0);
        table.add(header("A"), 1, 0);
        table.add(header("B"), 2, 0);
        table.add(header("B/A (95% CI)"), 3, 0);
        for (int i = 0; i < ROWS.size(); i++) {
            String row = ROWS.get(i);
            String a;
            String b;
            String ratio = "";
            if (row.equals("count")) {
                a = LatencyFormat.count(r.a().count());
                b = LatencyFormat.count(r.b().count());
            } else if (row.equals("max")) {
                a = LatencyFormat.latency(r.a().maxNs());
                b = LatencyFormat.latency(r.b().maxNs());
            } else if (row.startsWith("over")) {
                int t = i - ROWS.indexOf("over1ms");
                a = share(r.a().shareOver().get(t));
                b = share(r.b().shareOver().get(t));
            } else {
                a = LatencyFormat.latency(r.a().percentileNs(row));
                b = LatencyFormat.latency(r.b().percentileNs(row));
                Comparison.Ratio q = r.ratio(row);
                ratio =
                        q.hasInterval()
                                ? q.text()
                                : q.unavailable() == null
                                        ? q.text()
                                        : q.unavailable().startsWith("Too few")
                                                ? "too few samples"
                                                : q.unavailable().startsWith("Too short")
                                                        ? q.text() + ", too short for a CI"
                                                        : "\u2014";
            }
            Label name = new Label(ROW_LABELS.get(i));
            name.getStyleClass().add("row-name");
            table.add(name, 0, i + 1);
            String id = "cmp-" + row.replace('.', '_'); // a dot would be a class in a CSS selector
            table.add(cell(id + "-a", a), 1, i + 1);
            table.add(cell(id + "-b", b), 2, i + 1);
            Label rc = cell(id + "-ratio", ratio);
            if (!ratio.isEmpty() && !row.equals("count")) {
                Comparison.Ratio q = r.ratio(row);
                if (q.hasInterval()) {
                    // An arrow says it without colour (and without A's and B's colours, which
                    // would read as "A" and "B"): down, lower latency in B; up, higher.
                    boolean better = q.ciHigh() < 1;
                    boolean worse = q.ciLow() > 1;
                    rc.getStyleClass().add(better ? "better" : worse ? "worse" : "unclear");
                    if (better || worse) {
                        rc.setText(rc.getText() + (better ? " \u25bc lower" : " \u25b2 higher"));
                    }
                }
                if (q.unavailable() != null) {
                    rc.setTooltip(new Tooltip(q.unavailable()));
                }
            }
            table.add(rc, 3, i + 1);
        }
    }

    private static ColumnConstraints column() {
        ColumnConstraints c = new ColumnConstraints();
        c.setMinWidth(Region.USE_PREF_SIZE);
        return c;
    }

    private static Label header(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("header");
        return l;
    }

    private static Label cell(String id, String text) {
        Label l = new Label(text);
        l.setId(id);
        l.setMnemonicParsing(false);
        l.getStyleClass().add("cell");
        return l;
    }

    private static String share(double v) {
        return Double.isNaN(v) ? LatencyFormat.NONE : String.format(Locale.US, "%.2f%%", v * 100);
    }
}
