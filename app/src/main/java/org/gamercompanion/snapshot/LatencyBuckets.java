package org.gamercompanion.snapshot;

import java.util.Arrays;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The fixed log-spaced latency axis the dashboard draws on: {@link #PER_DECADE} buckets per decade
 * from {@link #LOW_NS} (100 ns) to {@link #HIGH_NS} (10 s). Values below the first edge count in
 * bucket 0, values above the last in the last bucket, so every sample is drawn.
 *
 * <p>Counts are derived from HdrHistogram's own sub-buckets (values within 0.1%): each recorded
 * value of a histogram is assigned, with its count, to the axis bucket holding its highest
 * equivalent value. Cost is one walk of the histogram's counts per call, never per event.
 *
 * <pre>{@code
 * long[] counts = new long[LatencyBuckets.COUNT];
 * LatencyBuckets.addTo(counts, intervalHistogram);
 * double lo = LatencyBuckets.lowerEdgeNs(i), hi = LatencyBuckets.upperEdgeNs(i);
 * }</pre>
 */
public final class LatencyBuckets {
    public static final long LOW_NS = 100;
    public static final long HIGH_NS = 10_000_000_000L;
    public static final int PER_DECADE = 8;

    /** Number of buckets: 8 decades x 8. */
    public static final int COUNT = 8 * PER_DECADE;

    private static final long[] EDGES_NS = new long[COUNT + 1];

    static {
        for (int i = 0; i <= COUNT; i++) {
            EDGES_NS[i] = Math.round(LOW_NS * Math.pow(10, (double) i / PER_DECADE));
        }
    }

    private LatencyBuckets() {}

    /** The lower edge of bucket {@code i} in nanoseconds. */
    public static long lowerEdgeNs(int i) {
        return EDGES_NS[i];
    }

    /** The upper edge of bucket {@code i} in nanoseconds. */
    public static long upperEdgeNs(int i) {
        return EDGES_NS[i + 1];
    }

    /** The bucket a latency falls in, clamped to the axis. */
    public static int bucketOf(long ns) {
        if (ns < EDGES_NS[1]) {
            return 0;
        }
        int pos = Arrays.binarySearch(EDGES_NS, ns);
        int i = pos >= 0 ? pos : -pos - 2;
        return Math.min(i, COUNT - 1);
    }

    /** Adds every recorded value of {@code h} to {@code counts} (length {@link #COUNT}). */
    public static void addTo(long[] counts, Histogram h) {
        if (h.getTotalCount() == 0) {
            return;
        }
        for (HistogramIterationValue v : h.recordedValues()) {
            counts[bucketOf(v.getValueIteratedTo())] += v.getCountAddedInThisIterationStep();
        }
    }
}
