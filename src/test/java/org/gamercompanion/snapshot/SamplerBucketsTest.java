package org.gamercompanion.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SamplerBucketsTest {
    @Test
    void bucketEdgesAreLogSpacedAndCoverTheAxis() {
        assertThat(LatencyBuckets.lowerEdgeNs(0)).isEqualTo(100);
        assertThat(LatencyBuckets.lowerEdgeNs(LatencyBuckets.PER_DECADE)).isEqualTo(1_000);
        assertThat(LatencyBuckets.upperEdgeNs(LatencyBuckets.COUNT - 1)).isEqualTo(10_000_000_000L);
        assertThat(LatencyBuckets.bucketOf(1)).isZero();
        assertThat(LatencyBuckets.bucketOf(1_000)).isEqualTo(LatencyBuckets.PER_DECADE);
        assertThat(LatencyBuckets.bucketOf(999)).isEqualTo(LatencyBuckets.PER_DECADE - 1);
        assertThat(LatencyBuckets.bucketOf(60_000_000_000L)).isEqualTo(LatencyBuckets.COUNT - 1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 20261127})
    void bucketCountsAddUpToTheHistogramAndLandNearTheValue(long seed) {
        Random rnd = new Random(seed);
        Histogram h = LatencyRecorders.newHistogram();
        long[] expected = new long[LatencyBuckets.COUNT];
        for (int i = 0; i < 5000; i++) {
            long v = (long) Math.pow(10, 2 + rnd.nextDouble() * 7);
            h.recordValue(v);
            expected[LatencyBuckets.bucketOf(v)]++;
        }
        long[] counts = new long[LatencyBuckets.COUNT];
        LatencyBuckets.addTo(counts, h);
        long total = 0;
        long moved = 0;
        for (int i = 0; i < counts.length; i++) {
            total += counts[i];
            moved += Math.abs(counts[i] - expected[i]);
        }
        assertThat(total).isEqualTo(5000);
        // HdrHistogram keeps 3 digits: only values within 0.1% of a bucket edge may change bucket.
        assertThat(moved).isLessThan(5000 / 50);
    }

    @Test
    void snapshotsCarryIntervalAndCumulativeBucketsMergedAndPerRing() {
        LatencyRecorders rec = new LatencyRecorders(16);
        Sampler sampler = new Sampler(rec, RingStats.NONE, Sampler.IntervalSink.NONE);
        rec.record(2, Kind.WAKEUP_TO_RUN.wireId(), 5_000);
        rec.record(9, Kind.WAKEUP_TO_RUN.wireId(), 5_000);
        sampler.sample();
        rec.record(2, Kind.WAKEUP_TO_RUN.wireId(), 50_000);
        Snapshot s = sampler.sample();
        Snapshot.KindView v = s.kind(Kind.WAKEUP_TO_RUN);
        assertThat(v.mergedIntervalBuckets().total()).isEqualTo(1);
        assertThat(v.mergedCumulativeBuckets().total()).isEqualTo(3);
        assertThat(v.mergedCumulativeBuckets().count(LatencyBuckets.bucketOf(5_000))).isEqualTo(2);
        assertThat(v.ringCumulativeBuckets().get(2).total()).isEqualTo(2);
        assertThat(v.ringCumulativeBuckets().get(9).total()).isEqualTo(1);
        assertThat(v.ringIntervalBuckets().get(9).total()).isZero();
        assertThat(v.ringCumulative().get(9).count()).isEqualTo(1);
        assertThat(s.kind(Kind.INPUT_TO_RUN).mergedCumulativeBuckets())
                .isEqualTo(BucketCounts.EMPTY);
    }

    @Test
    void p99SeriesGetsOneEntryPerClosedSecond() {
        LatencyRecorders rec = new LatencyRecorders(16);
        long[] nowNs = {1_000_000_000L};
        Sampler sampler =
                new Sampler(rec, RingStats.NONE, Sampler.IntervalSink.NONE, () -> nowNs[0]);
        assertThat(sampler.sample().kind(Kind.INPUT_TO_RUN).p99PerSecond().size()).isZero();
        for (int i = 0; i < 100; i++) {
            rec.record(0, Kind.INPUT_TO_RUN.wireId(), 10_000 + i);
        }
        sampler.sample();
        // A second of the sampler's clock has to pass for a second to close.
        nowNs[0] += 1_050_000_000L;
        Snapshot s = sampler.sample();
        P99Series p = s.kind(Kind.INPUT_TO_RUN).p99PerSecond();
        assertThat(p.size()).isEqualTo(1);
        assertThat(p.count(0)).isEqualTo(100);
        assertThat(p.p99Ns(0)).isBetween(10_090L, 10_110L);
        assertThat(s.kind(Kind.PREEMPT_TO_RUN).p99PerSecond().p99Ns(0))
                .isEqualTo(LatencySummary.NONE);
    }
}
