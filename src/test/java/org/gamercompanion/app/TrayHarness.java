package org.gamercompanion.app;

import java.awt.EventQueue;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.ActionEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.stage.Stage;
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
 * <p>Reports on stdout, one line each: {@code AGENT <phase>}, {@code SCHED <state> <answers> <reason>},
 * {@code MSG <text>}, {@code PROFILE <active>}, and answers to commands read from stdin:
 * {@code menu} (prints {@code ICONS <n>}, then {@code ITEM <id>|<label>|<enabled>} per item and
 * {@code END}), {@code click <id>} (the item's action, as a click delivers it: {@code CLICKED <id>}
 * or {@code DISABLED <id>}).
 */
public final class TrayHarness {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private TrayHarness() {}

    public static void main(String[] args) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        Platform.startup(up::countDown);
        up.await();
        Platform.runLater(TrayHarness::startApp);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String cmd = line.strip();
            EventQueue.invokeAndWait(() -> command(cmd));
        }
        System.exit(0);
    }

    private static void startApp() {
        LiveCaptureBackend backend = new LiveCaptureBackend();
        DashboardModel model = new DashboardModel(backend, Platform::runLater, KernelStatus.current(), CpuTopology.current());
        backend.onActiveProfile(model::showActiveProfile);
        backend.onProfileWatched(model::showProfileWatched);
        backend.onSched(model::schedulerChanged);
        model.agentStatusProperty().addListener((o, was, is) -> say("AGENT " + is.phase()));
        model.schedulerProperty().addListener((o, was, is) -> say(sched(is)));
        model.messageProperty().addListener((o, was, is) -> say("MSG " + is));
        model.activeProfileProperty().addListener((o, was, is) -> say("PROFILE " + is));
        Stage stage = new Stage();
        GamerCompanionApp.build(stage, model, () -> true);
        DesktopIntegration desktop = new DesktopIntegration(stage, model, SettingsStore.open(SettingsStore.defaultFile()),
                Autostart.defaultFile(), () -> {
                    say("QUIT");
                    model.shutdown(5000);
                    System.exit(0);
                });
        say("TRAY " + desktop.start());
        model.start();
    }

    private static String sched(SchedulerState s) {
        return "SCHED " + s.state() + " " + s.answers() + " " + s.reason();
    }

    private static void command(String cmd) {
        TrayIcon[] icons = SystemTray.isSupported() ? SystemTray.getSystemTray().getTrayIcons() : new TrayIcon[0];
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
            // What AWT's X11 menu peer does when the item is clicked: post an ActionEvent to the item.
            m.dispatchEvent(new ActionEvent(m, ActionEvent.ACTION_PERFORMED, m.getActionCommand()));
            say("CLICKED " + id);
        }
    }

    private static void list(Menu menu) {
        for (int i = 0; i < menu.getItemCount(); i++) {
            MenuItem m = menu.getItem(i);
            say("ITEM " + m.getName() + "|" + m.getLabel() + "|" + m.isEnabled());
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
