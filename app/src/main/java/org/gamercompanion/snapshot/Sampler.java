package org.gamercompanion.snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.HdrLayout;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;

/**
 * Turns the live recorders into {@link Snapshot}s, at two cadences over one fold.
 *
 * <p><b>The seam between recording and the live view.</b> Both cadences start with the same fold:
 * the recorders' interval ends ({@link LatencyRecorders#takeInterval}) and each (ring, kind) pair's
 * non-zero counts ({@link LatencyRecorders#foldInterval}, work proportional to the values seen, not
 * to the 27,000 counts of a histogram) go at once into the pair's <i>recording interval</i> (a
 * recycled Histogram), the cumulative histograms (per pair, merged per kind, and the current second
 * of the p99 strip) and the drawing buckets ({@link LatencyBuckets}). Then:
 *
 * <ul>
 *   <li>{@link #sample} (the recording cadence: once a second for {@code record}, 4 times a second
 *       in the window) also <i>closes</i> the recording interval: every pair's interval histogram
 *       goes to the {@link IntervalSink} (the .hlog writer) and becomes the snapshot's "last
 *       interval". A caller that only ever calls {@link #sample} gets exactly the intervals it got
 *       before the live view existed: one per call, the same counts and time stamps.
 *   <li>{@link #sampleLive} (the display cadence, only while a window shows the numbers) folds
 *       without closing: the cumulative numbers are as fresh as the fold, the "last interval" stays
 *       the last closed one, and the recording interval keeps growing until the next {@link
 *       #sample}. So .hlog files keep their interval length whatever the display rate, and their
 *       counts are the same: a recording interval is the sum of its folds.
 * </ul>
 *
 * <p>A snapshot recomputes summaries and bucket copies only for pairs that changed since the
 * previous snapshot; the others are carried over. Each snapshot carries the kernel time stamp of
 * the newest sample folded in ({@link Snapshot#newestEventNs}).
 *
 * <p><b>Single thread:</b> one sampler thread calls {@link #sample}, {@link #sampleLive}, {@link
 * #resetCumulative} and the cumulative accessors.
 */
public final class Sampler {
    private static final long SECOND_NS = 1_000_000_000L;

    /**
     * The drawing bucket of every counts-array index (where HdrHistogram reports its values: the
     * highest value of the sub-bucket). A table, not a binary search per value: the fold runs at
     * the display rate, and the search was a third of the sampler thread's time (JFR).
     */
    private static final byte[] BUCKET_OF_INDEX = new byte[HdrLayout.LENGTH];

    static {
        for (int i = 0; i < HdrLayout.LENGTH; i++) {
            BUCKET_OF_INDEX[i] = (byte) LatencyBuckets.bucketOf(HdrLayout.highestValue(i));
        }
    }

    private final LongSupplier nanoClock;
    private final LatencyRecorders recorders;
    private final RingStats stats;
    private final IntervalSink sink;
    private final int rings;

    /** Per kind and ring: the recording interval being accumulated, recycled at every close. */
    private final Histogram[][] pending;

    /** Per kind: the recording interval merged over the rings. */
    private final Histogram[] mergedPending;

    /** Bucket counts of the recording interval per kind, ring (index {@code rings} = merged). */
    private final long[][][] pendingBuckets;

    private final Histogram[][] cumulative;
    private final Histogram[] mergedCumulative;

    /** Per kind: everything merged since the current second opened. */
    private final Histogram[] second;

    /** Per kind: p99 and count of the closed seconds, circular. */
    private final long[][] secondP99Ns;

    private final long[][] secondCounts;
    private int secondsClosed;

    /**
     * Per kind: the series last built and how many seconds were closed then (-1: none), so that a
     * snapshot per display frame does not copy 60 seconds per kind when no second closed.
     */
    private final P99Series[] lastSeries = new P99Series[Kind.COUNT];

    private final int[] lastSeriesClosed = new int[Kind.COUNT];
    private long secondStartNs;

    /** Cumulative bucket counts per kind, ring (index {@code rings} = merged); updated in place. */
    private final long[][][] cumulativeBuckets;

    /** Per kind and ring (index {@code rings} = merged): folded into since the last snapshot. */
    private final boolean[][] changed;

    private final BucketCounts[][] lastCumulativeBuckets;
    private final LatencySummary[][] lastCumulativeSummary;

    /** The last closed recording interval, per kind and ring (index {@code rings} = merged). */
    private final BucketCounts[][] lastIntervalBuckets;

    private final LatencySummary[][] lastIntervalSummary;

    private final Fold fold = new Fold();

