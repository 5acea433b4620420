package org.gamercompanion.dashboard;

import java.util.Map;

/**
 * The sched_ext scheduler as the agent reports it ({@code STATUS sched=... sched_owner=...}, the
 * replies to {@code SCHED ON|OFF} and the asynchronous {@code SCHED} lines of docs/PROTOCOL.md).
 * The window's switch, the tray item and the hotkey all show and toggle this one state.
 *
 * @param state where the scheduler is
 * @param ops the kernel's ops name when one is enabled ({@code gamer} for ours), else ""
 * @param reason the agent's own words for the last refusal or exit (e.g. {@code sched_ext is
 *     absent: this kernel has no /sys/kernel/sched_ext ...}), "" when there was none
 * @param answers how many {@code SCHED} replies the agent gave in this agent session: it grows with
 *     every request, refused or not, so a caller can wait for "the agent answered"
 */
public record SchedulerState(State state, String ops, String reason, long answers) {
    /** What the kernel runs, from the agent's point of view. */
    public enum State {
        /** No agent runs: nobody can tell. */
        UNKNOWN,
        /** The kernel has no sched_ext: monitor only. */
        ABSENT,
        /** sched_ext is there, no scheduler is loaded. */
        DISABLED,
        /** Our "gamer" scheduler runs (attached by this agent). */
        ENABLED,
        /** Someone else's sched_ext scheduler runs; the agent never replaces it. */
        OTHER,
        /** The kernel is enabling or disabling a scheduler right now. */
        CHANGING
    }

    public static final SchedulerState UNKNOWN = new SchedulerState(State.UNKNOWN, "", "", 0);

    /**
     * The state from the agent's {@code STATUS} fields ({@code sched=absent|disabled|enabled:<ops>|
     * enabling|disabling}, {@code sched_owner=agent|other|none}); reason and answers are kept.
     */
    public SchedulerState withStatus(Map<String, String> status) {
        String sched = status.getOrDefault("sched", "");
        String owner = status.getOrDefault("sched_owner", "none");
        String opsNow = sched.startsWith("enabled:") ? sched.substring("enabled:".length()) : "";
        State s =
                switch (sched.contains(":") ? sched.substring(0, sched.indexOf(':')) : sched) {
                    case "absent" -> State.ABSENT;
                    case "disabled" -> State.DISABLED;
                    case "enabled" -> owner.equals("agent") ? State.ENABLED : State.OTHER;
                    case "enabling", "disabling" ->
                            owner.equals("other") ? State.OTHER : State.CHANGING;
                    default -> State.UNKNOWN;
                };
        return new SchedulerState(s, opsNow, reason, answers);
    }

    /**
     * One more answer from the agent; {@code refusal} is its text ("" for OK, which clears the
     * reason).
     */
    public SchedulerState answered(String refusal) {
        return new SchedulerState(state, ops, refusal, answers + 1);
    }

    /** An exit the kernel reported (async {@code SCHED disabled gamer <kind> <reason> <msg>}). */
    public SchedulerState exited(String exitText) {
        return new SchedulerState(state, ops, exitText, answers);
    }

    /** The last refusal or exit in the agent's words (a tooltip, a bug report), "" when none. */
    public String detail() {
        return reason;
    }

    public boolean isOn() {
        return state == State.ENABLED;
    }

    /**
     * Whether asking the agent makes sense: it runs, and neither an absent sched_ext (once the
     * agent said why) nor someone else's scheduler rules the request out.
     */
    public boolean canToggle() {
        return state == State.ENABLED
                || state == State.DISABLED
                || state == State.CHANGING
                || state == State.ABSENT && reason.isEmpty();
    }

    /**
     * For people, one short line: {@code enabled (gamer)}, {@code disabled}, {@code absent: monitor
     * only}, {@code someone else's scheduler: scx_rusty}, {@code unknown (agent not running)}.
     */
    public String text() {
        return switch (state) {
            case UNKNOWN -> "unknown (agent not running)";
            // Short: the label sits above the process list; the agent's reason is in detail().
            case ABSENT -> "absent: monitor only";
            case DISABLED -> "disabled";
            case ENABLED -> "enabled (" + ops + ")";
            case OTHER -> "someone else's scheduler: " + (ops.isEmpty() ? "(unnamed)" : ops);
            case CHANGING -> "changing\u2026";
        };
    }
}
