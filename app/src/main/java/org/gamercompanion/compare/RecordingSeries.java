package org.gamercompanion.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.gamercompanion.recorder.HdrLayout;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.HlogScanner;
import org.gamercompanion.recording.RecordingContext;

/**
 * One recording as {@link Comparer} needs it: its context, and per kind the whole histogram at full
 * resolution (the point estimates) plus the same samples cut into time blocks at coarse resolution
 * (the bootstrap's units). Read in one streaming pass; memory is bounded by the number of blocks
 * and the buckets they use, never by the file's size.
 *
 * <p>Ticks: the writer puts the 48 interval histograms of one sampler tick next to each other, each
 * from the previous swap of its recorder to this one. A tick ends where a (kind, ring) repeats or
 * an interval starts where the tick's intervals end. Ticks are then gathered, in file order, into
 * blocks of at least {@link #blockSeconds} seconds; a gap in time (an A/B test's other rounds, a
 * pause) ends a block early, so a block never spans two rounds.
 */
final class RecordingSeries {
    /** Coarse bucket = 8 adjacent HDR buckets: 128 per power of two, under 0.8% wide. */
    static final int COARSE_SHIFT = 3;

    static final int COARSE_LENGTH = (HdrLayout.LENGTH >> COARSE_SHIFT) + 1;

    /**
     * A gap this much longer than a tick between two ticks ends a block: they are not neighbours in
     * time.
     */
    private static final double GAP_S = 0.5;

    /** One kind of one recording. */
    static final class KindData {
        final Kind kind;

        /** Full resolution, indexed like {@link HdrLayout}. */
        final long[] counts = new long[HdrLayout.LENGTH];

        long total;

        /**
         * Blocks as compressed rows: block b's buckets are {@code bucket[rowStart[b] .. rowStart[b
         * + 1])}.
         */
        int[] rowStart = new int[65];

        char[] bucket = new char[1024];
        int[] count = new int[1024];
        int blocks;
        int entries;

        KindData(Kind kind) {
            this.kind = kind;
        }

        void addRow(long[] scratch, int[] touched, int touchedCount) {
            Arrays.sort(touched, 0, touchedCount);
            ensure(entries + touchedCount);
            for (int i = 0; i < touchedCount; i++) {
                int c = touched[i];
                long n = scratch[c];
                scratch[c] = 0;
                if (n > Integer.MAX_VALUE) {
                    throw new IllegalStateException(
                            "more than 2^31 samples in one bucket of one block");
                }
                bucket[entries] = (char) c;
                count[entries] = (int) n;
                entries++;
            }
            if (blocks + 2 > rowStart.length) {
                rowStart = Arrays.copyOf(rowStart, rowStart.length * 2);
            }
            blocks++;
            rowStart[blocks] = entries;
        }

        private void ensure(int n) {
            if (n > bucket.length) {
                int len = Math.max(n, bucket.length * 2);
                bucket = Arrays.copyOf(bucket, len);
                count = Arrays.copyOf(count, len);
            }
        }
    }

    final Path file;
    final RecordingContext context;
    final HlogScanner.Summary summary;
    final Map<Kind, KindData> kinds;

    /**
     * Seconds of recorded time: the ticks' lengths added up (settle times and pauses not counted).
     */
    final double recordedS;

    final int ticks;
    final double blockSeconds;

    private RecordingSeries(
            Path file,
            RecordingContext context,
            HlogScanner.Summary summary,
            Map<Kind, KindData> kinds,
            double recordedS,
            int ticks,
            double blockSeconds) {
        this.file = file;
        this.context = context;
        this.summary = summary;
        this.kinds = kinds;
        this.recordedS = recordedS;
        this.ticks = ticks;
        this.blockSeconds = blockSeconds;
    }

    KindData kind(Kind k) {
        return kinds.get(k);
    }

    /**
     * The block length for a recording of {@code seconds}: the cube root of its length (the usual
     * rule for block bootstraps: blocks grow with the series, their number grows faster), at least
     * one second (samples within a second are correlated), and short enough to leave 20 blocks.
     */
    static double blockSeconds(double seconds) {
        return Math.max(1.0, Math.min(Math.cbrt(seconds), seconds / 20));
    }