    /** The session's start: the first sample, or the last {@link #resetCumulative}. */
    private long startNs;

    /** When the last recording interval closed, and how long it was. */
    private long lastCloseNs;

    private long lastIntervalNs;

    /** Wall-clock start of the recording interval being accumulated (ms since the epoch). */
    private long recordingStartMs;

    private long newestEventNs;
    private long sequence;

    /** Receives every interval histogram before it is recycled (sampler thread). */
    @FunctionalInterface
    public interface IntervalSink {
        void onInterval(Kind kind, int ring, Histogram interval);

        /**
         * After the last {@link #onInterval} of one {@link Sampler#sample}: every pair of it was
         * seen.
         */
        default void onSampleEnd() {}

        IntervalSink NONE = (k, r, h) -> {};
    }

    public Sampler(LatencyRecorders recorders, RingStats stats, IntervalSink sink) {
        this(recorders, stats, sink, System::nanoTime);
    }

    /** With a clock of our own: tests close seconds of the p99 strip without waiting for them. */
    Sampler(
            LatencyRecorders recorders,
            RingStats stats,
            IntervalSink sink,
            LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.recorders = recorders;
        this.stats = stats;
        this.sink = sink;
        this.rings = recorders.ringCount();
        this.pending = new Histogram[Kind.COUNT][rings];
        this.mergedPending = new Histogram[Kind.COUNT];
        this.pendingBuckets = new long[Kind.COUNT][rings + 1][LatencyBuckets.COUNT];
        this.cumulative = new Histogram[Kind.COUNT][rings];
        this.mergedCumulative = new Histogram[Kind.COUNT];
        this.second = new Histogram[Kind.COUNT];
        this.secondP99Ns = new long[Kind.COUNT][P99Series.SECONDS];
        this.secondCounts = new long[Kind.COUNT][P99Series.SECONDS];
        this.cumulativeBuckets = new long[Kind.COUNT][rings + 1][LatencyBuckets.COUNT];
        this.changed = new boolean[Kind.COUNT][rings + 1];
        this.lastCumulativeBuckets = new BucketCounts[Kind.COUNT][rings + 1];
        this.lastCumulativeSummary = new LatencySummary[Kind.COUNT][rings + 1];
        this.lastIntervalBuckets = new BucketCounts[Kind.COUNT][rings + 1];
        this.lastIntervalSummary = new LatencySummary[Kind.COUNT][rings + 1];
        for (Kind k : Kind.values()) {
            int ki = k.wireId();
            mergedPending[ki] = LatencyRecorders.newHistogram();
            mergedCumulative[ki] = LatencyRecorders.newHistogram();
            second[ki] = LatencyRecorders.newHistogram();
            for (int r = 0; r < rings; r++) {
                pending[ki][r] = LatencyRecorders.newHistogram();
                cumulative[ki][r] = LatencyRecorders.newHistogram();
            }
            Arrays.fill(lastCumulativeBuckets[ki], BucketCounts.EMPTY);
            Arrays.fill(lastCumulativeSummary[ki], LatencySummary.EMPTY);
            Arrays.fill(lastIntervalBuckets[ki], BucketCounts.EMPTY);
            Arrays.fill(lastIntervalSummary[ki], LatencySummary.EMPTY);
        }
        this.startNs = nanoClock.getAsLong();
        this.lastCloseNs = startNs;
        this.secondStartNs = startNs;
        this.recordingStartMs = recorders.takenIntervalEndMs();
        Arrays.fill(lastSeriesClosed, -1);
    }

    /**
     * Closes the recording interval (to the {@link IntervalSink}: one interval histogram per pair)
     * and returns the snapshot, whose "last interval" is that interval.
     */
    public Snapshot sample() {
        long now = nanoClock.getAsLong();
        foldRecorders();
        long[] lost = lost();
        long lostTotal = sum(lost);
        long endMs = recorders.takenIntervalEndMs();
        for (Kind k : Kind.values()) {
            int ki = k.wireId();
            for (int r = 0; r <= rings; r++) {
                Histogram h = r < rings ? pending[ki][r] : mergedPending[ki];
                if (r < rings) {
                    h.setStartTimeStamp(recordingStartMs);
                    h.setEndTimeStamp(endMs);
                    sink.onInterval(k, r, h);
                }
                lastIntervalSummary[ki][r] = LatencySummary.of(h, r < rings ? lost[r] : lostTotal);
                lastIntervalBuckets[ki][r] =
                        h.getTotalCount() == 0
                                ? BucketCounts.EMPTY
                                : BucketCounts.of(pendingBuckets[ki][r]);
                if (h.getTotalCount() != 0) {
                    h.reset(); // clears all 27,000 counts: only for the pairs that had values
                    Arrays.fill(pendingBuckets[ki][r], 0);
                }
            }
        }
        sink.onSampleEnd();
        recordingStartMs = endMs;
        lastIntervalNs = now - lastCloseNs;
        lastCloseNs = now;
        return snapshot(now, lost, lostTotal);
    }

