package org.gamercompanion.snapshot;

import java.util.Arrays;

/**
 * Immutable sample counts per {@link LatencyBuckets} bucket, for drawing. Safe to share between
 * threads.
 */
public final class BucketCounts {
    public static final BucketCounts EMPTY = new BucketCounts(new long[LatencyBuckets.COUNT], 0);

    private final long[] counts;
    private final long total;

    private BucketCounts(long[] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /** A copy of {@code counts} (length {@link LatencyBuckets#COUNT}). */
    public static BucketCounts of(long[] counts) {
        if (counts.length != LatencyBuckets.COUNT) {
            throw new IllegalArgumentException(
                    "expected " + LatencyBuckets.COUNT + " buckets, got " + counts.length);
        }
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t == 0 ? EMPTY : new BucketCounts(counts.clone(), t);
    }

    public int size() {
        return counts.length;
    }

    public long count(int bucket) {
        return counts[bucket];
    }

    /** Sum over all buckets. */
    public long total() {
        return total;
    }

    /** The largest bucket count (0 when empty). */
    public long max() {
        long m = 0;
        for (long c : counts) {
            m = Math.max(m, c);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketCounts b && Arrays.equals(counts, b.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "BucketCounts[total=" + total + "]";
    }
}
