package org.gamercompanion.tray;

import java.awt.AWTException;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import javafx.application.Platform;
import org.gamercompanion.sys.X11;

/**
 * The system-tray icon ({@link java.awt.SystemTray}, XEmbed: trayer, KDE, Xfce, GNOME with the
 * AppIndicator extension) and its menu, rendering a {@link TrayMenuModel}.
 *
 * <p>The icon is AWT's, the menu is JavaFX's ({@link TrayMenuPopup}): AWT's own menu is drawn grey
 * by its X peer, unlike the dark window, and the icon's tooltip covered its first item. A right
 * click on the icon opens the menu at the pointer; the tooltip is off while the menu is open.
 *
 * <p>Threads: AWT owns the icon, so icon changes run on the AWT event thread; the menu is the FX
 * thread's. {@link #install} and {@link #show} are called on the FX thread; {@link Actions} are
 * called on the FX thread.
 *
 * <pre>{@code
 * if (DesktopTray.unavailableReason().isEmpty()) {
 *     DesktopTray tray = DesktopTray.install(this::handle);
 *     tray.show(state);
 * }
 * }</pre>
 */
public final class DesktopTray implements AutoCloseable {
    public static final String TOOLTIP = "Gamer Companion";

    /** What the player chose in the menu, or a double click on the icon (FX thread). */
    public interface Actions {
        void run(TrayMenuModel.Action action, String argument);
    }

    private final TrayIcon icon;
    private final TrayMenuPopup menu;

    private DesktopTray(Actions actions, TrayIcon icon) {
        this.icon = icon;
        // The icon's tooltip would sit over the menu's first item: off while the menu is open.
        this.menu =
                new TrayMenuPopup(
                        actions,
                        () -> EventQueue.invokeLater(() -> icon.setToolTip(null)),
                        () -> EventQueue.invokeLater(() -> icon.setToolTip(TOOLTIP)));
    }

    /**
     * Why there is no tray in this session, or empty. Java's tray speaks XEmbed: it needs an X
     * display with a tray host; GNOME has none without an extension, and pure Wayland has no X at
     * all.
     */
    public static Optional<String> unavailableReason() {
        if (GraphicsEnvironment.isHeadless()) {
            return Optional.of("no system tray: no display (headless)");
        }
        // Asked over libX11 first: SystemTray.isSupported() loads AWT's whole X toolkit (25-40 MiB
        // of
        // RSS for the rest of the run) even to answer "no"; with no tray host it is never touched.
        if (!X11.trayHostPresent(null) || !SystemTray.isSupported()) {
            String wayland = System.getenv("WAYLAND_DISPLAY");
            return Optional.of(
                    wayland != null && !wayland.isBlank() && isBlank(System.getenv("DISPLAY"))
                            ? "no system tray: this Wayland session has no X display, and Java's tray needs one"
                            : "no system tray on this desktop (GNOME needs the AppIndicator extension; bare X has no tray"
                                    + " host): use the window; close to tray is unavailable");
        }
        return Optional.empty();
    }

    /**
     * Puts the icon into the tray (FX thread).
     *
     * @throws AWTException when the tray refuses the icon (no tray host after all)
     */
    public static DesktopTray install(Actions actions) throws AWTException {
        TrayIcon[] made = new TrayIcon[1];
        onAwt(
                () -> {
                    made[0] =
                            new TrayIcon(
                                    TrayIcons.forSlot(SystemTray.getSystemTray().getTrayIconSize()),
                                    TOOLTIP);
                    made[0].setImageAutoSize(true);
                });
        TrayIcon icon = made[0];
        DesktopTray t = new DesktopTray(actions, icon);
        AWTException[] refused = new AWTException[1];
        onAwt(
                () -> {
                    // Double click (or the tray host's activation) shows or hides the window.
                    icon.addActionListener(
                            e ->
                                    Platform.runLater(
                                            () ->
                                                    actions.run(
                                                            TrayMenuModel.Action.SHOW_HIDE_WINDOW,
                                                            "")));
                    icon.addMouseListener(
                            new MouseAdapter() {
                                @Override
                                public void mouseReleased(MouseEvent e) {
                                    // On the release, not the press (X's popup trigger): until
                                    // the button is up, the icon's window holds the pointer
                                    // (X's implicit grab), the menu's own grab fails, and the
                                    // menu closes as soon as it opens.
                                    if (e.getButton() == MouseEvent.BUTTON3) {
                                        int x = e.getXOnScreen();
                                        int y = e.getYOnScreen();
                                        Platform.runLater(() -> t.menu.toggleAt(x, y));
                                    }
                                }
                            });
                    try {
                        SystemTray.getSystemTray().add(icon);
                    } catch (AWTException e) {
                        refused[0] = e;
                    }
                });
        if (refused[0] != null) {
            throw refused[0];
        }
        return t;
    }

    /** Shows {@code state} in the menu (FX thread). */
    public void show(TrayMenuModel.State state) {
        menu.render(TrayMenuModel.build(state));
    }

    /** Closes the menu and removes the icon (FX thread). */
    @Override
    public void close() {
        menu.hide();
        try {
            onAwt(() -> SystemTray.getSystemTray().remove(icon));
        } catch (AWTException e) {
            // unreachable: remove() throws nothing checked
        }
    }

    private static void onAwt(Runnable r) throws AWTException {
        if (EventQueue.isDispatchThread()) {
            r.run();
            return;
        }
        try {
            EventQueue.invokeAndWait(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AWTException("interrupted while talking to the tray");
        } catch (InvocationTargetException e) {
            throw new AWTException("tray: " + e.getCause());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
