package org.gamercompanion.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.junit.jupiter.api.Test;

class SamplerTest {
    /**
     * The seam between the live view and recording: folding at the display rate between two samples
     * hands the sink the same interval histograms (equal, byte-identical encodings) as sampling
     * alone, and the same cumulative numbers.
     */
    @Test
    void liveFoldsBetweenSamplesLeaveEveryRecordedIntervalAsSampleAloneWritesIt() {
        LatencyRecorders plainRec = new LatencyRecorders(16);
        LatencyRecorders liveRec = new LatencyRecorders(16);
        List<byte[]> plainIntervals = new ArrayList<>();
        List<byte[]> liveIntervals = new ArrayList<>();
        List<Histogram> plainCopies = new ArrayList<>();
        List<Histogram> liveCopies = new ArrayList<>();
        // A stopped clock: the p99 strip's seconds would otherwise close at different folds.
        Sampler plain =
                new Sampler(
                        plainRec, RingStats.NONE, collect(plainIntervals, plainCopies), () -> 0L);
        Sampler live =
                new Sampler(liveRec, RingStats.NONE, collect(liveIntervals, liveCopies), () -> 0L);
        Random random = new Random(12);
        Snapshot plainLast = null;
        Snapshot liveLast = null;
        for (int close = 0; close < 8; close++) {
            for (int tick = 0; tick < 15; tick++) {
                for (int i = random.nextInt(200); i > 0; i--) {
                    int ring = random.nextInt(16);
                    int kind = random.nextInt(Kind.COUNT);
                    long ns =
                            random.nextInt(10) == 0
                                    ? random.nextLong(LatencyRecorders.HIGHEST_TRACKABLE_NS * 2)
                                    : random.nextLong(1, 5_000_000);
                    plainRec.record(ring, kind, ns);
                    liveRec.record(ring, kind, ns);
                }
                liveLast = live.sampleLive();
            }
            plainLast = plain.sample();
            liveLast = live.sample();
        }
        assertThat(liveIntervals).hasSameSizeAs(plainIntervals).hasSize(8 * 16 * Kind.COUNT);
        assertThat(liveCopies).isEqualTo(plainCopies);
        for (int i = 0; i < plainIntervals.size(); i++) {
            assertThat(liveIntervals.get(i)).as("interval %d", i).isEqualTo(plainIntervals.get(i));
        }
        assertThat(liveLast.kinds()).isEqualTo(plainLast.kinds());
    }

    /** Copies and encodes every interval the sink sees (the sampler recycles the histograms). */
    private static Sampler.IntervalSink collect(List<byte[]> encodings, List<Histogram> copies) {
        return (k, r, h) -> {
            ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            int n = h.encodeIntoCompressedByteBuffer(b);
            encodings.add(Arrays.copyOf(b.array(), n));
            copies.add(h.copy());
        };
    }

    @Test
    void aLiveSnapshotShowsNewSamplesAtOnceAndKeepsTheLastClosedInterval() {
        LatencyRecorders rec = new LatencyRecorders(16);
        List<Histogram> handed = new ArrayList<>();
        Sampler sampler = new Sampler(rec, RingStats.NONE, (k, r, h) -> handed.add(h.copy()));
        rec.record(1, Kind.WAKEUP_TO_RUN.wireId(), 4_000);
        Snapshot closed = sampler.sample();
        handed.clear();
        rec.record(1, Kind.WAKEUP_TO_RUN.wireId(), 8_000);
        rec.record(0, Kind.WAKEUP_TO_RUN.wireId(), 8_000);
        Snapshot live = sampler.sampleLive();
        Snapshot.KindView v = live.kind(Kind.WAKEUP_TO_RUN);
        assertThat(v.mergedCumulative().count()).isEqualTo(3);
        assertThat(v.ringCumulative().get(1).count()).isEqualTo(2);
        assertThat(v.mergedCumulativeBuckets().total()).isEqualTo(3);
        assertThat(v.mergedInterval())
                .as("the last closed interval, not the open one")
                .isEqualTo(closed.kind(Kind.WAKEUP_TO_RUN).mergedInterval());
        assertThat(handed).as("a live snapshot writes no interval").isEmpty();
        Snapshot next = sampler.sample();
        assertThat(next.kind(Kind.WAKEUP_TO_RUN).mergedInterval().count())
                .as("the closed interval holds what the live fold took")
                .isEqualTo(2);
        assertThat(next.kind(Kind.WAKEUP_TO_RUN).mergedIntervalBuckets().total()).isEqualTo(2);
    }

