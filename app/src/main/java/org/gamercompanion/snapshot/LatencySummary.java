package org.gamercompanion.snapshot;

import org.HdrHistogram.Histogram;

/**
 * The numbers shown for one histogram: count, lost and percentiles in nanoseconds.
 *
 * <p>Percentiles come from HdrHistogram ({@code getValueAtPercentile}), so they are within 0.1% of
 * the recorded value and never interpolated between samples. With no samples every percentile is
 * {@link #NONE} and shown as absent, never as 0.
 */
public record LatencySummary(
        long count, long lost, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs) {
    /** Marks a percentile of an empty histogram. */
    public static final long NONE = -1;

    public static final LatencySummary EMPTY =
            new LatencySummary(0, 0, NONE, NONE, NONE, NONE, NONE);

    /** Summarises a histogram; {@code lost} is the ring's lost count, carried alongside. */
    public static LatencySummary of(Histogram h, long lost) {
        long n = h.getTotalCount();
        if (n == 0) {
            return new LatencySummary(0, lost, NONE, NONE, NONE, NONE, NONE);
        }
        return new LatencySummary(
                n,
                lost,
                h.getValueAtPercentile(50.0),
                h.getValueAtPercentile(90.0),
                h.getValueAtPercentile(99.0),
                h.getValueAtPercentile(99.9),
                h.getMaxValue());
    }

    public boolean isEmpty() {
        return count == 0;
    }
}
