package org.gamercompanion.snapshot;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;

/**
 * Turns the live recorders into {@link Snapshot}s.
 *
 * <p>Each {@link #sample} swaps every (ring, kind) recorder for its interval histogram, recycling
 * the one returned last time (no allocation for histograms in steady state), adds it to the
 * cumulative histograms, hands it to the {@link IntervalSink} (the .hlog writer), and builds a
 * snapshot of small immutable summaries.
 *
 * <p><b>Single thread:</b> one sampler thread calls {@link #sample} and the cumulative accessors.
 */
public final class Sampler {
    private final LatencyRecorders recorders;
    private final RingStats stats;
    private final IntervalSink sink;
    private final int rings;
    private final Histogram[][] interval;
    private final Histogram[][] cumulative;
    private final Histogram[] mergedInterval;
    private final Histogram[] mergedCumulative;
    private final long startNs;
    private long lastNs;
    private long sequence;

    /** Receives every interval histogram before it is recycled (sampler thread). */
    @FunctionalInterface
    public interface IntervalSink {
        void onInterval(Kind kind, int ring, Histogram interval);

        IntervalSink NONE = (k, r, h) -> {};
    }

    public Sampler(LatencyRecorders recorders, RingStats stats, IntervalSink sink) {
        this.recorders = recorders;
        this.stats = stats;
        this.sink = sink;
        this.rings = recorders.ringCount();
        this.interval = new Histogram[Kind.COUNT][rings];
        this.cumulative = new Histogram[Kind.COUNT][rings];
        this.mergedInterval = new Histogram[Kind.COUNT];
        this.mergedCumulative = new Histogram[Kind.COUNT];
        for (Kind k : Kind.values()) {
            mergedInterval[k.wireId()] = LatencyRecorders.newHistogram();
            mergedCumulative[k.wireId()] = LatencyRecorders.newHistogram();
            for (int r = 0; r < rings; r++) {
                cumulative[k.wireId()][r] = LatencyRecorders.newHistogram();
            }
        }
        this.startNs = System.nanoTime();
        this.lastNs = startNs;
    }

    /** Takes the interval since the previous call and returns the snapshot. */
    public Snapshot sample() {
        long now = System.nanoTime();
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
        for (Kind k : Kind.values()) {
            int ki = k.wireId();
            mergedInterval[ki].reset();
            List<LatencySummary> ringInterval = new ArrayList<>(rings);
            List<LatencySummary> ringCumulative = new ArrayList<>(rings);
            for (int r = 0; r < rings; r++) {
                Histogram h = recorders.intervalHistogram(r, k, interval[ki][r]);
                interval[ki][r] = h;
                sink.onInterval(k, r, h);
                cumulative[ki][r].add(h);
                mergedInterval[ki].add(h);
                ringInterval.add(LatencySummary.of(h, lost.get(r)));
                ringCumulative.add(LatencySummary.of(cumulative[ki][r], lost.get(r)));
            }
            mergedCumulative[ki].add(mergedInterval[ki]);
            views.put(k, new Snapshot.KindView(LatencySummary.of(mergedInterval[ki], lostTotal),
                    LatencySummary.of(mergedCumulative[ki], lostTotal), ringInterval, ringCumulative));
        }
        Snapshot s = new Snapshot(sequence++, now - lastNs, now - startNs, views, emitted, lost, consumed);
        lastNs = now;
        return s;
    }

    /** Everything recorded for (kind, ring) up to the last {@link #sample}. Do not modify. */
    public Histogram cumulative(Kind kind, int ring) {
        return cumulative[kind.wireId()][ring];
    }

    /** Everything recorded for a kind in all rings up to the last {@link #sample}. Do not modify. */
    public Histogram mergedCumulative(Kind kind) {
        return mergedCumulative[kind.wireId()];
    }
}