    @Test
    void theNewestKernelTimeStampTravelsWithTheSnapshots() {
        LatencyRecorders rec = new LatencyRecorders(16);
        Sampler sampler = new Sampler(rec, RingStats.NONE, Sampler.IntervalSink.NONE);
        assertThat(sampler.sampleLive().newestEventNs()).isZero();
        rec.beginBatch();
        rec.record(2, Kind.INPUT_TO_RUN.wireId(), 1_000);
        rec.noteNewestEndNs(5_000_000);
        rec.noteNewestEndNs(4_000_000); // an older one noted later does not win
        rec.endBatch();
        assertThat(sampler.sampleLive().newestEventNs()).isEqualTo(5_000_000);
        assertThat(sampler.sample().newestEventNs())
                .as("nothing newer folded: the newest so far")
                .isEqualTo(5_000_000);
        rec.beginBatch();
        rec.noteNewestEndNs(9_000_000);
        rec.endBatch();
        assertThat(sampler.sampleLive().newestEventNs()).isEqualTo(9_000_000);
    }

    @Test
    void intervalsResetAndCumulativeAccumulates() {
        LatencyRecorders rec = new LatencyRecorders(16);
        Sampler sampler = new Sampler(rec, RingStats.NONE, Sampler.IntervalSink.NONE);
        rec.record(3, Kind.INPUT_TO_RUN.wireId(), 5_000);
        rec.record(3, Kind.INPUT_TO_RUN.wireId(), 7_000);
        Snapshot first = sampler.sample();
        rec.record(3, Kind.INPUT_TO_RUN.wireId(), 9_000);
        Snapshot second = sampler.sample();
        assertThat(first.kind(Kind.INPUT_TO_RUN).ringInterval().get(3).count()).isEqualTo(2);
        assertThat(second.kind(Kind.INPUT_TO_RUN).ringInterval().get(3).count()).isEqualTo(1);
        assertThat(second.kind(Kind.INPUT_TO_RUN).ringCumulative().get(3).count()).isEqualTo(3);
        assertThat(second.kind(Kind.INPUT_TO_RUN).mergedCumulative().maxNs())
                .isBetween(8_990L, 9_010L);
        assertThat(second.sequence()).isEqualTo(first.sequence() + 1);
    }

    @Test
    void emptyHistogramsHaveNoPercentilesRatherThanZero() {
        Snapshot s =
                new Sampler(new LatencyRecorders(16), RingStats.NONE, Sampler.IntervalSink.NONE)
                        .sample();
        LatencySummary m = s.kind(Kind.WAKEUP_TO_RUN).mergedCumulative();
        assertThat(m.count()).isZero();
        assertThat(m.p99Ns()).isEqualTo(LatencySummary.NONE);
    }

    @Test
    void ringCountersAreCarriedIntoTheSnapshot() {
        RingStats stats =
                new RingStats() {
                    @Override
                    public long emitted(int ring) {
                        return 10L * ring;
                    }

                    @Override
                    public long lost(int ring) {
                        return ring == 5 ? 2 : 0;
                    }

                    @Override
                    public long consumed(int ring) {
                        return 10L * ring;
                    }
                };
        Snapshot s =
                new Sampler(new LatencyRecorders(16), stats, Sampler.IntervalSink.NONE).sample();
        assertThat(s.lostTotal()).isEqualTo(2);
        assertThat(s.emittedTotal()).isEqualTo(1200);
        assertThat(s.kind(Kind.INPUT_TO_RUN).ringCumulative().get(5).lost()).isEqualTo(2);
        assertThat(s.kind(Kind.INPUT_TO_RUN).mergedCumulative().lost()).isEqualTo(2);
    }

    @Test
    void intervalHistogramsAreRecycledNotReallocated() {
        LatencyRecorders rec = new LatencyRecorders(16);
        List<Histogram> handed = new ArrayList<>();
        Sampler sampler =
                new Sampler(
                        rec,
                        RingStats.NONE,
                        (k, r, h) -> {
                            if (k == Kind.INPUT_TO_RUN && r == 0) {
                                handed.add(h);
                            }
                        });
        for (int i = 0; i < 6; i++) {
            rec.record(0, Kind.INPUT_TO_RUN.wireId(), 1000);
            sampler.sample();
        }
        // The recycled histogram comes back: one per (ring, kind) for the whole session.
        assertThat(handed.stream().distinct().count()).isEqualTo(1);
    }
}
