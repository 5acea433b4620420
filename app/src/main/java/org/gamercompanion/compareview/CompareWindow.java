package org.gamercompanion.compareview;

import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The Compare view in a window of its own: one per app, shown again when opened again. */
public final class CompareWindow {
    private final Stage stage = new Stage();
    private final CompareModel model;

    /**
     * @param owner the main window, or null (the CLI's {@code compare --window})
     * @param stylesheet the app's stylesheet, or null
     */
    public CompareWindow(Window owner, CompareModel model, String stylesheet) {
        this.model = model;
        Scene scene = new Scene(new CompareView(model), 1180, 640);
        if (stylesheet != null) {
            scene.getStylesheets().add(stylesheet);
        }
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Compare \u00b7 Gamer Companion");
        stage.setMinWidth(900);
        stage.setMinHeight(480);
        stage.setScene(scene);
    }

    public Stage stage() {
        return stage;
    }

    /** Shows the window; with both files, compares them. */
    public void show(Path a, Path b) {
        if (a != null && b != null) {
            model.open(a, b);
        }
        model.refreshRecent();
        stage.show();
        stage.toFront();
    }
}