    /**
     * Folds what was recorded since the last call into the cumulative numbers and returns the
     * snapshot, without closing the recording interval: the window's display-rate update.
     */
    public Snapshot sampleLive() {
        long now = nanoClock.getAsLong();
        foldRecorders();
        long[] lost = lost();
        return snapshot(now, lost, sum(lost));
    }

    private void foldRecorders() {
        recorders.takeInterval();
        newestEventNs = Math.max(newestEventNs, recorders.takenNewestEndNs());
        for (Kind k : Kind.values()) {
            int ki = k.wireId();
            for (int r = 0; r < rings; r++) {
                fold.pair(ki, r);
                if (recorders.foldInterval(r, k, fold) != 0) {
                    changed[ki][r] = true;
                    changed[ki][rings] = true;
                }
            }
        }
    }

    /** One pair's fold: every value goes to all the histograms and buckets it counts in. */
    private final class Fold implements LatencyRecorders.CountVisitor {
        private Histogram pendingPair;
        private Histogram cumulativePair;
        private Histogram pendingMerged;
        private Histogram cumulativeMerged;
        private Histogram secondMerged;
        private long[] pendingPairBuckets;
        private long[] pendingMergedBuckets;
        private long[] cumulativePairBuckets;
        private long[] cumulativeMergedBuckets;

        void pair(int ki, int r) {
            pendingPair = pending[ki][r];
            cumulativePair = cumulative[ki][r];
            pendingMerged = mergedPending[ki];
            cumulativeMerged = mergedCumulative[ki];
            secondMerged = second[ki];
            pendingPairBuckets = pendingBuckets[ki][r];
            pendingMergedBuckets = pendingBuckets[ki][rings];
            cumulativePairBuckets = cumulativeBuckets[ki][r];
            cumulativeMergedBuckets = cumulativeBuckets[ki][rings];
        }

        @Override
        public void add(int index, long count) {
            // The value HdrHistogram's recordValue would have counted at this index.
            long v = HdrLayout.lowestValue(index);
            pendingPair.recordValueWithCount(v, count);
            cumulativePair.recordValueWithCount(v, count);
            pendingMerged.recordValueWithCount(v, count);
            cumulativeMerged.recordValueWithCount(v, count);
            secondMerged.recordValueWithCount(v, count);
            int b = BUCKET_OF_INDEX[index];
            pendingPairBuckets[b] += count;
            pendingMergedBuckets[b] += count;
            cumulativePairBuckets[b] += count;
            cumulativeMergedBuckets[b] += count;
        }
    }

    private long[] lost() {
        long[] lost = new long[rings];
        for (int r = 0; r < rings; r++) {
            lost[r] = stats.lost(r);
        }
        return lost;
    }

    private static long sum(long[] values) {
        long t = 0;
        for (long v : values) {
            t += v;
        }
        return t;
    }

