package org.gamercompanion.view;

import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.gamercompanion.snapshot.LatencyBuckets;

/** Draws a {@link CompareChart}: histograms left, percentile curves right, one legend. */
final class CompareChartSkin extends CanvasSkin<CompareChart> {
    /**
     * Okabe-Ito blue and orange: distinct for the common colour-vision deficiencies, and on a dark
     * background.
     */
    static final Color A = Color.web("#56b4e9");

    static final Color B = Color.web("#e69f00");

    /** The percentile scale's top: 99.99% (four nines). */
    private static final double NINES = 4;

    CompareChartSkin(CompareChart chart) {
        super(chart, chart.dataProperty());
    }

    @Override
    protected double computePrefWidth(
            double height, double top, double right, double bottom, double left) {
        return 760;
    }

    @Override
    protected double computePrefHeight(
            double width, double top, double right, double bottom, double left) {
        return 260;
    }

    @Override
    void draw(GraphicsContext g, double w, double h) {
        CompareChartData d = getSkinnable().getData();
        g.setFill(Palette.BACKGROUND);
        g.fillRect(0, 0, w, h);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFont(Palette.TITLE);
        g.setFill(Palette.TEXT);
        g.fillText(d.title(), 6, 4, w / 2);
        legend(g, d, w);
        if (d.isEmpty()) {
            g.setFill(Palette.MUTED);
            g.setFont(Palette.NORMAL);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("open two recordings to compare them", w / 2, h / 2);
            return;
        }
        double top = 40;
        double bottom = 22;
        double gap = 56;
        double leftW = (w - gap - 52) / 2;
        LogAxis axis = axis(d, 44, leftW);
        histograms(g, d, axis, top, h - top - bottom);
        LogAxis right =
                new LogAxis(
                        axis.lowNs(), axis.highNs(), 44 + leftW + gap, w - 44 - leftW - gap - 8);
        curves(g, d, right, top, h - top - bottom);
    }

    private static void legend(GraphicsContext g, CompareChartData d, double w) {
        g.setFont(Palette.SMALL);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        double x = w / 2;
        g.setFill(A);
        g.fillRect(x, 6, 14, 9);
        g.setFill(Palette.TEXT);
        g.fillText(d.labelA() + " (solid)", x + 18, 4, w / 4 - 24);
        x += w / 4;
        hatch(g, x, 6, 14, 9);
        g.setFill(Palette.TEXT);
        g.fillText(d.labelB() + " (hatched, dashed)", x + 18, 4, w / 4 - 24);
    }

    /** A decade axis spanning both recordings' samples. */
    private static LogAxis axis(CompareChartData d, double x0, double width) {
        long low = LogAxis.MIN_LOW_NS;
        long high = LogAxis.MIN_HIGH_NS;
        for (long[] values : new long[][] {d.curveValuesA(), d.curveValuesB()}) {
            if (values.length > 0) {
                low = Math.min(low, LogAxis.floorDecade(Math.max(1, values[0])));
                high = Math.max(high, LogAxis.ceilDecade(values[values.length - 1]));
            }
        }
        return new LogAxis(
                Math.max(LatencyBuckets.LOW_NS, low),
                Math.min(LatencyBuckets.HIGH_NS, high),
                x0,
                width);
    }

    private static void frame(
            GraphicsContext g, LogAxis axis, double top, double plotH, String title) {
        g.setFont(Palette.SMALL);
        g.setLineWidth(1);
        long[] decades = axis.decades();
        // Labels need about 40 px each; on a narrow axis every other decade is labelled.
        int step = decades.length > 1 && axis.width() / (decades.length - 1) < 40 ? 2 : 1;
        for (int i = 0; i < decades.length; i++) {
            double x = Math.round(axis.x(decades[i])) + 0.5;
            g.setStroke(Palette.GRID);
            g.strokeLine(x, top, x, top + plotH);
            if (i % step != 0) {
                continue;
            }
            g.setFill(Palette.MUTED);
            g.setTextBaseline(VPos.TOP);
            g.setTextAlign(
                    i == 0
                            ? TextAlignment.LEFT
                            : i == decades.length - 1 ? TextAlignment.RIGHT : TextAlignment.CENTER);
            g.fillText(LatencyFormat.axis(decades[i]), x, top + plotH + 3);
        }
        g.setStroke(Palette.AXIS);
        g.strokeLine(axis.x0(), top + plotH + 0.5, axis.x0() + axis.width(), top + plotH + 0.5);
        g.setFill(Palette.MUTED);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(title, axis.x0(), top - 3);
    }

