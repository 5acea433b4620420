package org.gamercompanion.view;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * Two latency distributions over one log time axis, for the Compare view: on the left the
 * histograms (share of each recording's samples per bucket, A solid, B hatched, side by side), on
 * the right the percentile curves (the share of samples at or below each latency, on a scale that
 * spreads out 90%, 99%, 99.9%; A solid, B dashed). The two colours (Okabe and Ito's blue and
 * orange) are told apart by colour-blind eyes, and the patterns tell them apart without colour.
 *
 * <pre>{@code
 * CompareChart chart = new CompareChart();
 * chart.dataProperty().bind(model.chartProperty());
 * }</pre>
 */
public final class CompareChart extends Control {
    public static final String STYLE_CLASS = "compare-chart";

    private final ObjectProperty<CompareChartData> data =
            new SimpleObjectProperty<>(this, "data", CompareChartData.EMPTY);

    public CompareChart() {
        getStyleClass().add(STYLE_CLASS);
        setFocusTraversable(
                false); // a picture, not a Tab stop: screen readers read its accessible text
        setAccessibleRole(AccessibleRole.IMAGE_VIEW);
    }

    /** What is drawn; never null. */
    public ObjectProperty<CompareChartData> dataProperty() {
        return data;
    }

    public CompareChartData getData() {
        return data.get();
    }

    public void setData(CompareChartData d) {
        data.set(d == null ? CompareChartData.EMPTY : d);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new CompareChartSkin(this);
    }
}
