package org.gamercompanion.app;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/** Reads UI state on the FX thread and waits on conditions (never on sleeps). */
public final class Fx {
    private Fx() {}

    /**
     * Shows {@code root} in {@code stage} at exactly {@code width} x {@code height}. TestFX hands
     * every test class the same primary stage: a size or minimum size that an earlier class set
     * (the app's window sets a 960x640 minimum) would otherwise stay, and put nodes of a bigger
     * scene outside the window, where a robot's click misses them.
     */
    public static void show(Stage stage, Parent root, double width, double height) {
        stage.setMinWidth(0);
        stage.setMinHeight(0);
        stage.setScene(new Scene(root, width, height));
        stage.sizeToScene();
        // And at the screen's corner: an earlier class may have left it lower, with the bottom of a
        // full-height scene off the (headless, 1280x800) screen, where clicks miss.
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    /** Runs {@code c} on the FX thread and returns its value. */
    public static <T> T get(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("FX read failed: " + e, e);
        }
    }

    /** Waits up to {@code seconds} until {@code condition}, evaluated on the FX thread, holds. */
    public static void waitFor(String what, int seconds, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> get(condition));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting for " + what, e);
        }
    }
}
