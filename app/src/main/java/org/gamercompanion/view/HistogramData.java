package org.gamercompanion.view;

import org.gamercompanion.snapshot.BucketCounts;
import org.gamercompanion.snapshot.LatencySummary;

/**
 * Everything one histogram chart draws, immutable.
 *
 * @param title e.g. {@code merged · input → run · session}, or {@code ring 3 · CPUs 3,19}
 * @param buckets counts per {@link org.gamercompanion.snapshot.LatencyBuckets} bucket
 * @param summary count, lost and the percentiles marked on the chart
 * @param unmapped true for a ring that no CPU of this machine writes to: shown as such, not as
 *     empty
 */
public record HistogramData(
        String title, BucketCounts buckets, LatencySummary summary, boolean unmapped) {
    public static final HistogramData EMPTY =
            new HistogramData("", BucketCounts.EMPTY, LatencySummary.EMPTY, false);

    public long count() {
        return summary.count();
    }
}
