package org.gamercompanion.recorder;

/**
 * The three measured latencies (docs/METRICS.md). {@link #wireId()} is the {@code GC_KIND_*} value
 * in gamer_events.h; {@link #id()} is the name used in JSON, .hlog tags and the UI.
 */
public enum Kind {
    /**
     * The first running of a watched thread after a player input that it was woken or preempted
     * after.
     */
    INPUT_TO_RUN(2, "input_to_run"),
    /**
     * sched_wakeup of a watched thread to the switch that puts it on a CPU (runqlat's definition).
     */
    WAKEUP_TO_RUN(0, "wakeup_to_run"),
    /** Involuntary switch-out of a watched thread to its next switch-in. */
    PREEMPT_TO_RUN(1, "preempt_to_run");

    /** Number of kinds; also the size of arrays indexed by {@link #wireId()}. */
    public static final int COUNT = 3;

    private static final Kind[] BY_WIRE_ID = new Kind[COUNT];

    static {
        for (Kind k : values()) {
            BY_WIRE_ID[k.wireId] = k;
        }
    }

    private final int wireId;
    private final String id;

    Kind(int wireId, String id) {
        this.wireId = wireId;
        this.id = id;
    }

    public int wireId() {
        return wireId;
    }

    public String id() {
        return id;
    }

    /** The name the UI shows, {@code input → run} (the window, the profile editor). */
    public String label() {
        return switch (this) {
            case INPUT_TO_RUN -> "input \u2192 run";
            case WAKEUP_TO_RUN -> "wakeup \u2192 run";
            case PREEMPT_TO_RUN -> "preempt \u2192 run";
        };
    }

    /** The kind for a {@code GC_KIND_*} value, or null for a value this build does not know. */
    public static Kind ofWireId(int wireId) {
        return wireId >= 0 && wireId < COUNT ? BY_WIRE_ID[wireId] : null;
    }

    /** The kind named {@code id} (as in JSON and tags). */
    public static Kind ofId(String id) {
        for (Kind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown kind '" + id + "' (known: input_to_run, wakeup_to_run, preempt_to_run)");
    }
}