    /**
     * Reads {@code file}; {@code salvage} skips corrupt interval lines (counted in the summary).
     */
    static RecordingSeries read(Path file, int ringCount, boolean salvage) throws IOException {
        RecordingContext.Reader ctx = new RecordingContext.Reader();
        Ticks ticks = new Ticks(ctx);
        HlogScanner.Summary summary = HlogScanner.scan(file, ringCount, salvage, ticks);
        ticks.finish();
        double block = blockSeconds(ticks.recordedS);
        Map<Kind, KindData> kinds = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            kinds.put(k, ticks.blocks(k, block));
        }
        return new RecordingSeries(
                file, ctx.result(), summary, kinds, ticks.recordedS, ticks.count, block);
    }

    /**
     * Groups the intervals into ticks: per kind one coarse row per tick, the full-resolution total,
     * and each tick's start and end. The rows are merged into blocks once the recorded length (and
     * so the block length) is known.
     */
    private static final class Ticks implements HlogScanner.Visitor {
        private final RecordingContext.Reader context;
        private final KindData[] rows = new KindData[Kind.COUNT];
        private final long[][] scratch = new long[Kind.COUNT][COARSE_LENGTH];
        private final int[][] touched = new int[Kind.COUNT][COARSE_LENGTH];
        private final int[] touchedCount = new int[Kind.COUNT];
        private final boolean[] seen = new boolean[Kind.COUNT * 256];
        private boolean inTick;
        private double tickStart;
        private double tickEnd;
        private double tickMinEnd;
        private double tickLength;
        private double[] starts = new double[1024];
        private double[] ends = new double[1024];
        double recordedS;
        int count;

        Ticks(RecordingContext.Reader context) {
            this.context = context;
            for (Kind k : Kind.values()) {
                rows[k.wireId()] = new KindData(k);
            }
        }

        @Override
        public void comment(long line, String text) {
            context.accept(line, text);
        }

        @Override
        public void interval(HlogScanner.Interval h) {
            int key = h.kind().wireId() * 256 + h.ring();
            double start = h.startS();
            double len = Math.max(h.lengthS(), 1e-3);
            // The next tick's intervals start where this tick's end (the sampler's swap); 2 ms of
            // slack for the 3 decimals the log writes. Under emulation one tick's 48 swaps can be
            // a second apart, so a fixed tolerance around the first start would split ticks.
            if (inTick && (seen[key] || start >= tickMinEnd - 0.002)) {
                endTick();
            }
            if (!inTick) {
                inTick = true;
                tickStart = start;
                tickEnd = start + len;
                tickMinEnd = start + len;
                tickLength = 0;
            }
            seen[key] = true;
            tickEnd = Math.max(tickEnd, start + len);
            tickMinEnd = Math.min(tickMinEnd, start + len);
            tickLength = Math.max(tickLength, h.lengthS());
            int k = h.kind().wireId();
            KindData d = rows[k];
            long[] s = scratch[k];
            int[] t = touched[k];
            for (int i = 0; i < h.size(); i++) {
                int idx = h.index(i);
                long c = h.count(i);
                d.counts[idx] += c;
                d.total += c;
                int coarse = idx >> COARSE_SHIFT;
                if (s[coarse] == 0) {
                    t[touchedCount[k]++] = coarse;
                }
                s[coarse] += c;
            }
        }

        private void endTick() {
            inTick = false;
            Arrays.fill(seen, false);
            // A tick lasts as long as one of its intervals (each runs from one swap to the next);
            // its intervals' spread of starts is the sampler's own swapping time, not recorded
            // time.
            recordedS += tickLength;
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = tickStart;
            ends[count] = tickEnd;
            count++;
            for (int k = 0; k < Kind.COUNT; k++) {
                rows[k].addRow(scratch[k], touched[k], touchedCount[k]);
                touchedCount[k] = 0;
            }
        }

        void finish() {
            if (inTick) {
                endTick();
            }
        }

        /**
         * Merges kind {@code k}'s tick rows into blocks of at least {@code blockS} seconds; a gap
         * between two ticks (more than half a second beyond a tick's length) starts a new block.
         */
        KindData blocks(Kind kind, double blockS) {
            KindData ticks = rows[kind.wireId()];
            KindData out = new KindData(kind);
            System.arraycopy(ticks.counts, 0, out.counts, 0, ticks.counts.length);
            out.total = ticks.total;
            long[] s = scratch[0];
            int[] t = touched[0];
            int n = 0;
            double blockStart = Double.NaN;
            for (int i = 0; i < count; i++) {
                boolean gap = i > 0 && starts[i] > ends[i - 1] + GAP_S + (ends[i] - starts[i]);
                if (gap && !Double.isNaN(blockStart)) {
                    out.addRow(s, t, n);
                    n = 0;
                    blockStart = Double.NaN;
                }
                if (Double.isNaN(blockStart)) {
                    blockStart = starts[i];
                }
                for (int e = ticks.rowStart[i]; e < ticks.rowStart[i + 1]; e++) {
                    int c = ticks.bucket[e];
                    if (s[c] == 0) {
                        t[n++] = c;
                    }
                    s[c] += ticks.count[e];
                }
                if (ends[i] - blockStart >= blockS - 1e-9) {
                    out.addRow(s, t, n);
                    n = 0;
                    blockStart = Double.NaN;
                }
            }
            if (!Double.isNaN(blockStart)) {
                out.addRow(s, t, n);
            }
            return out;
        }
    }
}
