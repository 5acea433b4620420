package org.gamercompanion.app;

import atlantafx.base.theme.PrimerDark;
import java.awt.EventQueue;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.geometry.Bounds;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.gamercompanion.dashboard.DashboardModel;
import org.gamercompanion.dashboard.LiveCaptureBackend;
import org.gamercompanion.dashboard.SchedulerState;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.settings.Autostart;
import org.gamercompanion.settings.SettingsStore;

/**
 * The app's desktop side in a child JVM on a real X display (Xvfb + trayer), for {@link
 * TrayXvfbRealAgentTest}: the real model and agent, the real tray icon and global hotkeys through
 * {@link DesktopIntegration}, the window built but not needed on screen.
 *
 * <p>Reports on stdout, one line each: {@code AGENT <phase>}, {@code SCHED <state> <answers>
 * <reason>}, {@code MSG <text>}, {@code PROFILE <active>}, {@code WINDOW <showing>}, and answers to
 * commands read from stdin: {@code menu} (prints {@code ICONS <n>}, {@code TOOLTIP <text>}, then
 * {@code MENU hidden} or {@code MENU shown <background #rrggbb>} with {@code ITEM
 * <id>|<label>|<enabled>} per item, and {@code END}), {@code where <id>} (the shown item's centre
 * on the screen, for a real click: {@code AT <x> <y>}, {@code DISABLED <id>} or {@code NOITEM
 * <id>}; each item chosen afterwards prints {@code CLICKED <id>}), {@code settings <check box
 * id>=<true|false>} (opens the real settings dialog, sets that check box and presses OK: {@code
 * SETTINGS OK} or {@code SETTINGS FAILED <why>}).
 *
 * <p>The window starts hidden, as the autostart entry's {@code --tray} starts the app: the tray's
 * Show window item brings it up.
 */
public final class TrayHarness {
    private static final PrintStream OUT =
            new PrintStream(System.out, true, StandardCharsets.UTF_8);

    /**
     * Set once on the FX thread by {@link #startApp}; read by later commands, which cross to it.
     */
    private static volatile DesktopIntegration desktop;

    private TrayHarness() {}

