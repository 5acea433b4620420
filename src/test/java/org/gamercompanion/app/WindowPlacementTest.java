package org.gamercompanion.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 4: the window opens where it was, or centred at a size that fits the screen. */
class WindowPlacementTest {
    static final Rectangle2D FULL_HD = new Rectangle2D(0, 0, 1920, 1040);
    static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1366, 728);

    @Test
    void firstStartIsCentredAndFitsA1366x768Laptop() {
        Rectangle2D r = WindowPlacement.place(Optional.empty(), List.of(LAPTOP), LAPTOP, 960, 640);
        assertThat(r.getMinY()).as("title bar on screen").isGreaterThanOrEqualTo(0);
        assertThat(r.getMaxY()).isLessThanOrEqualTo(728);
        assertThat(r.getWidth()).isEqualTo(1280);
        assertThat(r.getMinX()).isEqualTo((1366 - 1280) / 2.0);
        Rectangle2D big =
                WindowPlacement.place(Optional.empty(), List.of(FULL_HD), FULL_HD, 960, 640);
        assertThat(big).isEqualTo(new Rectangle2D(320, 120, 1280, 800));
    }

    @Test
    void aSavedPlaceIsUsedWhileItsTitleBarIsOnAScreen() {
        Rectangle2D saved = new Rectangle2D(100, 50, 1000, 700);
        assertThat(WindowPlacement.place(Optional.of(saved), List.of(FULL_HD), FULL_HD, 960, 640))
                .isEqualTo(saved);
        Rectangle2D above = new Rectangle2D(100, -28, 1000, 700);
        assertThat(
                        WindowPlacement.place(
                                        Optional.of(above), List.of(FULL_HD), FULL_HD, 960, 640)
                                .getMinY())
                .as("the y = -28 of the issue")
                .isEqualTo(120);
        Rectangle2D goneScreen = new Rectangle2D(2500, 100, 1000, 700);
        assertThat(
                        WindowPlacement.place(
                                        Optional.of(goneScreen),
                                        List.of(FULL_HD),
                                        FULL_HD,
                                        960,
                                        640)
                                .getMinX())
                .as("a monitor that was unplugged")
                .isEqualTo(320);
    }

    @Test
    void aDamagedFileOnlyCostsThePlace(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("window.properties"), "x=abc\ny=1\n");
        assertThat(WindowPlacement.read(f)).isEmpty();
        assertThat(WindowPlacement.read(tmp.resolve("missing"))).isEmpty();
        Files.writeString(f, "x=10\ny=20\nwidth=1000\nheight=700\n");
        assertThat(WindowPlacement.read(f)).contains(new Rectangle2D(10, 20, 1000, 700));
    }
}