    private static void histograms(
            GraphicsContext g, CompareChartData d, LogAxis axis, double top, double plotH) {
        frame(g, axis, top, plotH, "share of samples per latency bucket");
        long totalA = sum(d.bucketsA());
        long totalB = sum(d.bucketsB());
        double max = 0;
        for (int i = 0; i < d.bucketsA().length; i++) {
            max = Math.max(max, share(d.bucketsA()[i], totalA));
            max = Math.max(max, share(d.bucketsB()[i], totalB));
        }
        yLabel(g, axis.x0() - 4, top, String.format(Locale.US, "%.0f%%", max * 100));
        yLabel(g, axis.x0() - 4, top + plotH, "0%");
        if (max == 0) {
            return;
        }
        for (int i = 0; i < d.bucketsA().length; i++) {
            double x1 = axis.x(LatencyBuckets.lowerEdgeNs(i));
            double x2 = axis.x(LatencyBuckets.upperEdgeNs(i));
            double half = Math.max(1, (x2 - x1 - 1) / 2);
            double ha = plotH * share(d.bucketsA()[i], totalA) / max;
            double hb = plotH * share(d.bucketsB()[i], totalB) / max;
            if (ha > 0) {
                g.setFill(A);
                g.fillRect(x1, top + plotH - Math.max(1, ha), half, Math.max(1, ha));
            }
            if (hb > 0) {
                hatch(g, x1 + half, top + plotH - Math.max(1, hb), half, Math.max(1, hb));
            }
        }
        marker(g, axis, d.p99A(), A, top, plotH, false);
        marker(g, axis, d.p99B(), B, top, plotH, true);
    }

    /**
     * B's bars: an outline and diagonal lines, so they differ from A's by pattern, not only hue.
     */
    private static void hatch(GraphicsContext g, double x, double y, double w, double h) {
        g.save();
        g.beginPath();
        g.rect(x, y, w, h);
        g.clip();
        g.setStroke(B);
        g.setLineWidth(1);
        for (double s = -h; s < w; s += 3) {
            g.strokeLine(x + s, y + h, x + s + h, y);
        }
        g.restore();
        g.setStroke(B);
        g.strokeRect(x + 0.5, y + 0.5, Math.max(0, w - 1), Math.max(0, h - 1));
    }

    private static void curves(
            GraphicsContext g, CompareChartData d, LogAxis axis, double top, double plotH) {
        frame(g, axis, top, plotH, "percentile (share of samples at or below)");
        for (int n = 0; n <= NINES; n++) {
            double y = top + plotH - plotH * n / NINES;
            g.setStroke(Palette.GRID);
            g.strokeLine(
                    axis.x0(), Math.round(y) + 0.5, axis.x0() + axis.width(), Math.round(y) + 0.5);
            yLabel(g, axis.x0() - 4, y, new String[] {"0%", "90%", "99%", "99.9%", "99.99%"}[n]);
        }
        curve(g, axis, d.curveValuesA(), d.curveFractionsA(), A, null, top, plotH);
        curve(g, axis, d.curveValuesB(), d.curveFractionsB(), B, new double[] {6, 4}, top, plotH);
        marker(g, axis, d.p99A(), A, top, plotH, false);
        marker(g, axis, d.p99B(), B, top, plotH, true);
    }

    /** y for a cumulative fraction: 0 at 0%, one step per nine (90%, 99%, 99.9%, 99.99%). */
    private static double nines(double fraction) {
        double tail = 1 - fraction;
        return tail <= Math.pow(10, -NINES) ? NINES : Math.min(NINES, -Math.log10(tail));
    }

    private static void curve(
            GraphicsContext g,
            LogAxis axis,
            long[] values,
            double[] fractions,
            Color c,
            double[] dash,
            double top,
            double plotH) {
        if (values.length == 0) {
            return;
        }
        g.setStroke(c);
        g.setLineWidth(2);
        g.setLineDashes(dash);
        g.beginPath();
        double prevY = top + plotH;
        g.moveTo(axis.x(values[0]), prevY);
        for (int i = 0; i < values.length; i++) {
            double x = axis.x(values[i]);
            double y = top + plotH - plotH * nines(fractions[i]) / NINES;
            g.lineTo(x, prevY);
            g.lineTo(x, y);
            prevY = y;
        }
        g.stroke();
        g.setLineDashes((double[]) null);
    }

    private static void marker(
            GraphicsContext g,
            LogAxis axis,
            long ns,
            Color c,
            double top,
            double plotH,
            boolean dashed) {
        if (ns < 0) {
            return;
        }
        double x = Math.round(axis.x(ns)) + 0.5;
        g.setStroke(c);
        g.setLineWidth(1);
        g.setLineDashes(dashed ? new double[] {2, 3} : new double[] {5, 2});
        g.strokeLine(x, top, x, top + plotH);
        g.setLineDashes((double[]) null);
        g.setFill(c);
        g.setFont(Palette.SMALL);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("p99", x + 2, top + (dashed ? 14 : 2));
    }

    private static void yLabel(GraphicsContext g, double x, double y, String text) {
        g.setFill(Palette.MUTED);
        g.setFont(Palette.SMALL);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(text, x, y);
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    private static double share(long c, long total) {
        return total == 0 ? 0 : (double) c / total;
    }
}
