package org.gamercompanion.view;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.HPos;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import org.gamercompanion.snapshot.LatencySummary;

/**
 * p50, p90, p99, p99.9, max, count and lost of the merged histogram, for the last interval and the
 * whole session. Cells have ids {@code pct-<column>-<row>} (columns {@code interval}, {@code
 * session}; rows {@code p50 p90 p99 p999 max count lost}) so tests and screen readers can find
 * them.
 */
public final class PercentileTable extends GridPane {
    public static final String STYLE_CLASS = "percentile-table";

    private static final String[] ROWS = {"p50", "p90", "p99", "p999", "max", "count", "lost"};
    private static final String[] LABELS = {"p50", "p90", "p99", "p99.9", "max", "count", "lost"};

    private final ObjectProperty<LatencySummary> interval =
            new SimpleObjectProperty<>(this, "interval", LatencySummary.EMPTY);
    private final ObjectProperty<LatencySummary> session =
            new SimpleObjectProperty<>(this, "session", LatencySummary.EMPTY);
    private final Label[][] cells = new Label[2][ROWS.length];

    public PercentileTable() {
        getStyleClass().add(STYLE_CLASS);
        setHgap(14);
        setVgap(4);
        ColumnConstraints name = new ColumnConstraints();
        ColumnConstraints value = new ColumnConstraints();
        value.setHgrow(Priority.ALWAYS);
        value.setHalignment(HPos.RIGHT);
        ColumnConstraints value2 = new ColumnConstraints();
        value2.setHgrow(Priority.ALWAYS);
        value2.setHalignment(HPos.RIGHT);
        getColumnConstraints().addAll(name, value, value2);
        Label h1 = new Label("last interval");
        Label h2 = new Label("session");
        h1.getStyleClass().add("header");
        h2.getStyleClass().add("header");
        add(h1, 1, 0);
        add(h2, 2, 0);
        for (int r = 0; r < ROWS.length; r++) {
            Label n = new Label(LABELS[r]);
            n.getStyleClass().addAll("row-name", "row-" + ROWS[r]);
            add(n, 0, r + 1);
            for (int c = 0; c < 2; c++) {
                Label v = new Label(LatencyFormat.NONE);
                v.setId("pct-" + (c == 0 ? "interval" : "session") + "-" + ROWS[r]);
                v.getStyleClass().addAll("value", "row-" + ROWS[r]);
                cells[c][r] = v;
                add(v, c + 1, r + 1);
            }
        }
        interval.addListener((o, was, is) -> fill(0, is));
        session.addListener((o, was, is) -> fill(1, is));
    }

    private void fill(int column, LatencySummary s) {
        LatencySummary v = s == null ? LatencySummary.EMPTY : s;
        long[] ns = {v.p50Ns(), v.p90Ns(), v.p99Ns(), v.p999Ns(), v.maxNs()};
        for (int r = 0; r < ns.length; r++) {
            cells[column][r].setText(LatencyFormat.latency(ns[r]));
        }
        cells[column][5].setText(LatencyFormat.count(v.count()));
        cells[column][6].setText(LatencyFormat.count(v.lost()));
    }

    public ObjectProperty<LatencySummary> intervalProperty() {
        return interval;
    }

    public ObjectProperty<LatencySummary> sessionProperty() {
        return session;
    }
}
