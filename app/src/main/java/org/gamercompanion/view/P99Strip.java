package org.gamercompanion.view;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;
import org.gamercompanion.snapshot.P99Series;

/**
 * The p99 of each of the last 60 seconds as a bar strip (newest on the right), drawn on a Canvas.
 * Seconds without samples are left blank.
 */
public final class P99Strip extends Control {
    public static final String STYLE_CLASS = "p99-strip";

    private final ObjectProperty<P99Series> series =
            new SimpleObjectProperty<>(this, "series", P99Series.EMPTY);

    public P99Strip() {
        getStyleClass().add(STYLE_CLASS);
        setFocusTraversable(
                false); // a picture, not a Tab stop: screen readers read its accessible text
    }

    public ObjectProperty<P99Series> seriesProperty() {
        return series;
    }

    P99Series getSeries() {
        return series.get();
    }

    void setSeries(P99Series s) {
        series.set(s == null ? P99Series.EMPTY : s);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new P99StripSkin(this);
    }
}
