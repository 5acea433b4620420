package org.gamercompanion.recorder;

import org.HdrHistogram.Histogram;

/**
 * HdrHistogram's bucket math for the one histogram shape we record ({@link
 * LatencyRecorders#newHistogram}: 1 ns to 60 s, 3 significant digits): counts-array index to value
 * and back. It lets a reader add a decoded interval into a plain {@code long[]} instead of
 * allocating a 216 KiB {@link Histogram} per interval, and turn the sum back into a Histogram whose
 * counts are identical ({@link #toHistogram}).
 *
 * <p>The layout: indexes 0..2047 hold the values 0..2047 one by one; above, every power of two adds
 * 1,024 indexes of width {@code 2^(bucket)}. The equivalence with HdrHistogram is tested value by
 * value ({@code HdrLayoutTest}).
 */
public final class HdrLayout {
    /** 3 significant digits: 2 * 10^3 rounded up to a power of two is 2,048 = 2^11. */
    static final int SUB_BUCKET_HALF_MAGNITUDE = 10;

    static final int SUB_BUCKET_HALF = 1 << SUB_BUCKET_HALF_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = (2L << SUB_BUCKET_HALF_MAGNITUDE) - 1;
    private static final int LEADING_ZERO_BASE = 64 - SUB_BUCKET_HALF_MAGNITUDE - 1;

    /** Length of the counts array: the index of the highest trackable value, plus one. */
    public static final int LENGTH = index(LatencyRecorders.HIGHEST_TRACKABLE_NS) + 1;

    private HdrLayout() {}

    /** The counts-array index of {@code valueNs} (0 <= valueNs <= 60 s). */
    public static int index(long valueNs) {
        int bucket = LEADING_ZERO_BASE - Long.numberOfLeadingZeros(valueNs | SUB_BUCKET_MASK);
        int sub = (int) (valueNs >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_MAGNITUDE) + (sub - SUB_BUCKET_HALF);
    }

    /** The lowest value that lands at {@code index}. */
    public static long lowestValue(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_MAGNITUDE) - 1;
        int sub = (index & (SUB_BUCKET_HALF - 1)) + SUB_BUCKET_HALF;
        if (bucket < 0) {
            sub -= SUB_BUCKET_HALF;
            bucket = 0;
        }
        return (long) sub << bucket;
    }

    /**
     * The highest value that lands at {@code index} (what HdrHistogram reports a percentile as).
     */
    public static long highestValue(int index) {
        int bucket = Math.max(0, (index >> SUB_BUCKET_HALF_MAGNITUDE) - 1);
        return lowestValue(index) + (1L << bucket) - 1;
    }

    /** A Histogram of our shape holding {@code counts} (indexed as above). */
    public static Histogram toHistogram(long[] counts) {
        Histogram h = LatencyRecorders.newHistogram();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                h.recordValueWithCount(lowestValue(i), counts[i]);
            }
        }
        return h;
    }
}
