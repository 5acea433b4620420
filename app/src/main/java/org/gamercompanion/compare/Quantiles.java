package org.gamercompanion.compare;

import java.util.Arrays;
import org.gamercompanion.recorder.HdrLayout;

/**
 * Percentiles of counts arrays, by HdrHistogram's own rule ({@code AbstractHistogram
 * .getValueAtPercentile}): the count at percentile p is {@code max(1, ceil(p' * total / 100))},
 * where p' is the largest double below p, and the value is the highest value equivalent to the
 * first bucket whose running total reaches it. So a percentile here is the number HdrHistogram's
 * reader gives for the same samples, to the nanosecond ({@code QuantilesTest}).
 */
final class Quantiles {
    private Quantiles() {}

    /** The count a running total must reach for {@code percentile} of {@code total} samples. */
    static long countAt(double percentile, long total) {
        double p =
                Math.min(
                        Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        return Math.max(1, (long) Math.ceil(p * total / 100.0));
    }

    /**
     * The values at {@code percentiles} (ascending) of full-resolution {@code counts} ({@link
     * HdrLayout} indexes) into {@code out}; -1 each when {@code total} is 0.
     */
    static void valuesAt(long[] counts, long total, double[] percentiles, long[] out) {
        scan(counts, total, percentiles, out, 0);
    }

    /**
     * The same over coarse counts (8 HDR buckets each): each value is its coarse bucket's highest.
     */
    static void coarseValuesAt(long[] counts, long total, double[] percentiles, long[] out) {
        scan(counts, total, percentiles, out, RecordingSeries.COARSE_SHIFT);
    }

    private static void scan(
            long[] counts, long total, double[] percentiles, long[] out, int shift) {
        if (total == 0) {
            Arrays.fill(out, 0, percentiles.length, -1);
            return;
        }
        int q = 0;
        long need = countAt(percentiles[0], total);
        long running = 0;
        for (int i = 0; i < counts.length && q < percentiles.length; i++) {
            running += counts[i];
            while (q < percentiles.length && running >= need) {
                int hdr = Math.min(((i + 1) << shift) - 1, HdrLayout.LENGTH - 1);
                out[q++] = HdrLayout.highestValue(hdr);
                if (q < percentiles.length) {
                    need = countAt(percentiles[q], total);
                }
            }
        }
    }

    /**
     * HdrHistogram's {@code getMaxValue}: the highest value equivalent to the highest bucket used;
     * -1 when empty.
     */
    static long max(long[] counts) {
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] != 0) {
                return HdrLayout.highestValue(i);
            }
        }
        return -1;
    }

    /**
     * Samples above {@code thresholdNs}: those in buckets after the one that holds the threshold.
     */
    static long countAbove(long[] counts, long thresholdNs) {
        long n = 0;
        for (int i = HdrLayout.index(thresholdNs) + 1; i < counts.length; i++) {
            n += counts[i];
        }
        return n;
    }
}
