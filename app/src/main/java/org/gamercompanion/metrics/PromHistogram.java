package org.gamercompanion.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import org.gamercompanion.recorder.LatencyRecorders;

/**
 * One exported histogram, counted as its samples arrive: the classic buckets, the native buckets of
 * one schema ({@link PromBuckets} has both kinds' bounds), the count and the sum. A scrape then
 * only copies the populated buckets out, a cost that follows the buckets and not the samples, and
 * reuses the last data point when no sample came since.
 *
 * <pre>{@code
 * PromHistogram h = new PromHistogram(8, Labels.of("kind", "input_to_run"), createdMillis);
 * h.record(23_400);                       // ns, on the recorder thread
 * HistogramDataPointSnapshot p = h.point(); // on a scrape thread
 * }</pre>
 *
 * <p>Each sample is placed by its exact value, as the Prometheus client's own {@code Histogram}
 * places {@code observe(ns / 1e9)}: a classic bucket holds the values at most its bound, a native
 * bucket i the values in (2^((i-1)/2^schema), 2^(i/2^schema)] seconds.
 *
 * <p><b>Threads.</b> Any number of threads may {@link #record} (a new capture session's recorder
 * thread may start before the old one's last event) and {@link #point} may run meanwhile: both
 * synchronize on this object, a writer for a few array increments, a scrape for one pass over the
 * populated buckets (found through each block's bitmap). <b>Memory.</b> Native counts live in
 * blocks of {@value #BLOCK} indexes (one octave at schema 8, 2 KiB), allocated when a sample first
 * falls in one: a series spanning 1 µs to 100 ms at schema 8 holds 17 or 18 blocks, about 36 KiB.
 */
final class PromHistogram {
    /** Larger values are counted as this (60 s); smaller than 1 ns as 1 ns. */
    static final long MAX_NS = LatencyRecorders.HIGHEST_TRACKABLE_NS;

    private static final int BLOCK_BITS = 8;
    private static final int BLOCK = 1 << BLOCK_BITS;

    /**
     * A block is one array: a bitmap of its non-zero counts ({@code BLOCK / 64} longs), then the
     * counts. The bitmap lets a scrape visit only the populated buckets.
     */
    private static final int COUNTS = BLOCK / 64;

    private final int schema;
    private final Labels labels;
    private final long createdMillis;

    /** The native index of 1 ns: block slot 0. */
    private final int firstIndex;

    private final long[] classic = new long[PromBuckets.CLASSIC_FINITE_BOUNDS + 1];
    private final long[][] blocks;
    private int populated;
    private long count;
    private long sumNs;

    /** The last data point built, valid while {@link #count} is still {@link #pointCount}. */
    private HistogramDataPointSnapshot point;

    private long pointCount = -1;

    /**
     * @param schema native histogram schema, {@link PromBuckets#MIN_SCHEMA}..{@link
     *     PromBuckets#MAX_SCHEMA}
     * @param createdMillis when the series began counting (OpenMetrics {@code _created})
     */
    PromHistogram(int schema, Labels labels, long createdMillis) {
        PromBuckets.checkSchema(schema);
        this.schema = schema;
        this.labels = labels;
        this.createdMillis = createdMillis;
        this.firstIndex = PromBuckets.nativeIndex(1e-9, schema);
        int slots = PromBuckets.nativeIndex(MAX_NS / 1e9, schema) - firstIndex + 1;
        this.blocks = new long[(slots + BLOCK - 1) >> BLOCK_BITS][];
    }

    /** Counts one sample of {@code ns} nanoseconds (any thread). */
    void record(long ns) {
        long v = Math.max(1, Math.min(ns, MAX_NS));
        int classicIndex = PromBuckets.classicIndex(v);
        int slot = PromBuckets.nativeIndex(v / 1e9, schema) - firstIndex;
        synchronized (this) {
            classic[classicIndex]++;
            long[] block = blocks[slot >> BLOCK_BITS];
            if (block == null) {
                block = new long[COUNTS + BLOCK];
                blocks[slot >> BLOCK_BITS] = block;
            }
            int i = slot & (BLOCK - 1);
            if (block[COUNTS + i]++ == 0) {
                block[i >> 6] |= 1L << i;
                populated++;
            }
            count++;
            sumNs += v;
        }
    }

    /** The data point of every sample so far, in seconds, with both bucket kinds. */
    synchronized HistogramDataPointSnapshot point() {
        if (pointCount == count) {
            return point;
        }
        int[] indexes = new int[populated];
        long[] counts = new long[populated];
        int n = 0;
        for (int b = 0; b < blocks.length; b++) {
            long[] block = blocks[b];
            if (block == null) {
                continue;
            }
            for (int w = 0; w < COUNTS; w++) {
                for (long bits = block[w]; bits != 0; bits &= bits - 1) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                    indexes[n] = firstIndex + (b << BLOCK_BITS) + i;
                    counts[n++] = block[COUNTS + i];
                }
            }
        }
        point =
                new HistogramDataPointSnapshot(
                        ClassicHistogramBuckets.of(
                                PromBuckets.CLASSIC_UPPER_BOUNDS_SECONDS, classic),
                        schema,
                        0,
                        PromBuckets.ZERO_THRESHOLD,
                        NativeHistogramBuckets.of(indexes, counts),
                        NativeHistogramBuckets.EMPTY,
                        sumNs / 1e9,
                        labels,
                        Exemplars.EMPTY,
                        createdMillis);
        pointCount = count;
        return point;
    }
}
