package org.gamercompanion.abtest;

import javafx.beans.value.ObservableStringValue;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The A/B test window: one per app, shown again when opened again. */
public final class AbTestWindow {
    private final Stage stage = new Stage();

    public AbTestWindow(
            Window owner, AbTestModel model, ObservableStringValue game, String stylesheet) {
        Scene scene = new Scene(new AbTestView(model, game), 640, 460);
        if (stylesheet != null) {
            scene.getStylesheets().add(stylesheet);
        }
        stage.initOwner(owner);
        stage.setTitle("A/B test \u00b7 Gamer Companion");
        stage.setScene(scene);
        // Closing the window while a test runs ends it: the scheduler is put back, the rounds kept.
        stage.setOnHidden(e -> model.stop());
    }

    public void show() {
        stage.show();
        stage.toFront();
    }
}
