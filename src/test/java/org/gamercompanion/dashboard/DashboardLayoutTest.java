package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.ToolBar;
import javafx.stage.Stage;
import org.gamercompanion.app.Fx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 15 item 4: at the window's minimum size, at 1280x720 and at 1920x1080 every control of the
 * window is shown and lies inside it: nothing in a toolbar's overflow, nothing clipped below.
 */
@ExtendWith(ApplicationExtension.class)
class DashboardLayoutTest {
    private final FakeBackend backend = new FakeBackend();
    private DashboardModel model;
    private DashboardView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        DashboardScene scene = DashboardScene.show(stage, backend, 1280, 720);
        model = scene.model;
        view = scene.view;
    }

    @AfterEach
    void stop() {
        model.shutdown(2000);
    }

    /** Every control that should be seen: shown, with its parents, and not an overflow item. */
    private static void controls(Node n, List<Control> out) {
        if (!n.isVisible() || !n.isManaged()) {
            return;
        }
        if (n instanceof Control c && c.getId() != null) {
            out.add(c);
        }
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                controls(child, out);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"960, 640", "1280, 720", "1920, 1080"})
    void everyControlIsShownInsideTheWindow(int width, int height, FxRobot robot) {
        robot.interact(
                () -> {
                    stage.setWidth(width);
                    stage.setHeight(height);
                    view.getScene().getRoot().resize(width, height);
                    view.applyCss();
                    view.layout();
                });
        List<String> problems =
                Fx.get(
                        () -> {
                            double w = view.getScene().getWidth();
                            double h = view.getScene().getHeight();
                            List<String> out = new ArrayList<>();
                            // The toolbar's skin shows its overflow button (">>") only when some
                            // item did not fit.
                            ToolBar bar = (ToolBar) view.getTop();
                            Node overflow = bar.lookup(".tool-bar-overflow-button");
                            if (overflow != null && overflow.isVisible()) {
                                out.add(
                                        "the toolbar overflows: some of its items are only in the \u00bb menu");
                            }
                            List<Control> cs = new ArrayList<>();
                            controls(view, cs);
                            for (Control c : cs) {
                                Bounds b = c.localToScene(c.getBoundsInLocal());
                                if (b.getMinX() < -1
                                        || b.getMinY() < -1
                                        || b.getMaxX() > w + 1
                                        || b.getMaxY() > h + 1) {
                                    out.add(
                                            "#"
                                                    + c.getId()
                                                    + " outside the "
                                                    + (int) w
                                                    + "x"
                                                    + (int) h
                                                    + " window: "
                                                    + b);
                                }
                                if (b.getHeight() < 4 || b.getWidth() < 4) {
                                    out.add(
                                            "#"
                                                    + c.getId()
                                                    + " squeezed to "
                                                    + (int) b.getWidth()
                                                    + "x"
                                                    + (int) b.getHeight());
                                }
                            }
                            return out;
                        });
        assertThat(problems).as("at %dx%d", width, height).isEmpty();
    }
}
