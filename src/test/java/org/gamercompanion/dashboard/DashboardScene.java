package org.gamercompanion.dashboard;

import atlantafx.base.theme.PrimerDark;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.gamercompanion.app.Fx;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;

/**
 * The whole window as the app shows it (its theme, every toolbar button), on a fake backend of a
 * 2-CPU machine without sched_ext: for the tests that look at all of it (layout, focus).
 */
final class DashboardScene {
    final DashboardModel model;
    final DashboardView view;

    private DashboardScene(DashboardModel model, DashboardView view) {
        this.model = model;
        this.view = view;
    }

    /**
     * The model the view tests show: {@code backend} on a 2-CPU machine without sched_ext, sampled
     * every 50 ms, handing over on the FX thread.
     */
    static DashboardModel model(FakeBackend backend) {
        return new DashboardModel(
                backend,
                Platform::runLater,
                new KernelStatus(true, "absent", "", "6.18"),
                CpuTopology.ofCount(2),
                50);
    }

    static DashboardScene show(Stage stage, FakeBackend backend, int width, int height) {
        // The app's theme: its paddings and fonts decide what fits and how focus shows.
        Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
        DashboardModel model = model(backend);
        DashboardView view = new DashboardView(model);
        view.onSettings(() -> {});
        view.onAbTest(() -> {});
        view.onCompare(() -> {});
        Fx.show(stage, view, width, height);
        return new DashboardScene(model, view);
    }
}
