package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.gamercompanion.app.Fx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 15 item 5: every control that Tab reaches shows that it has the focus. Measured, not
 * assumed: the control's own pixels change when the focus arrives.
 */
@ExtendWith(ApplicationExtension.class)
class FocusVisibleTest {
    private final FakeBackend backend = new FakeBackend();
    private DashboardModel model;
    private DashboardView view;

    @Start
    void start(Stage stage) {
        DashboardScene scene = DashboardScene.show(stage, backend, 1280, 800);
        model = scene.model;
        view = scene.view;
    }

    @AfterEach
    void stop() {
        model.shutdown(2000);
    }

    private static void focusable(Node n, List<Control> out) {
        if (!n.isVisible() || n.isDisabled()) {
            return;
        }
        if (n instanceof Control c && c.isFocusTraversable()) {
            out.add(c);
        }
        if (n instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(child -> focusable(child, out));
        }
    }

    private static int differing(WritableImage a, WritableImage b) {
        int w = (int) Math.min(a.getWidth(), b.getWidth());
        int h = (int) Math.min(a.getHeight(), b.getHeight());
        PixelReader pa = a.getPixelReader();
        PixelReader pb = b.getPixelReader();
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (pa.getArgb(x, y) != pb.getArgb(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void everyFocusableControlShowsTheFocus(FxRobot robot) {
        List<Control> controls =
                Fx.get(
                        () -> {
                            List<Control> out = new ArrayList<>();
                            focusable(view, out);
                            return out;
                        });
        assertThat(controls).hasSizeGreaterThan(10);
        List<String> unseen = new ArrayList<>();
        for (Control c : controls) {
            Node elsewhere = controls.get(controls.indexOf(c) == 0 ? 1 : 0);
            robot.interact(elsewhere::requestFocus);
            WritableImage before = Fx.get(() -> c.snapshot(null, null));
            robot.interact(c::requestFocus);
            WritableImage after =
                    Fx.get(
                            () -> {
                                c.applyCss();
                                return c.snapshot(null, null);
                            });
            boolean focused = Fx.get(c::isFocused);
            if (focused && differing(before, after) < 20) {
                unseen.add(
                        (c.getId() != null ? "#" + c.getId() : c.getClass().getSimpleName())
                                + " "
                                + c);
            }
        }
        assertThat(unseen).as("controls whose focus does not show").isEmpty();
    }
}
