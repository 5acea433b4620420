package org.gamercompanion.recorder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One HdrHistogram {@link SingleWriterRecorder} per (ring, kind): 16 x 3 recorders of latencies in
 * nanoseconds, 3 significant digits, up to {@link #HIGHEST_TRACKABLE_NS}.
 *
 * <p><b>Single writer:</b> {@link #record} must only ever be called from one thread (the event
 * pipeline's handler thread). {@link #intervalHistogram} may be called from one other thread (the
 * sampler); the recorder's phaser makes the swap safe without locking the writer.
 *
 * <pre>{@code
 * LatencyRecorders rec = new LatencyRecorders();
 * rec.record(ring, Kind.INPUT_TO_RUN, latencyNs);             // writer thread
 * Histogram h = rec.intervalHistogram(ring, kind, previous);  // sampler thread, recycles previous
 * }</pre>
 */
public final class LatencyRecorders {
    /** Latencies above one minute are clamped to it (and still counted). */
    public static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;

    /** Relative precision of every latency histogram: 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final int ringCount;
    private final SingleWriterRecorder[] recorders;

    public LatencyRecorders(int ringCount) {
        this.ringCount = ringCount;
        this.recorders = new SingleWriterRecorder[ringCount * Kind.COUNT];
        for (int i = 0; i < recorders.length; i++) {
            recorders[i] = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        }
    }

    /** A histogram shaped like every recorder's, for recycling and merging. */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    public int ringCount() {
        return ringCount;
    }

    /** Records one latency. Writer thread only. Values below 1 ns are recorded as 1 ns. */
    public void record(int ring, int kindWireId, long latencyNs) {
        long v = latencyNs < 1 ? 1 : Math.min(latencyNs, HIGHEST_TRACKABLE_NS);
        recorders[ring * Kind.COUNT + kindWireId].recordValue(v);
    }

    /**
     * The values recorded since the previous call for this (ring, kind). Sampler thread only.
     *
     * @param recycle the histogram this method returned last time for the same pair, or null
     */
    public Histogram intervalHistogram(int ring, Kind kind, Histogram recycle) {
        return recorders[ring * Kind.COUNT + kind.wireId()].getIntervalHistogram(recycle);
    }
}
