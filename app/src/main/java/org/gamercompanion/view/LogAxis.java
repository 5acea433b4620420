package org.gamercompanion.view;

import org.gamercompanion.snapshot.BucketCounts;
import org.gamercompanion.snapshot.LatencyBuckets;
import org.gamercompanion.snapshot.LatencySummary;

/**
 * A log10 latency axis mapped onto pixels. The range covers whole decades around the data (at least
 * 1 µs to 1 ms), so the axis moves only when data crosses a decade.
 *
 * @param lowNs left edge (a power of ten)
 * @param highNs right edge (a power of ten)
 * @param x0 pixel of the left edge
 * @param width pixels from left to right edge
 */
record LogAxis(long lowNs, long highNs, double x0, double width) {
    static final long MIN_LOW_NS = 1_000;
    static final long MIN_HIGH_NS = 1_000_000;

    /** The axis for the given data: decades from the lowest non-empty bucket to the max value. */
    public static LogAxis fit(
            BucketCounts buckets, LatencySummary summary, double x0, double width) {
        long low = MIN_LOW_NS;
        long high = MIN_HIGH_NS;
        for (int i = 0; i < buckets.size(); i++) {
            if (buckets.count(i) > 0) {
                low = Math.min(low, floorDecade(LatencyBuckets.lowerEdgeNs(i)));
                high = Math.max(high, ceilDecade(LatencyBuckets.upperEdgeNs(i)));
            }
        }
        if (summary.maxNs() > 0) {
            high = Math.max(high, ceilDecade(summary.maxNs()));
        }
        return new LogAxis(
                Math.max(LatencyBuckets.LOW_NS, low),
                Math.min(LatencyBuckets.HIGH_NS, high),
                x0,
                width);
    }

    /** The pixel of a latency, clamped to the axis. */
    public double x(double ns) {
        double v = Math.min(Math.max(ns, lowNs), highNs);
        return x0
                + width
                        * (Math.log10(v) - Math.log10(lowNs))
                        / (Math.log10(highNs) - Math.log10(lowNs));
    }

    /** The decades inside the range, for tick labels. */
    long[] decades() {
        int n = (int) Math.round(Math.log10((double) highNs / lowNs)) + 1;
        long[] out = new long[n];
        long v = lowNs;
        for (int i = 0; i < n; i++) {
            out[i] = v;
            v *= 10;
        }
        return out;
    }

    static long floorDecade(long ns) {
        long d = 1;
        while (d * 10 <= ns) {
            d *= 10;
        }
        return d;
    }

    static long ceilDecade(long ns) {
        long d = 1;
        while (d < ns) {
            d *= 10;
        }
        return d;
    }
}
