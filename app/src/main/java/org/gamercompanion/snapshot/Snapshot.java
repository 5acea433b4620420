package org.gamercompanion.snapshot;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.gamercompanion.recorder.Kind;

/**
 * An immutable view of every histogram at one moment: for each kind, the last interval and the
 * whole recording so far, per ring and merged, plus the ring counters. Built off the display thread
 * by {@link Sampler}; safe to hand to any thread.
 *
 * @param sequence increases by one per snapshot
 * @param intervalNs length of the interval the interval summaries cover
 * @param elapsedNs time since recording started
 * @param kinds per kind: the interval and cumulative summaries
 * @param emitted records the BPF side submitted, per ring
 * @param lost records the BPF side could not reserve (ring full), per ring
 * @param consumed records the Java reader consumed, per ring
 * @param newestEventNs the kernel time stamp ({@code CLOCK_MONOTONIC} ns, the {@code sched_switch}
 *     that ended it) of the newest sample folded into this snapshot or an earlier one of the same
 *     capture; 0 before the first. How fresh the snapshot is: the GUI benchmark measures event to
 *     pixel from it.
 */
public record Snapshot(
        long sequence,
        long intervalNs,
        long elapsedNs,
        Map<Kind, KindView> kinds,
        List<Long> emitted,
        List<Long> lost,
        List<Long> consumed,
        long newestEventNs) {

    public Snapshot {
        kinds = Collections.unmodifiableMap(new EnumMap<>(kinds));
        emitted = List.copyOf(emitted);
        lost = List.copyOf(lost);
        consumed = List.copyOf(consumed);
    }

    /**
     * One kind's summaries, and what drawing needs: counts per {@link LatencyBuckets} bucket
     * (interval and cumulative, merged and per ring) and the p99 of each of the last 60 seconds.
     * Lists are indexed by ring.
     */
    public record KindView(
            LatencySummary mergedInterval,
            LatencySummary mergedCumulative,
            List<LatencySummary> ringInterval,
            List<LatencySummary> ringCumulative,
            BucketCounts mergedIntervalBuckets,
            BucketCounts mergedCumulativeBuckets,
            List<BucketCounts> ringIntervalBuckets,
            List<BucketCounts> ringCumulativeBuckets,
            P99Series p99PerSecond) {
        public KindView {
            ringInterval = List.copyOf(ringInterval);
            ringCumulative = List.copyOf(ringCumulative);
            ringIntervalBuckets = List.copyOf(ringIntervalBuckets);
            ringCumulativeBuckets = List.copyOf(ringCumulativeBuckets);
        }

        /** Summaries only (no buckets, no series): replays and tests that do not draw. */
        public KindView(
                LatencySummary mergedInterval,
                LatencySummary mergedCumulative,
                List<LatencySummary> ringInterval,
                List<LatencySummary> ringCumulative) {
            this(
                    mergedInterval,
                    mergedCumulative,
                    ringInterval,
                    ringCumulative,
                    BucketCounts.EMPTY,
                    BucketCounts.EMPTY,
                    Collections.nCopies(ringInterval.size(), BucketCounts.EMPTY),
                    Collections.nCopies(ringCumulative.size(), BucketCounts.EMPTY),
                    P99Series.EMPTY);
        }
    }

    public KindView kind(Kind kind) {
        return kinds.get(kind);
    }

    public long emittedTotal() {
        return emitted.stream().mapToLong(Long::longValue).sum();
    }

    public long lostTotal() {
        return lost.stream().mapToLong(Long::longValue).sum();
    }

    public long consumedTotal() {
        return consumed.stream().mapToLong(Long::longValue).sum();
    }
}
