package org.gamercompanion.tray;

import java.awt.AWTException;
import java.awt.CheckboxMenuItem;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.ItemEvent;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gamercompanion.sys.X11;

/**
 * The system-tray icon and its menu ({@link java.awt.SystemTray}, XEmbed: trayer, KDE, Xfce, GNOME
 * with the AppIndicator extension), rendering a {@link TrayMenuModel}.
 *
 * <p>Threads: AWT owns the icon and the menu, so every change runs on the AWT event thread; {@link
 * #show} may be called from any thread (the app calls it from the FX thread with an immutable
 * state). {@link Actions} are called on the AWT event thread and must only hand work on (the app
 * crosses to the FX thread with {@code Platform.runLater}).
 *
 * <pre>{@code
 * if (DesktopTray.unavailableReason().isEmpty()) {
 *     DesktopTray tray = DesktopTray.install((action, arg) -> Platform.runLater(() -> handle(action, arg)));
 *     tray.show(state);
 * }
 * }</pre>
 */
public final class DesktopTray implements AutoCloseable {
    public static final String TOOLTIP = "Gamer Companion";

    /** What the player chose in the menu (AWT event thread). */
    public interface Actions {
        void run(TrayMenuModel.Action action, String argument);
    }

    private final Actions actions;
    private final TrayIcon icon;
    private final PopupMenu menu = new PopupMenu();

    /** The items shown, by id; confined to the AWT event thread like the menu itself. */
    private final Map<String, MenuItem> rendered = new HashMap<>();

    private List<TrayMenuModel.Item> shown = List.of();

    private DesktopTray(Actions actions, TrayIcon icon) {
        this.actions = actions;
        this.icon = icon;
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
     * Puts the icon into the tray (any thread but the AWT event thread).
     *
     * @throws AWTException when the tray refuses the icon (no tray host after all)
     */
    public static DesktopTray install(Actions actions) throws AWTException {
        Object[] result = new Object[1];
        onAwt(
                () -> {
                    SystemTray tray = SystemTray.getSystemTray();
                    TrayIcon icon =
                            new TrayIcon(TrayIcons.forSlot(tray.getTrayIconSize()), TOOLTIP);
                    icon.setImageAutoSize(true);
                    DesktopTray t = new DesktopTray(actions, icon);
                    icon.setPopupMenu(t.menu);
                    // Double click (or the tray host's activation) shows or hides the window.
                    icon.addActionListener(
                            e -> actions.run(TrayMenuModel.Action.SHOW_HIDE_WINDOW, ""));
                    try {
                        tray.add(icon);
                        result[0] = t;
                    } catch (AWTException e) {
                        result[0] = e;
                    }
                });
        if (result[0] instanceof AWTException e) {
            throw e;
        }
        return (DesktopTray) result[0];
    }

    /** Shows {@code state} in the menu (any thread; applied on the AWT event thread). */
    public void show(TrayMenuModel.State state) {
        List<TrayMenuModel.Item> items = TrayMenuModel.build(state);
        EventQueue.invokeLater(() -> render(items));
    }

    /** Removes the icon (any thread but the AWT event thread). */
    @Override
    public void close() {
        try {
            onAwt(() -> SystemTray.getSystemTray().remove(icon));
        } catch (AWTException e) {
            // unreachable: remove() throws nothing checked
        }
    }

    private void render(List<TrayMenuModel.Item> items) {
        if (!sameShape(shown, items)) {
            menu.removeAll();
            rendered.clear();
            for (TrayMenuModel.Item item : items) {
                if (item.id().equals(TrayMenuModel.SEPARATOR)) {
                    menu.addSeparator();
                } else {
                    menu.add(create(item));
                }
            }
        }
        for (TrayMenuModel.Item item : items) {
            update(item);
            item.children().forEach(this::update);
        }
        shown = items;
    }

    private MenuItem create(TrayMenuModel.Item item) {
        MenuItem m;
        if (!item.children().isEmpty() || item.id().equals(TrayMenuModel.PROFILES)) {
            Menu sub = new Menu(item.label());
            item.children().forEach(c -> sub.add(create(c)));
            m = sub;
        } else if (item.checkbox()) {
            CheckboxMenuItem c = new CheckboxMenuItem(item.label(), item.checked());
            // AWT flips the box before telling us; the state comes back through show() either way.
            c.addItemListener(
                    e ->
                            actions.run(
                                    item.action(),
                                    Boolean.toString(e.getStateChange() == ItemEvent.SELECTED)));
            m = c;
        } else {
            m = new MenuItem(item.label());
            m.addActionListener(e -> actions.run(item.action(), item.argument()));
        }
        m.setName(item.id());
        rendered.put(item.id(), m);
        return m;
    }

    private void update(TrayMenuModel.Item item) {
        MenuItem m = rendered.get(item.id());
        if (m == null) {
            return;
        }
        if (!m.getLabel().equals(item.label())) {
            m.setLabel(item.label());
        }
        if (m.isEnabled() != item.enabled()) {
            m.setEnabled(item.enabled());
        }
        if (m instanceof CheckboxMenuItem c && c.getState() != item.checked()) {
            c.setState(item.checked());
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
