package org.gamercompanion.tray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import javafx.util.Duration;

/**
 * The tray icon's menu as a JavaFX {@link ContextMenu}, so it wears the window's theme (AWT's own
 * menu is drawn grey by its X peer, whatever the look of the app). FX thread only.
 *
 * <p>A popup needs a showing owner window, and the window may be hidden in the tray: the menu is
 * owned by an anchor, an undecorated 1x1 stage at the click, shown with the menu and hidden with
 * it. The menu itself is an override-redirect X window, as menus are: no window manager frame, no
 * taskbar entry, and a click anywhere else closes it (glass's pointer grab).
 */
final class TrayMenuPopup {
    /** The menu's id: what tests look the showing menu up by. */
    static final String ID = "tray-menu";

    private static final String STYLESHEET = "tray-menu.css";

    /** The longest the menu waits for its anchor's focus (see {@link #toggleAt}). */
    private static final Duration FOCUS_WAIT = Duration.millis(250);

    private final DesktopTray.Actions actions;
    private final ContextMenu menu = new ContextMenu();

    /** The items shown, by id, so a state change updates them in place. */
    private final Map<String, MenuItem> rendered = new HashMap<>();

    private List<TrayMenuModel.Item> shown = List.of();
    private Stage anchor;

    /** Opening: the anchor is up, the menu waits for its focus ({@link #toggleAt}). */
    private boolean pending;

    private double pendingX;
    private double pendingY;
    private final PauseTransition focusWait = new PauseTransition(FOCUS_WAIT);

    TrayMenuPopup(DesktopTray.Actions actions, Runnable onShown, Runnable onHidden) {
        this.actions = actions;
        menu.setId(ID);
        menu.getStyleClass().add(ID);
        // The popup's own scene: the user agent theme (PrimerDark) reaches it; the app's square,
        // shadowless popup rule must be added here, as no owner node passes its stylesheets on.
        menu.getScene()
                .getStylesheets()
                .add(TrayMenuPopup.class.getResource(STYLESHEET).toExternalForm());
        focusWait.setOnFinished(e -> openPending());
        menu.setOnShown(e -> onShown.run());
        menu.setOnHidden(
                e -> {
                    // After the popup has finished closing: hiding its owner now would close
                    // it a second time.
                    Platform.runLater(
                            () -> {
                                if (anchor != null && !menu.isShowing() && !pending) {
                                    anchor.hide();
                                }
                            });
                    onHidden.run();
                });
    }

    /** Shows {@code items}, updating the menu in place where its shape is unchanged. */
    void render(List<TrayMenuModel.Item> items) {
        if (!sameShape(shown, items)) {
            menu.getItems().clear();
            rendered.clear();
            for (TrayMenuModel.Item item : items) {
                menu.getItems().add(create(item));
            }
        }
        for (TrayMenuModel.Item item : items) {
            update(item);
            item.children().forEach(this::update);
        }
        shown = items;
    }

    /**
     * Opens the menu with its top left corner at the screen point, or closes it when it is open (a
     * second right click on the icon).
     */
    void toggleAt(double screenX, double screenY) {
        if (menu.isShowing() || pending) {
            hide();
            return;
        }
        Stage a = anchor();
        a.setX(screenX);
        a.setY(screenY);
        a.show();
        // The menu grabs the pointer and closes when its owner loses the focus. X gives a window
        // just mapped its focus after show() returns (without a window manager, out and back in
        // once more), and a grab taken before that is broken at once: the menu would close as it
        // opens. So it opens on the anchor's next focus-in (the one during show() is JavaFX's
        // own, hence pending only from here), or after FOCUS_WAIT where a window manager gives
        // the anchor none.
        pending = true;
        pendingX = screenX;
        pendingY = screenY;
        focusWait.playFromStart();
    }

    private void openPending() {
        if (!pending) {
            return;
        }
        pending = false;
        focusWait.stop();
        if (anchor.isShowing()) {
            // ContextMenu keeps itself on the screen: at the top edge's tray it opens downwards,
            // at the bottom edge's upwards.
            menu.show(anchor, pendingX, pendingY);
        }
    }

    /** Closes the menu, or gives up opening it. */
    void hide() {
        if (pending) {
            pending = false;
            focusWait.stop();
            anchor.hide();
        }
        menu.hide();
    }

    private Stage anchor() {
        if (anchor == null) {
            anchor = new Stage(StageStyle.UNDECORATED);
            anchor.setTitle("Gamer Companion tray menu");
            Region empty = new Region();
            empty.setStyle("-fx-background-color: transparent;");
            anchor.setScene(new Scene(empty, 1, 1));
            anchor.setOpacity(0);
            anchor.focusedProperty()
                    .addListener(
                            (o, was, is) -> {
                                if (is) {
                                    openPending();
                                }
                            });
        }
        return anchor;
    }

    private MenuItem create(TrayMenuModel.Item item) {
        MenuItem m;
        if (item.id().equals(TrayMenuModel.SEPARATOR)) {
            m = new SeparatorMenuItem();
        } else if (!item.children().isEmpty() || item.id().equals(TrayMenuModel.PROFILES)) {
            Menu sub = new Menu(item.label());
            item.children().forEach(c -> sub.getItems().add(create(c)));
            m = sub;
        } else if (item.checkbox()) {
            CheckMenuItem c = new CheckMenuItem(item.label());
            c.setSelected(item.checked());
            // The box flips before the action; the state comes back through render() either way.
            c.setOnAction(e -> actions.run(item.action(), Boolean.toString(c.isSelected())));
            m = c;
        } else {
            m = new MenuItem(item.label());
            m.setOnAction(e -> actions.run(item.action(), item.argument()));
        }
        // Labels are the app's words and profile names, never mnemonics.
        m.setMnemonicParsing(false);
        if (!item.id().equals(TrayMenuModel.SEPARATOR)) {
            m.setId(item.id());
            rendered.put(item.id(), m);
        }
        return m;
    }

    private void update(TrayMenuModel.Item item) {
        MenuItem m = rendered.get(item.id());
        if (m == null) {
            return;
        }
        if (!item.label().equals(m.getText())) {
            m.setText(item.label());
        }
        m.setDisable(!item.enabled());
        if (m instanceof CheckMenuItem c && c.isSelected() != item.checked()) {
            c.setSelected(item.checked());
        }
    }

    /** Same ids in the same order (submenus included): the menu can be updated in place. */
    private static boolean sameShape(List<TrayMenuModel.Item> a, List<TrayMenuModel.Item> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).id().equals(b.get(i).id())
                    || !sameShape(a.get(i).children(), b.get(i).children())) {
                return false;
            }
        }
        return true;
    }
}
