package org.gamercompanion.compareview;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.gamercompanion.compare.Comparer;
import org.gamercompanion.compare.Comparison;
import org.gamercompanion.compare.ComparisonCsv;
import org.gamercompanion.compare.ComparisonJson;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.recorder.Kind;

/**
 * The Compare view's state: two recordings, the kind shown, and the comparison of them, computed
 * off the FX thread (a 1-hour recording takes seconds; the window stays responsive meanwhile).
 * Properties are read-only outside; results arrive on {@code fx}.
 *
 * <pre>{@code
 * CompareModel m = new CompareModel(Platform::runLater, worker, stateDir);
 * m.fileAProperty().set(a);
 * m.fileBProperty().set(b);          // starts the comparison
 * m.comparisonProperty().addListener((o, was, c) -> show(c));
 * }</pre>
 */
public final class CompareModel {
    /** At most this many recent recordings are listed. */
    static final int RECENT_MAX = 50;

    private final Executor fx;
    private final Executor worker;
    private final Path stateDir;
    private final ObjectProperty<Path> fileA = new SimpleObjectProperty<>(this, "fileA");
    private final ObjectProperty<Path> fileB = new SimpleObjectProperty<>(this, "fileB");
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(this, "kind");
    private final ReadOnlyObjectWrapper<Comparison> comparison =
            new ReadOnlyObjectWrapper<>(this, "comparison");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ObservableList<Path> recent = FXCollections.observableArrayList();

    /** Results of an older request (the player picked another file meanwhile) are dropped. */
    private long generation;

    /**
     * @param fx runs on the FX thread ({@code Platform::runLater})
     * @param worker where comparisons run
     * @param stateDir {@code $XDG_STATE_HOME/gamer-companion}: its {@code sessions/} and {@code
     *     ab/} hold the recent recordings
     */
    public CompareModel(Executor fx, Executor worker, Path stateDir) {
        this.fx = fx;
        this.worker = worker;
        this.stateDir = stateDir;
        fileA.addListener((o, was, is) -> compare());
        fileB.addListener((o, was, is) -> compare());
    }

    ObjectProperty<Path> fileAProperty() {
        return fileA;
    }

    ObjectProperty<Path> fileBProperty() {
        return fileB;
    }

    /** The kind the table and charts show; null: the comparison's headline. */
    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    ReadOnlyObjectProperty<Comparison> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    /** Why the last comparison failed (names the file and the reason), "" when it did not. */
    ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /**
     * Recent recordings, newest first: the session files and A/B recordings, and files opened here.
     */
    public ObservableList<Path> recent() {
        return recent;
    }

    /** Opens both at once (the end of an A/B test, the CLI's {@code --window}). */
    public void open(Path a, Path b) {
        remember(a);
        remember(b);
        fileA.set(a);
        fileB.set(b);
    }

    /** Puts {@code file} first in {@link #recent} (a file chosen from disk). */
    void remember(Path file) {
        recent.remove(file);
        recent.add(0, file);
    }

    /** The kind a comparison shows: the chosen one when it was compared, else its headline. */
    Kind shownKind(Comparison c) {
        Kind k = kind.get();
        return k != null && c.kinds().stream().anyMatch(r -> r.kind() == k) ? k : c.headline();
    }

    /** Re-reads the recent recordings from the state directory (a worker does the disk work). */
    void refreshRecent() {
        worker.execute(
                () -> {
                    List<Path> found = scan(stateDir);
                    fx.execute(
                            () -> {
                                List<Path> keep =
                                        new ArrayList<>(
                                                recent.stream()
                                                        .filter(p -> !found.contains(p))
                                                        .toList());
                                keep.addAll(found);
                                recent.setAll(keep.subList(0, Math.min(keep.size(), RECENT_MAX)));
                            });
                });
    }

    /** {@code sessions/*.hlog} and {@code ab/<run>/*.hlog} under {@code stateDir}, newest first. */
    static List<Path> scan(Path stateDir) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s =
                Files.find(
                        stateDir,
                        3,
                        (p, a) -> a.isRegularFile() && p.toString().endsWith(".hlog"))) {
            s.filter(
                            p ->
                                    stateDir.relativize(p).toString().startsWith("sessions/")
                                            || stateDir.relativize(p).toString().startsWith("ab/"))
                    .forEach(out::add);
        } catch (IOException e) {
            return List.of(); // no state directory yet: nothing recorded
        }
        out.sort(Comparator.comparing(CompareModel::modified).reversed());
        return out.subList(0, Math.min(out.size(), RECENT_MAX));
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private void compare() {
        Path a = fileA.get();
        Path b = fileB.get();
        long gen = ++generation;
        if (a == null || b == null) {
            return;
        }
        busy.set(true);
        error.set("");
        worker.execute(
                () -> {
                    Comparison c = null;
                    String why = "";
                    try {
                        c = Comparer.compare(a, b, Comparer.Options.all());
                    } catch (IOException | RuntimeException e) {
                        why = e.getMessage() == null ? e.toString() : e.getMessage();
                    }
                    Comparison result = c;
                    String problem = why;
                    fx.execute(
                            () -> {
                                if (gen != generation) {
                                    return;
                                }
                                busy.set(false);
                                error.set(problem);
                                comparison.set(result);
                            });
                });
    }

    /** Writes the comparison's CSV ({@link ComparisonCsv}) atomically. */
    void exportCsv(Path target) throws IOException {
        AtomicFile.write(target, ComparisonCsv.of(current()).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the comparison's JSON ({@link ComparisonJson}) atomically. */
    void exportJson(Path target) throws IOException {
        AtomicFile.write(
                target, (ComparisonJson.text(current()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Comparison current() throws IOException {
        Comparison c = comparison.get();
        if (c == null) {
            throw new IOException("nothing to export: open two recordings first");
        }
        return c;
    }
}
