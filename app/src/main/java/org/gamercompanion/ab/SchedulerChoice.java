package org.gamercompanion.ab;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One arm's scheduler in an A/B test, as the player names it.
 *
 * <ul>
 *   <li>{@code default}: no sched_ext scheduler, the kernel's own (EEVDF since Linux 6.6);
 *   <li>{@code gamer}: ours, attached by our agent ({@code SCHED ON});
 *   <li>any other name ({@code scx_lavd}, {@code scx_simple}, or the bare ops name {@code simple}):
 *       someone else's sched_ext scheduler, switched through scx_loader when its D-Bus service
 *       offers it, else started by the player when the runner asks. Our agent never executes it.
 * </ul>
 *
 * @param name what the player typed, normalised ({@code scx_simple} stays {@code scx_simple})
 */
public record SchedulerChoice(String name) {
    public static final SchedulerChoice DEFAULT = new SchedulerChoice("default");
    public static final SchedulerChoice GAMER = new SchedulerChoice("gamer");

    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,31}");

    /** Parses a scheduler name; the error says what is accepted. */
    public static SchedulerChoice parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(t).matches()) {
            throw new IllegalArgumentException(
                    "scheduler \""
                            + text
                            + "\": give default, gamer, or a sched_ext"
                            + " scheduler's name (scx_lavd, scx_simple, ...: lower-case letters, digits, _; at most 31)");
        }
        return new SchedulerChoice(t);
    }

    boolean isDefault() {
        return this.equals(DEFAULT);
    }

    boolean isGamer() {
        return this.equals(GAMER);
    }

    /** Someone else's sched_ext scheduler. */
    boolean isExternal() {
        return !isDefault() && !isGamer();
    }

    /**
     * The ops name the kernel shows for it in {@code /sys/kernel/sched_ext/root/ops}: {@code
     * gamer}, or the name without its {@code scx_} prefix ({@code scx_simple} registers as {@code
     * simple}); empty for the default scheduler.
     */
    String opsName() {
        if (isDefault()) {
            return "";
        }
        return name.startsWith("scx_") ? name.substring(4) : name;
    }

    /** The scx_loader name ({@code scx_lavd}), for external schedulers. */
    String loaderName() {
        return name.startsWith("scx_") ? name : "scx_" + name;
    }

    /**
     * Whether the kernel's state is this scheduler: default when nothing is enabled (or the kernel
     * has no sched_ext at all); otherwise the enabled ops name is ours, or ours and a suffix (some
     * schedulers append a version: {@code bpfland_1.0.2}).
     */
    public boolean matches(String state, String ops) {
        if (isDefault()) {
            return "disabled".equals(state) || "absent".equals(state);
        }
        return "enabled".equals(state)
                && (ops.equals(opsName()) || ops.startsWith(opsName() + "_"));
    }

    /** {@code default (EEVDF)}, {@code gamer}, {@code scx_simple}. */
    public String describe() {
        return isDefault() ? "default (EEVDF)" : name;
    }

    /** The choice for what the kernel runs now: default, gamer, or the enabled ops name. */
    static SchedulerChoice ofKernel(String state, String ops) {
        if (!"enabled".equals(state) || ops.isEmpty()) {
            return DEFAULT;
        }
        return NAME.matcher(ops).matches()
                ? new SchedulerChoice(ops)
                : new SchedulerChoice(ops.replaceAll("[^a-z0-9_]", "_"));
    }
}
