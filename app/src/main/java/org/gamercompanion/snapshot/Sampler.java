package org.gamercompanion.snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;

/**
 * Turns the live recorders into {@link Snapshot}s.
 *
 * <p>Each {@link #sample} ends the recorders' interval ({@link LatencyRecorders#takeInterval}) and
 * takes every (ring, kind) pair's interval histogram, recycling the one returned last time (no
 * allocation for histograms in steady state), adds it to the cumulative histograms, hands it to the
 * {@link IntervalSink} (the .hlog writer), and builds a snapshot of small immutable summaries,
 * {@link LatencyBuckets} counts for drawing and the p99-per-second series ({@link P99Series}).
 *
 * <p>Empty interval histograms (rings no watched thread ran on) cost no histogram walk: their
 * cumulative summaries and bucket counts are carried over from the previous snapshot.
 *
 * <p><b>Single thread:</b> one sampler thread calls {@link #sample} and the cumulative accessors.
 */
public final class Sampler {
    private static final long SECOND_NS = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private final LatencyRecorders recorders;
    private final RingStats stats;
    private final IntervalSink sink;
    private final int rings;
    private final Histogram[][] interval;
    private final Histogram[][] cumulative;
    private final Histogram[] mergedInterval;
    private final Histogram[] mergedCumulative;

    /** Per kind: everything merged since the current second opened. */
    private final Histogram[] second;

    /** Per kind: p99 and count of the closed seconds, circular. */
    private final long[][] secondP99Ns;

    private final long[][] secondCounts;
    private int secondsClosed;
    private long secondStartNs;

    /** Cumulative bucket counts per kind, ring (index {@code rings} = merged); updated in place. */
    private final long[][][] cumulativeBuckets;

    private final BucketCounts[][] lastCumulativeBuckets;
    private final LatencySummary[][] lastCumulativeSummary;
    private final long[] scratch = new long[LatencyBuckets.COUNT];

    /** The session's start: the first sample, or the last {@link #resetCumulative}. */
    private long startNs;

