package org.gamercompanion.dashboard;

import java.util.Locale;
import org.gamercompanion.agent.Reply;

/**
 * The agent's refusals in a player's words (issue 15 item 6): the window never shows protocol text
 * such as {@code STATE sched_ext is absent}. The agent's own text stays in its log and in the
 * tooltip, for whoever reports a bug.
 */
final class AgentWords {
    private AgentWords() {}

    /**
     * A sentence for a refused {@code SCHED ON|OFF}: what happened, and what the player can do.
     *
     * @param on whether the player asked to turn it on
     */
    static String schedulerRefusal(boolean on, Reply r) {
        String text = String.join(" ", r.words());
        String lower = text.toLowerCase(Locale.ROOT);
        if (r.code().equals("STATE") && lower.contains("absent")) {
            return "This kernel has no sched_ext, so the gamer scheduler cannot run here (it needs Linux 6.12 or newer"
                    + " built with sched_ext). Measuring works as before.";
        }
        if (r.code().equals("STATE")
                && (lower.contains("another") || lower.contains("never replaced"))) {
            // The agent says "another sched_ext scheduler is enabled: scx_lavd; it is never
            // replaced, ...".
            String ops =
                    text.replaceAll("(?s).*?is (?:enabled|enabling): ?([A-Za-z0-9_]+).*", "$1");
            return "Another scheduler"
                    + (ops.equals(text) ? "" : " (" + ops + ")")
                    + " is running, and Gamer Companion"
                    + " never replaces one: stop it first (scx_loader, or the program that started it).";
        }
        if (r.code().equals("STATE") && !on) {
            return "The gamer scheduler is not running, so there is nothing to turn off.";
        }
        if (r.code().equals("INTERNAL")) {
            return "The scheduler could not be "
                    + (on ? "loaded" : "stopped")
                    + " ("
                    + text
                    + "). Start the app from a"
                    + " terminal with -v to see the agent's log.";
        }
        return "The scheduler was not turned " + (on ? "on" : "off") + ": " + text;
    }
}
