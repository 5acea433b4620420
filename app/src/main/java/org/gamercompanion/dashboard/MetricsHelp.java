package org.gamercompanion.dashboard;

import java.util.List;

/** The help popover's text: docs/METRICS.md (DESIGN.md section 3) in plain words. */
public final class MetricsHelp {
    /** Heading and paragraph pairs, in order. */
    public record Entry(String heading, String text) {}

    public static final List<Entry> ENTRIES = List.of(
            new Entry("What is measured",
                    "Only threads of the watched process (the target you picked, or the self-test) produce samples."
                            + " Times are measured in the kernel by BPF and shown in microseconds."),
            new Entry("input \u2192 run (the headline)",
                    "From a key press, mouse move or stick deflection, as the kernel's input_event() sees it, to the"
                            + " moment a game thread that reacts to it gets a CPU. The first thread of the game woken"
                            + " (or preempted and waiting) after an input claims it; each input gives at most one"
                            + " sample. Threads that never leave the CPU (a busy-polling input loop) are never woken,"
                            + " so they produce no sample."),
            new Entry("wakeup \u2192 run",
                    "From a thread of the game being woken to the moment it runs on a CPU: the time it waited in a"
                            + " run queue. Same definition as BCC's runqlat, for the watched process only."),
            new Entry("preempt \u2192 run",
                    "From a thread being switched out while it still wanted to run (preempted) to the moment it"
                            + " is back on a CPU."),
            new Entry("Input source",
                    "Inputs come from fentry on input_event(), else a kprobe; where the kernel allows neither, the"
                            + " status bar says why. Self-test uses a synthetic input (a uprobe in gamer-selftest)"
                            + " that is treated exactly like a real one."),
            new Entry("Rings, lost and percentiles",
                    "The kernel writes samples of CPU c into ring c % 16, so ring k serves CPUs k, k+16, ...; rings"
                            + " no CPU of this machine maps to are marked as such. When a ring is full the sample is"
                            + " counted as lost, never waited for. Percentiles are HdrHistogram values (within 0.1%);"
                            + " with no samples they show \u2014, never 0. 'last interval' is the last quarter"
                            + " second, 'session' everything since the agent started."));

    private MetricsHelp() {}
}
