package org.gamercompanion.dashboard;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.profile.editor.ProfileEditorView;

/** Opens the profile editor (one window; a second click brings it to the front). */
final class ProfileEditorWindow {
    private static final ExecutorService IO = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("profile-io").unstarted(r));
    private static Stage stage;

    private ProfileEditorWindow() {}

    static void show(Window owner) {
        if (stage == null) {
            stage = new Stage();
            stage.initOwner(owner);
            stage.setTitle("Gamer Companion: profiles");
            Scene scene = new Scene(new ProfileEditorView(ProfileStore.open(ProfileStore.defaultDir()), IO), 980, 640);
            if (owner != null && owner.getScene() != null) {
                scene.getStylesheets().addAll(owner.getScene().getStylesheets());
            }
            stage.setScene(scene);
            stage.setOnHidden(e -> stage = null);
        }
        stage.show();
        stage.toFront();
    }
}