    public static void main(String[] args) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        Platform.startup(up::countDown);
        up.await();
        Platform.runLater(TrayHarness::startApp);
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String cmd = line.strip();
            command(cmd);
        }
        System.exit(0);
    }

    private static void startApp() {
        // The app's theme: the window's stylesheet looks its colours up in it (shown here, not only
        // built).
        Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
        LiveCaptureBackend backend = new LiveCaptureBackend();
        DashboardModel model =
                new DashboardModel(
                        backend, Platform::runLater, KernelStatus.current(), CpuTopology.current());
        backend.onActiveProfile(model::showActiveProfile);
        backend.onProfileWatched(model::showProfileWatched);
        backend.onSched(model::schedulerChanged);
        model.agentStatusProperty().addListener((o, was, is) -> say("AGENT " + is.phase()));
        model.schedulerProperty().addListener((o, was, is) -> say(sched(is)));
        model.messageProperty().addListener((o, was, is) -> say("MSG " + is));
        model.activeProfileProperty().addListener((o, was, is) -> say("PROFILE " + is));
        Stage stage = new Stage();
        // As GamerCompanionApp does: hiding the window keeps the agent only while a tray icon is
        // up.
        boolean[] trayUp = new boolean[1];
        GamerCompanionApp.build(stage, model, () -> trayUp[0]);
        stage.showingProperty().addListener((o, was, is) -> say("WINDOW " + is));
        desktop =
                new DesktopIntegration(
                        stage,
                        model,
                        SettingsStore.open(SettingsStore.defaultFile()),
                        Autostart.defaultFile(),
                        () -> {
                            say("QUIT");
                            model.shutdown(5000);
                            System.exit(0);
                        });
        trayUp[0] = desktop.start();
        say("TRAY " + trayUp[0]);
        model.start();
    }

    private static String sched(SchedulerState s) {
        return "SCHED " + s.state() + " " + s.answers() + " " + s.reason();
    }

    private static void command(String cmd) throws Exception {
        if (cmd.equals("menu")) {
            String[] tooltip = new String[1];
            int[] icons = new int[1];
            EventQueue.invokeAndWait(
                    () -> {
                        TrayIcon[] all =
                                SystemTray.isSupported()
                                        ? SystemTray.getSystemTray().getTrayIcons()
                                        : new TrayIcon[0];
                        icons[0] = all.length;
                        tooltip[0] = all.length == 0 ? "none" : String.valueOf(all[0].getToolTip());
                    });
            say("ICONS " + icons[0]);
            say("TOOLTIP " + tooltip[0]);
            onFx(
                    () -> {
                        ContextMenu menu = shownTrayMenu();
                        if (menu == null) {
                            say("MENU hidden");
                        } else {
                            say("MENU shown " + background(menu));
                            list(menu.getItems());
                        }
                    });
            say("END");
        } else if (cmd.startsWith("where ")) {
            String id = cmd.substring(6);
            onFx(() -> say(where(id)));
        } else if (cmd.startsWith("settings ")) {
            String[] f = cmd.substring(9).split("=", 2);
            Platform.runLater(() -> desktop.showSettings());
            // Queued behind showSettings: runs inside the dialog's nested event loop, once it is
            // shown.
            Platform.runLater(() -> pressOk(f[0], Boolean.parseBoolean(f[1])));
        }
    }

    /**
     * The tray's menu if it is on screen. Every item seen reports its choice (by a click) as {@code
     * CLICKED <id>}.
     */
    private static ContextMenu shownTrayMenu() {
        for (Window w : Window.getWindows()) {
            if (w instanceof ContextMenu m && "tray-menu".equals(m.getId()) && m.isShowing()) {
                reportClicks(m.getItems());
                return m;
            }
        }
        return null;
    }

    private static void reportClicks(List<MenuItem> items) {
        for (MenuItem item : items) {
            if (item.getProperties().putIfAbsent("harness", true) == null) {
                item.addEventHandler(ActionEvent.ACTION, e -> say("CLICKED " + item.getId()));
            }
            if (item instanceof Menu sub) {
                reportClicks(sub.getItems());
            }
        }
    }

    /** The menu's painted background colour, as the theme gave it (#rrggbb). */
    private static String background(ContextMenu menu) {
        Region root = (Region) menu.getSkin().getNode();
        if (root.getBackground() == null || root.getBackground().getFills().isEmpty()) {
            root = (Region) menu.getScene().getRoot();
        }
        if (root.getBackground() == null || root.getBackground().getFills().isEmpty()) {
            return "none";
        }
        return root.getBackground().getFills().getLast().getFill() instanceof Color c
                ? String.format(
                        "#%02x%02x%02x",
                        Math.round(c.getRed() * 255),
                        Math.round(c.getGreen() * 255),
                        Math.round(c.getBlue() * 255))
                : "paint";
    }

    /**
     * Where item {@code id} of the shown menu (or of its open submenu) is on the screen: {@code AT
     * <x> <y>} (its centre), {@code DISABLED <id>} or {@code NOITEM <id>}.
     */
    private static String where(String id) {
        ContextMenu menu = shownTrayMenu();
        MenuItem item = menu == null ? null : find(menu.getItems(), id);
        if (item == null
                || item.getStyleableNode() == null
                || item.getStyleableNode().getScene() == null
                || !item.getStyleableNode().getScene().getWindow().isShowing()) {
            return "NOITEM " + id;
        }
        if (item.isDisable()) {
            return "DISABLED " + id;
        }
        Bounds b =
                item.getStyleableNode().localToScreen(item.getStyleableNode().getBoundsInLocal());
        return "AT " + Math.round(b.getCenterX()) + " " + Math.round(b.getCenterY());
    }

    private static void onFx(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(
                () -> {
                    try {
                        r.run();
                    } finally {
                        done.countDown();
                    }
                });
        done.await();
    }

    /** Sets a check box of the open settings dialog and presses OK, as the player would. */
    private static void pressOk(String checkBox, boolean selected) {
        // A Dialog's window holds its DialogPane inside a root of its own.
        DialogPane pane =
                Window.getWindows().stream()
                        .filter(w -> w.getScene() != null)
                        .map(w -> w.getScene().getRoot().lookup(".dialog-pane"))
                        .filter(DialogPane.class::isInstance)
                        .map(DialogPane.class::cast)
                        .findFirst()
                        .orElse(null);
        if (pane == null || !(pane.lookup("#" + checkBox) instanceof CheckBox box)) {
            say("SETTINGS FAILED no settings dialog with check box " + checkBox);
            return;
        }
        if (box.isDisabled()) {
            say("SETTINGS FAILED " + checkBox + " is disabled");
            return;
        }
        box.setSelected(selected);
        ((Button) pane.lookupButton(ButtonType.OK)).fire();
        say("SETTINGS OK");
    }

    private static void list(List<MenuItem> items) {
        for (MenuItem m : items) {
            if (m instanceof SeparatorMenuItem) {
                continue;
            }
            say(
                    "ITEM "
                            + m.getId()
                            + "|"
                            + m.getText()
                            + "|"
                            + !m.isDisable()
                            + (m instanceof CheckMenuItem c ? "|checked=" + c.isSelected() : ""));
            if (m instanceof Menu sub) {
                list(sub.getItems());
            }
        }
    }

    private static MenuItem find(List<MenuItem> items, String id) {
        for (MenuItem m : items) {
            if (id.equals(m.getId())) {
                return m;
            }
            MenuItem inSub = m instanceof Menu sub ? find(sub.getItems(), id) : null;
            if (inSub != null) {
                return inSub;
            }
        }
        return null;
    }

    private static void say(String line) {
        synchronized (OUT) {
            OUT.println(line.replace('\n', ' '));
        }
    }
}
