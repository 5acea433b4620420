package org.gamercompanion.view;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.TextAlignment;
import org.gamercompanion.snapshot.LatencySummary;
import org.gamercompanion.snapshot.P99Series;

/**
 * Draws a {@link P99Strip}: 60 slots, bar height on a log scale of whole decades around the
 * window's p99s.
 */
final class P99StripSkin extends CanvasSkin<P99Strip> {
    P99StripSkin(P99Strip strip) {
        super(strip, strip.seriesProperty());
    }

    @Override
    void draw(GraphicsContext g, double w, double h) {
        P99Series s = getSkinnable().getSeries();
        g.setFill(Palette.BACKGROUND);
        g.fillRect(0, 0, w, h);
        double left = 44;
        double top = 18;
        double bottom = 4;
        double plotW = Math.max(1, w - left - 8);
        double plotH = Math.max(1, h - top - bottom);
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < s.size(); i++) {
            long v = s.p99Ns(i);
            if (v > 0) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFont(Palette.TITLE);
        g.setFill(Palette.TEXT);
        g.fillText("p99 per second, last 60 s (log scale)", 4, 2);
        g.setFont(Palette.SMALL);
        g.setFill(Palette.MUTED);
        String latest =
                s.size() == 0 ? LatencyFormat.NONE : LatencyFormat.latency(s.p99Ns(s.size() - 1));
        g.fillText("latest " + latest, 290, 3);
        g.setStroke(Palette.AXIS);
        g.strokeLine(left, top + plotH + 0.5, left + plotW, top + plotH + 0.5);
        if (max <= 0) {
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("no samples yet", left + plotW / 2, top + plotH / 2);
            return;
        }
        // Log scale over whole decades: one 2.6 s second no longer flattens every other bar.
        // A decade below the smallest p99, so the smallest bars still have height.
        long low = Math.max(1, LogAxis.floorDecade(min) / 10);
        long high = Math.max(low * 10, LogAxis.ceilDecade(max));
        double span = Math.log10((double) high / low);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(LatencyFormat.axis(high), left - 4, top + 4);
        g.fillText(LatencyFormat.axis(low), left - 4, top + plotH - 4);
        double slotW = plotW / P99Series.SECONDS;
        int offset = P99Series.SECONDS - s.size();
        g.setFill(Palette.P99);
        for (int i = 0; i < s.size(); i++) {
            long v = s.p99Ns(i);
            if (v == LatencySummary.NONE || v <= 0) {
                continue;
            }
            double bh = Math.max(1, plotH * Math.log10((double) Math.max(v, low) / low) / span);
            g.fillRect(
                    left + (offset + i) * slotW + 1,
                    top + plotH - bh,
                    Math.max(1, slotW - 2),
                    Math.max(1, bh));
        }
    }
}
