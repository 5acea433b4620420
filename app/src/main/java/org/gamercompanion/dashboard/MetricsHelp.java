package org.gamercompanion.dashboard;

import java.util.List;

/**
 * The help popover's text, for players first (docs/METRICS.md has the exact definitions): what a
 * good number is and what p99 means, in plain words; the kernel terms only under "Details".
 */
final class MetricsHelp {
    /**
     * Heading and paragraph pairs, in order.
     *
     * @param details belongs to the "Details" section, for those who want the kernel's words
     */
    public record Entry(String heading, String text, boolean details) {}

    public static final List<Entry> ENTRIES =
            List.of(
                    new Entry(
                            "What you see",
                            "How long your game waited for the processor. Each number is a time: ns, \u00b5s (millionths"
                                    + " of a second) and ms (thousandths) as the label says. Only your game counts: the target"
                                    + " on the left, or the self-test.",
                            false),
                    new Entry(
                            "input \u2192 run (the headline)",
                            "From your key press, mouse move or stick push to the moment your game gets the processor to"
                                    + " react to it. Lower is better.",
                            false),
                    new Entry(
                            "wakeup \u2192 run",
                            "From your game being woken (a frame is due, data arrived) to the moment it runs. Lower is better.",
                            false),
                    new Entry(
                            "preempt \u2192 run",
                            "How long your game was pushed off the processor while it still had work to do.",
                            false),
                    new Entry(
                            "p50, p99 and a good number",
                            "p50 is the typical wait: half of the waits are shorter. p99 is the bad moment: 1 wait in 100 is"
                                    + " longer, and those are the stutters you feel. At 60 frames a second one frame is 16.7 ms:"
                                    + " waits under 1 ms are good, waits of several ms eat into a frame, and a p99 above"
                                    + " 16.7 ms means some inputs wait a whole frame or more. max is the single worst wait.",
                            false),
                    new Entry(
                            "Session and last interval",
                            "'session' is everything since the session began (the target was picked, or Reset); 'last"
                                    + " interval' is the last quarter second. A dash means no samples yet, never zero.",
                            false),
                    new Entry(
                            "Details: how input \u2192 run is measured",
                            "The kernel's input_event() (seen by fentry, else a kprobe) starts the clock; the first thread of"
                                    + " the game woken, or preempted and waiting, after that input claims it, and the clock stops"
                                    + " when that thread is switched in. Each input gives at most one sample. Threads that never"
                                    + " leave the CPU (a busy-polling input loop) are never woken, so they produce no sample."
                                    + " Where the kernel allows no hook the status bar says why; the self-test uses a synthetic"
                                    + " input (a uprobe in gamer-selftest) treated exactly like a real one.",
                            true),
                    new Entry(
                            "Details: rings, lost and percentiles",
                            "wakeup \u2192 run is BCC runqlat's definition for the watched process only. The kernel writes"
                                    + " samples of CPU c into ring c % 16, so ring k serves CPUs k, k+16, ...; a full ring"
                                    + " counts a sample as lost, never waits. Percentiles are HdrHistogram values (within 0.1%).",
                            true));

    private MetricsHelp() {}
}
