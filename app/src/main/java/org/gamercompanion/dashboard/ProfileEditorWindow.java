package org.gamercompanion.dashboard;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.profileeditor.ProfileEditorView;

/** Opens the profile editor (one window; a second click brings it to the front). */
final class ProfileEditorWindow {
    private static final ExecutorService IO =
            Executors.newSingleThreadExecutor(
                    r -> Thread.ofPlatform().daemon().name("profile-io").unstarted(r));
    private static Stage stage;

    private ProfileEditorWindow() {}

    private static boolean confirmDiscard(Stage owner, String name) {
        Alert a =
                new Alert(
                        Alert.AlertType.CONFIRMATION,
                        "The changes to \"" + name + "\" are not saved. Close and" + " lose them?",
                        ButtonType.CANCEL,
                        new ButtonType("Close without saving", ButtonBar.ButtonData.OK_DONE));
        a.initOwner(owner);
        a.setHeaderText("Unsaved changes");
        return a.showAndWait()
                .map(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE)
                .orElse(false);
    }

    static void show(Window owner) {
        if (stage == null) {
            stage = new Stage();
            stage.initOwner(owner);
            stage.setTitle("Gamer Companion: profiles");
            ProfileEditorView editor =
                    new ProfileEditorView(ProfileStore.open(ProfileStore.defaultDir()), IO);
            Scene scene = new Scene(editor, 980, 640);
            if (owner != null && owner.getScene() != null) {
                scene.getStylesheets().addAll(owner.getScene().getStylesheets());
            }
            stage.setScene(scene);
            stage.setOnHidden(e -> stage = null);
            // Edits that are not saved (valid or not) are not thrown away without a question.
            stage.setOnCloseRequest(
                    e -> {
                        if (editor.unsavedProperty().get()
                                && !confirmDiscard(stage, editor.editedName())) {
                            e.consume();
                        }
                    });
        }
        stage.show();
        stage.toFront();
    }
}