    private long lastNs;
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
        this.interval = new Histogram[Kind.COUNT][rings];
        this.cumulative = new Histogram[Kind.COUNT][rings];
        this.mergedInterval = new Histogram[Kind.COUNT];
        this.mergedCumulative = new Histogram[Kind.COUNT];
        this.second = new Histogram[Kind.COUNT];
        this.secondP99Ns = new long[Kind.COUNT][P99Series.SECONDS];
        this.secondCounts = new long[Kind.COUNT][P99Series.SECONDS];
        this.cumulativeBuckets = new long[Kind.COUNT][rings + 1][LatencyBuckets.COUNT];
        this.lastCumulativeBuckets = new BucketCounts[Kind.COUNT][rings + 1];
        this.lastCumulativeSummary = new LatencySummary[Kind.COUNT][rings + 1];
        for (Kind k : Kind.values()) {
            int ki = k.wireId();
            mergedInterval[ki] = LatencyRecorders.newHistogram();
            mergedCumulative[ki] = LatencyRecorders.newHistogram();
            second[ki] = LatencyRecorders.newHistogram();
            for (int r = 0; r < rings; r++) {
                cumulative[ki][r] = LatencyRecorders.newHistogram();
            }
            Arrays.fill(lastCumulativeBuckets[ki], BucketCounts.EMPTY);
            Arrays.fill(lastCumulativeSummary[ki], LatencySummary.EMPTY);
        }
        this.startNs = nanoClock.getAsLong();
        this.lastNs = startNs;
        this.secondStartNs = startNs;
    }

    /** Takes the interval since the previous call and returns the snapshot. */
    public Snapshot sample() {
        long now = nanoClock.getAsLong();
        Map<Kind, Snapshot.KindView> views = new EnumMap<>(Kind.class);
        List<Long> lost = new ArrayList<>(rings);
        List<Long> emitted = new ArrayList<>(rings);
        List<Long> consumed = new ArrayList<>(rings);
        for (int r = 0; r < rings; r++) {
            lost.add(stats.lost(r));
            emitted.add(stats.emitted(r));
            consumed.add(stats.consumed(r));
        }
        long lostTotal = lost.stream().mapToLong(Long::longValue).sum();
        boolean closeSecond = now - secondStartNs >= SECOND_NS;
        recorders.takeInterval();
        int closedAfter = secondsClosed + (closeSecond ? 1 : 0);
        for (Kind k : Kind.values()) {
            int ki = k.wireId();
            mergedInterval[ki].reset();
            List<LatencySummary> ringInterval = new ArrayList<>(rings);
            List<LatencySummary> ringCumulative = new ArrayList<>(rings);
            List<BucketCounts> ringIntervalBuckets = new ArrayList<>(rings);
            List<BucketCounts> ringCumulativeBuckets = new ArrayList<>(rings);
            for (int r = 0; r < rings; r++) {
                Histogram h = recorders.intervalHistogram(r, k, interval[ki][r]);
                interval[ki][r] = h;
                sink.onInterval(k, r, h);
                ringInterval.add(LatencySummary.of(h, lost.get(r)));
                if (h.getTotalCount() == 0) {
                    ringIntervalBuckets.add(BucketCounts.EMPTY);
                    ringCumulative.add(withLost(lastCumulativeSummary[ki][r], lost.get(r)));
                } else {
                    cumulative[ki][r].add(h);
                    mergedInterval[ki].add(h);
                    Arrays.fill(scratch, 0);
                    LatencyBuckets.addTo(scratch, h);
                    ringIntervalBuckets.add(BucketCounts.of(scratch));
                    addInto(cumulativeBuckets[ki][r], scratch);
                    lastCumulativeBuckets[ki][r] = BucketCounts.of(cumulativeBuckets[ki][r]);
                    LatencySummary c = LatencySummary.of(cumulative[ki][r], lost.get(r));
                    lastCumulativeSummary[ki][r] = c;
                    ringCumulative.add(c);
                }
                ringCumulativeBuckets.add(lastCumulativeBuckets[ki][r]);
            }
            BucketCounts mergedIntervalBuckets = BucketCounts.EMPTY;
            LatencySummary mergedCumulativeSummary;
            if (mergedInterval[ki].getTotalCount() == 0) {
                mergedCumulativeSummary = withLost(lastCumulativeSummary[ki][rings], lostTotal);
            } else {
                mergedCumulative[ki].add(mergedInterval[ki]);
                second[ki].add(mergedInterval[ki]);
                long[] merged = new long[LatencyBuckets.COUNT];
                for (BucketCounts b : ringIntervalBuckets) {
                    for (int i = 0; i < merged.length; i++) {
                        merged[i] += b.count(i);
                    }
                }
                mergedIntervalBuckets = BucketCounts.of(merged);
                addInto(cumulativeBuckets[ki][rings], merged);
                lastCumulativeBuckets[ki][rings] = BucketCounts.of(cumulativeBuckets[ki][rings]);
                mergedCumulativeSummary = LatencySummary.of(mergedCumulative[ki], lostTotal);
                lastCumulativeSummary[ki][rings] = mergedCumulativeSummary;
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
                            LatencySummary.of(mergedInterval[ki], lostTotal),
                            mergedCumulativeSummary,
                            ringInterval,
                            ringCumulative,
                            mergedIntervalBuckets,
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
        sink.onSampleEnd();
        Snapshot s =
                new Snapshot(
                        sequence++, now - lastNs, now - startNs, views, emitted, lost, consumed);
        lastNs = now;
        return s;
    }

    private P99Series series(int ki, int closed) {
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

    private static void addInto(long[] target, long[] add) {
        for (int i = 0; i < target.length; i++) {
            target[i] += add[i];
        }
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
            Arrays.fill(lastCumulativeBuckets[ki], BucketCounts.EMPTY);
            Arrays.fill(lastCumulativeSummary[ki], LatencySummary.EMPTY);
        }
        secondsClosed = 0;
        long now = nanoClock.getAsLong();
        secondStartNs = now;
        startNs = now;
    }

    /** Everything recorded for (kind, ring) up to the last {@link #sample}. Do not modify. */
    public Histogram cumulative(Kind kind, int ring) {
        return cumulative[kind.wireId()][ring];
    }

    /**
     * Everything recorded for a kind in all rings up to the last {@link #sample}. Do not modify.
     */
    public Histogram mergedCumulative(Kind kind) {
        return mergedCumulative[kind.wireId()];
    }
}
