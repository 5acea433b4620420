package org.gamercompanion.view;

import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * A latency histogram drawn on a Canvas: a log latency axis over {@link
 * org.gamercompanion.snapshot.LatencyBuckets}, bars for counts, markers for p50, p99, p99.9 and
 * max. Compact mode (the 16 ring views) draws a title with count, lost and p99 and fewer labels; a
 * ring that no CPU maps to is drawn as such.
 *
 * <pre>{@code
 * HistogramChart chart = new HistogramChart();
 * chart.dataProperty().bind(model.mergedProperty());
 * }</pre>
 */
public final class HistogramChart extends Control {
    public static final String STYLE_CLASS = "histogram-chart";
    public static final String COMPACT_STYLE_CLASS = "compact";

    private final ObjectProperty<HistogramData> data =
            new SimpleObjectProperty<>(this, "data", HistogramData.EMPTY);
    private final BooleanProperty compact = new SimpleBooleanProperty(this, "compact", false);

    public HistogramChart() {
        getStyleClass().add(STYLE_CLASS);
        setFocusTraversable(
                false); // a picture, not a Tab stop: screen readers read its accessible text
        // Screen readers get the numbers the picture shows (issue 15 item 5).
        setAccessibleRole(AccessibleRole.IMAGE_VIEW);
        accessibleTextProperty()
                .bind(Bindings.createStringBinding(() -> describe(data.get()), data));
        compact.addListener(
                (o, was, is) -> {
                    if (is) {
                        getStyleClass().add(COMPACT_STYLE_CLASS);
                    } else {
                        getStyleClass().remove(COMPACT_STYLE_CLASS);
                    }
                });
    }

    /** {@code ring 3 · CPU 3: 1,140 samples, p50 24.7 µs, p99 3.08 ms, max 16.3 ms}. */
    static String describe(HistogramData d) {
        if (d.unmapped()) {
            return d.title() + ": no CPU of this machine writes to this ring";
        }
        var s = d.summary();
        if (s.count() == 0) {
            return d.title() + ": no samples yet";
        }
        return d.title()
                + ": "
                + LatencyFormat.count(s.count())
                + " samples, p50 "
                + LatencyFormat.latency(s.p50Ns())
                + ", p99 "
                + LatencyFormat.latency(s.p99Ns())
                + ", max "
                + LatencyFormat.latency(s.maxNs());
    }

    /** What is drawn; never null. */
    public ObjectProperty<HistogramData> dataProperty() {
        return data;
    }

    public HistogramData getData() {
        return data.get();
    }

    public void setData(HistogramData d) {
        data.set(d == null ? HistogramData.EMPTY : d);
    }

    BooleanProperty compactProperty() {
        return compact;
    }

    boolean isCompact() {
        return compact.get();
    }

    public void setCompact(boolean c) {
        compact.set(c);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new HistogramChartSkin(this);
    }
}
