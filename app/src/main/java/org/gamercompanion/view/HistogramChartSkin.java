package org.gamercompanion.view;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.gamercompanion.snapshot.BucketCounts;
import org.gamercompanion.snapshot.LatencyBuckets;
import org.gamercompanion.snapshot.LatencySummary;

/** Draws a {@link HistogramChart}: log latency axis, bars, percentile markers, title. */
final class HistogramChartSkin extends CanvasSkin<HistogramChart> {
    /** Line patterns of the p50, p99, p99.9 and max markers. */
    static final double[][] DASHES = {null, {6, 3}, {2, 2}, {8, 3, 2, 3}};

    HistogramChartSkin(HistogramChart chart) {
        super(chart, chart.dataProperty(), chart.compactProperty());
    }

    @Override
    void draw(GraphicsContext g, double w, double h) {
        HistogramChart chart = getSkinnable();
        HistogramData d = chart.getData();
        boolean compact = chart.isCompact();
        g.setFill(d.unmapped() ? Palette.UNMAPPED : Palette.BACKGROUND);
        g.fillRect(0, 0, w, h);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);

        double top = compact ? 30 : 34;
        double bottom = compact ? 14 : 20;
        double left = compact ? 4 : 44;
        double right = compact ? 4 : 12;
        double plotW = Math.max(1, w - left - right);
        double plotH = Math.max(1, h - top - bottom);

        drawTitle(g, d, compact, w);
        if (d.unmapped()) {
            g.setFill(Palette.MUTED);
            g.setFont(Palette.SMALL);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("no CPU of this machine\nwrites to this ring", w / 2, top + plotH / 2);
            return;
        }
        BucketCounts b = d.buckets();
        LatencySummary s = d.summary();
        LogAxis axis = LogAxis.fit(b, s, left, plotW);
        long maxCount = b.max();

        // Grid and decade labels.
        g.setFont(Palette.SMALL);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        g.setLineWidth(1);
        long[] decades = axis.decades();
        // A label needs about 34 px ("100ms"); a narrow tile labels every second or third decade
        // (they overlapped as "100ns10us 1ms100ms").
        double spacing = decades.length > 1 ? plotW / (decades.length - 1) : plotW;
        int step = spacing >= 34 ? 1 : spacing >= 17 ? 2 : 3;
        for (int i = 0; i < decades.length; i++) {
            double x = Math.round(axis.x(decades[i])) + 0.5;
            g.setFill(Palette.GRID);
            g.fillRect(x - 0.5, top, 1, plotH);
            if (i % step == 0) {
                g.setFill(Palette.MUTED);
                g.setTextAlign(
                        i == 0
                                ? TextAlignment.LEFT
                                : i == decades.length - 1
                                        ? TextAlignment.RIGHT
                                        : TextAlignment.CENTER);
                g.fillText(LatencyFormat.axis(decades[i]), x, top + plotH + 2);
            }
        }
        g.setFill(Palette.AXIS);
        g.fillRect(left, top + plotH, plotW, 1);

        if (!compact) {
            g.setFill(Palette.MUTED);
            g.setTextAlign(TextAlignment.RIGHT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(maxCount == 0 ? "0" : LatencyFormat.count(maxCount), left - 4, top);
            g.fillText("0", left - 4, top + plotH);
            // The y axis counts samples per bucket: say so (it was an unlabelled number).
            g.fillText("samples", left - 4, top + 13);
        }

        if (maxCount == 0) {
            g.setFill(Palette.MUTED);
            g.setFont(compact ? Palette.SMALL : Palette.NORMAL);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("no samples yet", left + plotW / 2, top + plotH / 2);
            return;
        }

        // Bars: one per axis bucket, height linear in count.
        g.setFill(compact ? Palette.BAR_COMPACT : Palette.BAR);
        for (int i = 0; i < b.size(); i++) {
            long c = b.count(i);
            if (c == 0) {
                continue;
            }
            double x1 = axis.x(LatencyBuckets.lowerEdgeNs(i));
            double x2 = axis.x(LatencyBuckets.upperEdgeNs(i));
            double bh = Math.max(1, plotH * c / (double) maxCount);
            g.fillRect(x1, top + plotH - bh, Math.max(1, x2 - x1 - (compact ? 0 : 1)), bh);
        }

        // Markers.
        marker(g, axis, s.p50Ns(), Palette.P50, "p50", top, plotH, compact, 0);
        marker(g, axis, s.p99Ns(), Palette.P99, "p99", top, plotH, compact, 1);
        marker(g, axis, s.p999Ns(), Palette.P999, "p99.9", top, plotH, compact, 2);
        marker(g, axis, s.maxNs(), Palette.MAX, "max", top, plotH, compact, 3);
    }

