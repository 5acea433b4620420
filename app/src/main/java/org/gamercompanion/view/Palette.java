package org.gamercompanion.view;

import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/**
 * Canvas colours, matched to AtlantaFX's Primer Dark (canvas pixels cannot use CSS). The marker
 * colours are the same in the percentile table's CSS ({@code dashboard.css}).
 */
final class Palette {
    static final Color BACKGROUND = Color.web("#0d1117");
    static final Color GRID = Color.web("#21262d");
    static final Color AXIS = Color.web("#30363d");
    static final Color TEXT = Color.web("#c9d1d9");
    static final Color MUTED = Color.web("#8b949e");
    static final Color BAR = Color.web("#388bfd");
    static final Color BAR_COMPACT = Color.web("#1f6feb");
    static final Color P50 = Color.web("#3fb950");
    static final Color P99 = Color.web("#d29922");
    static final Color P999 = Color.web("#f85149");
    static final Color MAX = Color.web("#bc8cff");
    static final Color UNMAPPED = Color.web("#161b22");

    static final Font SMALL = Font.font(10);
    static final Font NORMAL = Font.font(12);
    static final Font TITLE = Font.font(null, FontWeight.BOLD, 12);

    private Palette() {}
}
