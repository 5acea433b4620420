package org.gamercompanion.app;

import atlantafx.base.theme.PrimerDark;
import java.awt.CheckboxMenuItem;
import java.awt.EventQueue;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.ActionEvent;
import java.awt.event.ItemEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
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
 * commands read from stdin: {@code menu} (prints {@code ICONS <n>}, then {@code ITEM
 * <id>|<label>|<enabled>} per item and {@code END}), {@code click <id>} (the item's action, as a
 * click delivers it: {@code CLICKED <id>} or {@code DISABLED <id>}), {@code settings <checkbox
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
            EventQueue.invokeAndWait(() -> command(cmd));
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

    private static void command(String cmd) {
        TrayIcon[] icons =
                SystemTray.isSupported()
                        ? SystemTray.getSystemTray().getTrayIcons()
                        : new TrayIcon[0];
        PopupMenu menu = icons.length == 0 ? null : icons[0].getPopupMenu();
        if (cmd.equals("menu")) {
            say("ICONS " + icons.length);
            if (menu != null) {
                list(menu);
            }
            say("END");
        } else if (cmd.startsWith("click ") && menu != null) {
            String id = cmd.substring(6);
            MenuItem m = find(menu, id);
            if (m == null || !m.isEnabled()) {
                say("DISABLED " + id);
                return;
            }
            if (m instanceof CheckboxMenuItem c) {
                // What AWT's menu peers do for a check box: flip its state, then post an ItemEvent.
                c.setState(!c.getState());
                c.dispatchEvent(
                        new ItemEvent(
                                c,
                                ItemEvent.ITEM_STATE_CHANGED,
                                c.getLabel(),
                                c.getState() ? ItemEvent.SELECTED : ItemEvent.DESELECTED));
            } else {
                // What AWT's X11 menu peer does when the item is clicked: post an ActionEvent to
                // the item.
                m.dispatchEvent(
                        new ActionEvent(m, ActionEvent.ACTION_PERFORMED, m.getActionCommand()));
            }
            say("CLICKED " + id);
        } else if (cmd.startsWith("settings ")) {
            String[] f = cmd.substring(9).split("=", 2);
            Platform.runLater(() -> desktop.showSettings());
            // Queued behind showSettings: runs inside the dialog's nested event loop, once it is
            // shown.
            Platform.runLater(() -> pressOk(f[0], Boolean.parseBoolean(f[1])));
        }
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

    private static void list(Menu menu) {
        for (int i = 0; i < menu.getItemCount(); i++) {
            MenuItem m = menu.getItem(i);
            say(
                    "ITEM "
                            + m.getName()
                            + "|"
                            + m.getLabel()
                            + "|"
                            + m.isEnabled()
                            + (m instanceof CheckboxMenuItem c ? "|checked=" + c.getState() : ""));
            if (m instanceof Menu sub) {
                list(sub);
            }
        }
    }

    private static MenuItem find(Menu menu, String id) {
        for (int i = 0; i < menu.getItemCount(); i++) {
            MenuItem m = menu.getItem(i);
            if (id.equals(m.getName())) {
                return m;
            }
            if (m instanceof Menu sub && find(sub, id) != null) {
                return find(sub, id);
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