    /**
     * A vertical line as filled rectangles, dashed by {@code dashes} (on, off, ...; null: solid).
     * Not strokeLine: every chart is redrawn at the display rate, and with the software pipeline a
     * stroked (and dashed) line goes through the general anti-aliased path renderer, which took
     * over half of the render thread's time (JFR, docs/PERFORMANCE.md "Event to pixel"); an
     * axis-aligned rectangle is filled directly.
     */
    private static void verticalLine(
            GraphicsContext g, double x, double w, double y0, double y1, double[] dashes) {
        if (dashes == null) {
            g.fillRect(x, y0, w, y1 - y0);
            return;
        }
        double y = y0;
        for (int i = 0; y < y1; i = (i + 1) % dashes.length) {
            double len = Math.min(dashes[i], y1 - y);
            if (i % 2 == 0) {
                g.fillRect(x, y, w, len);
            }
            y += len;
        }
    }

    private static void drawTitle(GraphicsContext g, HistogramData d, boolean compact, double w) {
        LatencySummary s = d.summary();
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.setFill(Palette.TEXT);
        g.setFont(compact ? Palette.SMALL : Palette.TITLE);
        g.fillText(d.title(), 4, 2, w - 8);
        g.setFill(Palette.MUTED);
        g.setFont(Palette.SMALL);
        if (d.unmapped()) {
            return;
        }
        String line =
                "n "
                        + LatencyFormat.count(s.count())
                        + "  lost "
                        + LatencyFormat.count(s.lost())
                        + "  p99 "
                        + LatencyFormat.latency(s.p99Ns());
        if (!compact) {
            line +=
                    "  p50 "
                            + LatencyFormat.latency(s.p50Ns())
                            + "  p99.9 "
                            + LatencyFormat.latency(s.p999Ns())
                            + "  max "
                            + LatencyFormat.latency(s.maxNs());
        }
        g.fillText(line, 4, compact ? 15 : 18, w - 8);
    }

    private static void marker(
            GraphicsContext g,
            LogAxis axis,
            long ns,
            Color color,
            String label,
            double top,
            double plotH,
            boolean compact,
            int slot) {
        if (ns == LatencySummary.NONE) {
            return;
        }
        double x = Math.round(axis.x(ns)) + 0.5;
        double lineW = compact ? 1 : 1.5;
        g.setFill(color);
        // Told apart by pattern as well as hue (colour-blind players): p50 solid, p99 dashed, p99.9
        // dotted, max dash-dot; the same in the table's legend (the row names).
        verticalLine(g, x - lineW / 2, lineW, top, top + plotH, DASHES[slot]);
        if (!compact) {
            String text = label + " " + LatencyFormat.latency(ns);
            boolean rightHalf = x > axis.x0() + axis.width() * 0.8;
            double textW = text.length() * 5.6; // Palette.SMALL is ~5.6 px per character
            double tx = rightHalf ? x - 3 - textW : x + 3;
            double ty = top + 2 + slot * 13;
            g.setFill(Palette.BACKGROUND); // keeps the label readable over a bar
            g.fillRect(tx - 1, ty, textW + 2, 12);
            g.setFill(color);
            g.setFont(Palette.SMALL);
            g.setTextBaseline(VPos.TOP);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(text, tx, ty);
        }
    }
}
