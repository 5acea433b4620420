package org.gamercompanion.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.junit.jupiter.api.Test;

class SamplerTest {
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
