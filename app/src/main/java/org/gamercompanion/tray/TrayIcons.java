package org.gamercompanion.tray;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/**
 * The tray icon's image: the packaged artwork ({@code
 * /org/gamercompanion/icons/gamer-companion-<N>.png}, N = 16, 32, 64, 256), the smallest one at
 * least as large as the tray's slot; where none loads, a drawn stand-in, so a missing resource
 * never costs the player the tray.
 */
final class TrayIcons {
    static final int[] SIZES_PX = {16, 32, 64, 256};
    static final String RESOURCE = "/org/gamercompanion/icons/gamer-companion-%d.png";

    private TrayIcons() {}

    /** The image for a slot of {@code slot} pixels. */
    static Image forSlot(Dimension slot) {
        int want = Math.max(slot.width, slot.height);
        Image best = null;
        for (int size : SIZES_PX) {
            Image img = load(size);
            if (img != null) {
                best = img;
                if (size >= want) {
                    break;
                }
            }
        }
        return best != null ? best : drawn(Math.max(want, 16));
    }

    private static Image load(int sizePx) {
        try (InputStream in =
                TrayIcons.class.getResourceAsStream(String.format(RESOURCE, sizePx))) {
            return in == null ? null : ImageIO.read(in);
        } catch (IOException e) {
            return null;
        }
    }

    /** Three latency bars on a dark tile: recognisable at 16 px. */
    static BufferedImage drawn(int sizePx) {
        BufferedImage img = new BufferedImage(sizePx, sizePx, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x22, 0x27, 0x2e));
        g.fillRoundRect(0, 0, sizePx, sizePx, sizePx / 4, sizePx / 4);
        g.setColor(new Color(0x3f, 0xb9, 0x50));
        g.setStroke(new BasicStroke(Math.max(1f, sizePx / 8f)));
        int[] heights = {sizePx / 4, sizePx * 3 / 5, sizePx * 2 / 5};
        for (int i = 0; i < heights.length; i++) {
            int x = sizePx * (i + 1) / 4;
            g.drawLine(x, sizePx - sizePx / 6, x, sizePx - sizePx / 6 - heights[i]);
        }
        g.dispose();
        return img;
    }
}