    private Snapshot snapshot(long now, long[] lost, long lostTotal) {
        Map<Kind, Snapshot.KindView> views = new EnumMap<>(Kind.class);
        List<Long> lostList = new ArrayList<>(rings);
        List<Long> emitted = new ArrayList<>(rings);
        List<Long> consumed = new ArrayList<>(rings);
        for (int r = 0; r < rings; r++) {
            lostList.add(lost[r]);
            emitted.add(stats.emitted(r));
            consumed.add(stats.consumed(r));
        }
        boolean closeSecond = now - secondStartNs >= SECOND_NS;
        int closedAfter = secondsClosed + (closeSecond ? 1 : 0);
        for (Kind k : Kind.values()) {
            int ki = k.wireId();
            List<LatencySummary> ringInterval = new ArrayList<>(rings);
            List<LatencySummary> ringCumulative = new ArrayList<>(rings);
            List<BucketCounts> ringIntervalBuckets = new ArrayList<>(rings);
            List<BucketCounts> ringCumulativeBuckets = new ArrayList<>(rings);
            for (int r = 0; r <= rings; r++) {
                long l = r < rings ? lost[r] : lostTotal;
                if (changed[ki][r]) {
                    changed[ki][r] = false;
                    Histogram c = r < rings ? cumulative[ki][r] : mergedCumulative[ki];
                    lastCumulativeSummary[ki][r] = LatencySummary.of(c, l);
                    lastCumulativeBuckets[ki][r] = BucketCounts.of(cumulativeBuckets[ki][r]);
                } else {
                    lastCumulativeSummary[ki][r] = withLost(lastCumulativeSummary[ki][r], l);
                }
                lastIntervalSummary[ki][r] = withLost(lastIntervalSummary[ki][r], l);
                if (r < rings) {
                    ringInterval.add(lastIntervalSummary[ki][r]);
                    ringCumulative.add(lastCumulativeSummary[ki][r]);
                    ringIntervalBuckets.add(lastIntervalBuckets[ki][r]);
                    ringCumulativeBuckets.add(lastCumulativeBuckets[ki][r]);
                }
            }
            if (closeSecond) {
                int slot = secondsClosed % P99Series.SECONDS;
                long n = second[ki].getTotalCount();
                secondP99Ns[ki][slot] =
                        n == 0 ? LatencySummary.NONE : second[ki].getValueAtPercentile(99.0);
                secondCounts[ki][slot] = n;
                if (n > 0) {
                    second[ki].reset();
                }
            }
            views.put(
                    k,
                    new Snapshot.KindView(
                            lastIntervalSummary[ki][rings],
                            lastCumulativeSummary[ki][rings],
                            ringInterval,
                            ringCumulative,
                            lastIntervalBuckets[ki][rings],
                            lastCumulativeBuckets[ki][rings],
                            ringIntervalBuckets,
                            ringCumulativeBuckets,
                            series(ki, closedAfter)));
        }
        if (closeSecond) {
            secondsClosed++;
            // After a stall (e.g. the sampler paused) start the next second now rather than
            // catching up.
            secondStartNs = now - secondStartNs >= 2 * SECOND_NS ? now : secondStartNs + SECOND_NS;
        }
        return new Snapshot(
                sequence++,
                lastIntervalNs,
                now - startNs,
                views,
                emitted,
                lostList,
                consumed,
                newestEventNs);
    }

    private P99Series series(int ki, int closed) {
        if (lastSeriesClosed[ki] != closed) {
            lastSeries[ki] = buildSeries(ki, closed);
            lastSeriesClosed[ki] = closed;
        }
        return lastSeries[ki];
    }

    private P99Series buildSeries(int ki, int closed) {
        int n = Math.min(closed, P99Series.SECONDS);
        long[] p99 = new long[n];
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            int slot = (closed - n + i) % P99Series.SECONDS;
            p99[i] = secondP99Ns[ki][slot];
            counts[i] = secondCounts[ki][slot];
        }
        return P99Series.of(p99, counts);
    }

    private static LatencySummary withLost(LatencySummary s, long lost) {
        return s.lost() == lost
                ? s
                : new LatencySummary(
                        s.count(), lost, s.p50Ns(), s.p90Ns(), s.p99Ns(), s.p999Ns(), s.maxNs());
    }

    /**
     * Starts a new session: from the next {@link #sample} on, the cumulative histograms, bucket
     * counts and the p99-per-second series hold only what is recorded after this call (a new target
     * must not show the previous target's samples under its name). Intervals, the sink and the ring
     * counters go on as before. Sampler thread only.
     */
    public void resetCumulative() {
        for (Kind k : Kind.values()) {
            int ki = k.wireId();
            mergedCumulative[ki].reset();
            second[ki].reset();
            Arrays.fill(secondP99Ns[ki], 0);
            Arrays.fill(secondCounts[ki], 0);
            for (int r = 0; r < rings; r++) {
                cumulative[ki][r].reset();
            }
            for (long[] b : cumulativeBuckets[ki]) {
                Arrays.fill(b, 0);
            }
            Arrays.fill(changed[ki], false);
            Arrays.fill(lastCumulativeBuckets[ki], BucketCounts.EMPTY);
            Arrays.fill(lastCumulativeSummary[ki], LatencySummary.EMPTY);
        }
        secondsClosed = 0;
        Arrays.fill(lastSeriesClosed, -1);
        long now = nanoClock.getAsLong();
        secondStartNs = now;
        startNs = now;
    }

    /**
     * Everything recorded for (kind, ring) up to the last {@link #sample} or {@link #sampleLive}.
     * Do not modify.
     */
    public Histogram cumulative(Kind kind, int ring) {
        return cumulative[kind.wireId()][ring];
    }

    /**
     * Everything recorded for a kind in all rings up to the last {@link #sample} or {@link
     * #sampleLive}. Do not modify.
     */
    public Histogram mergedCumulative(Kind kind) {
        return mergedCumulative[kind.wireId()];
    }
}
