package org.gamercompanion.app;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.files.UserDirs;

/**
 * Where the window opens (issue 15 item 4): where the player left it, when that place is still on a
 * screen; otherwise centred on the primary screen at 1280x800 or less, so that on a 1366x768 laptop
 * the title bar is on screen (it opened at y = -28 on 1920x1080 and partly off a 1366x768 screen).
 * The place is kept in {@code $XDG_STATE_HOME/gamer-companion/window.properties}.
 *
 * <pre>{@code
 * WindowPlacement.restore(stage, WindowPlacement.defaultFile());   // before show()
 * stage.setOnHiding(e -> WindowPlacement.save(stage, file));
 * }</pre>
 */
final class WindowPlacement {
    static final double WIDTH = 1280;
    static final double HEIGHT = 800;

    /** Room left around a window made to fit a small screen: panels, docks, the title bar. */
    static final double MARGIN = 40;

    /**
     * How much of the title bar must be on a screen for a saved place to be used: enough to grab
     * it.
     */
    static final double GRAB = 80;

    private WindowPlacement() {}

    public static Path defaultFile() {
        return UserDirs.current().state().resolve("window.properties");
    }

    /** Places {@code stage} (not yet shown) at its saved place, or centred at a size that fits. */
    public static void restore(Stage stage, Path file) {
        List<Rectangle2D> screens =
                Screen.getScreens().stream().map(Screen::getVisualBounds).toList();
        Rectangle2D primary = Screen.getPrimary().getVisualBounds();
        Rectangle2D r =
                place(read(file), screens, primary, stage.getMinWidth(), stage.getMinHeight());
        stage.setWidth(r.getWidth());
        stage.setHeight(r.getHeight());
        stage.setX(r.getMinX());
        stage.setY(r.getMinY());
    }

    /**
     * The window's rectangle: {@code saved} when its top edge can be grabbed on one of {@code
     * screens}, else {@value #WIDTH}x{@value #HEIGHT} shrunk to fit {@code primary} (never below
     * the window's minimum) and centred on it.
     */
    static Rectangle2D place(
            Optional<Rectangle2D> saved,
            List<Rectangle2D> screens,
            Rectangle2D primary,
            double minW,
            double minH) {
        if (saved.isPresent()) {
            Rectangle2D s = saved.get();
            Rectangle2D titleBar = new Rectangle2D(s.getMinX(), s.getMinY(), s.getWidth(), 1);
            for (Rectangle2D screen : screens) {
                double visibleW =
                        Math.min(titleBar.getMaxX(), screen.getMaxX())
                                - Math.max(titleBar.getMinX(), screen.getMinX());
                boolean topOn =
                        s.getMinY() >= screen.getMinY() && s.getMinY() < screen.getMaxY() - GRAB;
                if (topOn && visibleW >= GRAB && s.getWidth() >= minW && s.getHeight() >= minH) {
                    return s;
                }
            }
        }
        double w = Math.max(minW, Math.min(WIDTH, primary.getWidth() - MARGIN));
        double h = Math.max(minH, Math.min(HEIGHT, primary.getHeight() - MARGIN));
        return new Rectangle2D(
                primary.getMinX() + Math.max(0, (primary.getWidth() - w) / 2),
                primary.getMinY() + Math.max(0, (primary.getHeight() - h) / 2),
                w,
                h);
    }

    static Optional<Rectangle2D> read(Path file) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            double x = Double.parseDouble(p.getProperty("x"));
            double y = Double.parseDouble(p.getProperty("y"));
            double w = Double.parseDouble(p.getProperty("width"));
            double h = Double.parseDouble(p.getProperty("height"));
            if (!(Double.isFinite(x)
                    && Double.isFinite(y)
                    && w > 0
                    && h > 0
                    && w < 100_000
                    && h < 100_000)) {
                return Optional.empty();
            }
            return Optional.of(new Rectangle2D(x, y, w, h));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // A damaged file only costs the place: the window opens centred, and the next close
            // rewrites it.
            return Optional.empty();
        }
    }

    /** Keeps the window's place (not while maximised or minimised: those are not a place). */
    public static void save(Stage stage, Path file) {
        if (stage.isMaximized() || stage.isIconified() || stage.isFullScreen()) {
            return;
        }
        String text =
                String.format(
                        Locale.US,
                        "# Gamer Companion: where the window was last%nx=%.0f%ny=%.0f%nwidth=%.0f%nheight=%.0f%n",
                        stage.getX(),
                        stage.getY(),
                        stage.getWidth(),
                        stage.getHeight());
        try {
            AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println(
                    "gamer-companion: cannot keep the window's place in "
                            + file
                            + ": "
                            + e.getMessage());
        }
    }
}
