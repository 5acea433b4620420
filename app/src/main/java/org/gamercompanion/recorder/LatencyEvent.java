package org.gamercompanion.recorder;

/**
 * One Disruptor slot: a decoded gc_event. Mutable and reused; only valid during the handler call
 * that receives it.
 */
public final class LatencyEvent {
    long startNs;
    long endNs;
    int pid;
    int tgid;
    int cpu;
    int ring;
    int kind;
    int source;
    int inputType;
    int inputCode;

    LatencyEvent() {}

    public long latencyNs() {
        return endNs - startNs;
    }

    public long endNs() {
        return endNs;
    }

    public int pid() {
        return pid;
    }

    public int tgid() {
        return tgid;
    }

    public int cpu() {
        return cpu;
    }

    public int ring() {
        return ring;
    }

    /** The kind's {@code GC_KIND_*} value; see {@link Kind#ofWireId}. */
    public int kind() {
        return kind;
    }

    public int source() {
        return source;
    }

    public int inputType() {
        return inputType;
    }

    public int inputCode() {
        return inputCode;
    }
}
