package org.gamercompanion.tray;

import java.util.ArrayList;
import java.util.List;
import org.gamercompanion.dashboard.SchedulerState;

/**
 * The tray menu as data, built from the app's state: what each item says, whether it can be used,
 * and what it does. {@link DesktopTray} only renders it, so the rules live here and are tested
 * without a display.
 *
 * <pre>{@code
 * List<TrayMenuModel.Item> items = TrayMenuModel.build(new TrayMenuModel.State(scheduler, true, "CS2", profiles,
 *         true, false));
 * }</pre>
 */
public final class TrayMenuModel {
    /** Item ids (stable: tests and the renderer use them). */
    public static final String SCHEDULER = "scheduler";

    public static final String PROFILE = "profile";
    public static final String PROFILES = "profiles";
    public static final String WINDOW = "window";
    public static final String AUTOSTART = "autostart";
    public static final String QUIT = "quit";
    public static final String SEPARATOR = "-";

    /** Prefix of the profile items in the {@link #PROFILES} submenu: {@code profile:<name>}. */
    public static final String PROFILE_PREFIX = "profile:";

    private TrayMenuModel() {}

    /** What an item does when chosen. */
    public enum Action {
        NONE,
        TOGGLE_SCHEDULER,
        CHOOSE_PROFILE,
        SHOW_HIDE_WINDOW,
        START_WITH_SESSION,
        QUIT
    }

    /**
     * Everything the menu shows.
     *
     * @param scheduler as the agent reports it
     * @param agentRunning whether an agent runs (nothing can be sent otherwise)
     * @param activeProfile the active profile's text, "" for none
     * @param profiles the names of the player's profiles, in menu order
     * @param windowShown whether the window is on screen
     * @param startWithSession whether the autostart entry is on
     */
    public record State(
            SchedulerState scheduler,
            boolean agentRunning,
            String activeProfile,
            List<String> profiles,
            boolean windowShown,
            boolean startWithSession) {
        public State {
            profiles = List.copyOf(profiles);
        }
    }

    /**
     * One menu entry.
     *
     * @param id see the constants; {@code profile:<name>} inside the profiles submenu
     * @param label the text
     * @param enabled whether it can be chosen
     * @param checkbox whether it is a check box ({@code checked} then matters)
     * @param children the submenu's items (empty for a plain item)
     * @param action what choosing it does; {@link Action#CHOOSE_PROFILE} items carry the name in
     *     {@code argument}
     */
    public record Item(
            String id,
            String label,
            boolean enabled,
            boolean checkbox,
            boolean checked,
            List<Item> children,
            Action action,
            String argument) {
        public Item {
            children = List.copyOf(children);
        }

        static Item plain(String id, String label, boolean enabled, Action action) {
            return new Item(id, label, enabled, false, false, List.of(), action, "");
        }
    }

    /** The menu for {@code s}, top to bottom. */
    public static List<Item> build(State s) {
        List<Item> items = new ArrayList<>();
        items.add(
                Item.plain(
                        SCHEDULER,
                        schedulerLabel(s),
                        s.agentRunning() && s.scheduler().canToggle(),
                        Action.TOGGLE_SCHEDULER));
        items.add(
                Item.plain(
                        PROFILE,
                        "Profile: "
                                + (s.activeProfile().isEmpty() ? "none active" : s.activeProfile()),
                        false,
                        Action.NONE));
        List<Item> profiles = new ArrayList<>();
        for (String name : s.profiles()) {
            profiles.add(
                    new Item(
                            PROFILE_PREFIX + name,
                            name,
                            s.agentRunning(),
                            false,
                            false,
                            List.of(),
                            Action.CHOOSE_PROFILE,
                            name));
        }
        items.add(
                new Item(
                        PROFILES,
                        s.profiles().isEmpty()
                                ? "Switch profile (no profiles yet)"
                                : "Switch profile",
                        !profiles.isEmpty(),
                        false,
                        false,
                        profiles,
                        Action.NONE,
                        ""));
        items.add(Item.plain(SEPARATOR, "", false, Action.NONE));
        items.add(
                Item.plain(
                        WINDOW,
                        s.windowShown() ? "Hide window" : "Show window",
                        true,
                        Action.SHOW_HIDE_WINDOW));
        items.add(
                new Item(
                        AUTOSTART,
                        "Start with session",
                        true,
                        true,
                        s.startWithSession(),
                        List.of(),
                        Action.START_WITH_SESSION,
                        ""));
        items.add(Item.plain(SEPARATOR, "", false, Action.NONE));
        items.add(Item.plain(QUIT, "Quit", true, Action.QUIT));
        return List.copyOf(items);
    }

    /**
     * The scheduler item's text: what choosing it does, and the state the agent reports. Where it
     * cannot be used, the reason (the agent's own words, cut at the first colon: the window's
     * message has all of them).
     */
    static String schedulerLabel(State s) {
        SchedulerState sc = s.scheduler();
        if (!s.agentRunning()) {
            return "Scheduler: agent not running";
        }
        return switch (sc.state()) {
            case ENABLED -> "Turn scheduler off (on: " + sc.ops() + ")";
            case DISABLED -> "Turn scheduler on (off)";
            case ABSENT ->
                    sc.reason().isEmpty()
                            ? "Turn scheduler on (sched_ext absent: monitor only)"
                            : "Scheduler unavailable: " + firstClause(sc.reason());
            case OTHER ->
                    "Scheduler: "
                            + (sc.ops().isEmpty() ? "another one" : sc.ops())
                            + " runs (not ours)";
            case CHANGING -> "Scheduler: changing\u2026";
            case UNKNOWN -> "Scheduler: state unknown";
        };
    }

    private static String firstClause(String s) {
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }
}
