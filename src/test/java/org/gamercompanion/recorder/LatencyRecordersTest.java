package org.gamercompanion.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-counts recorders give, interval by interval and pair by pair, exactly what
 * HdrHistogram's own {@code recordValue} gives for the same values clamped the same way: equal
 * histograms, byte-identical compressed encodings and identical .hlog lines; on random values and
 * on the edges (below 1, 0, 1, the sub-bucket edges, the highest trackable value, over range).
 */
class LatencyRecordersTest {
    private static final int RINGS = 16;
    private static final long[] EDGES =
            LongStream.concat(
                            LongStream.of(Long.MIN_VALUE, -5, -1),
                            LongStream.concat(
                                    HdrEdges.inRange(),
                                    LongStream.of(
                                            LatencyRecorders.HIGHEST_TRACKABLE_NS + 1,
                                            1L << 40,
                                            Long.MAX_VALUE)))
                    .toArray();

    /**
     * What LatencyRecorders documents: below 1 ns counts as 1, above the highest as the highest.
     */
    private static long clamp(long v) {
        return v < 1 ? 1 : Math.min(v, LatencyRecorders.HIGHEST_TRACKABLE_NS);
    }

    private static long randomValue(Random rnd) {
        return rnd.nextInt(20) == 0
                ? EDGES[rnd.nextInt(EDGES.length)]
                : (long) Math.exp(rnd.nextDouble() * Math.log(1e12));
    }

    private static Histogram[] newReferences() {
        Histogram[] h = new Histogram[RINGS * Kind.COUNT];
        for (int i = 0; i < h.length; i++) {
            h[i] = LatencyRecorders.newHistogram();
        }
        return h;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void intervalsAreHdrHistogramsBitForBit(long seed) {
        Random rnd = new Random(seed);
        LatencyRecorders rec = new LatencyRecorders(RINGS);
        Histogram[] recycled = new Histogram[RINGS * Kind.COUNT];
        for (int interval = 0; interval < 4; interval++) {
            Histogram[] expected = newReferences();
            int n = interval == 3 ? 0 : 1 + rnd.nextInt(20_000);
            for (int i = 0; i < n; i++) {
                if (rnd.nextInt(100) == 0) {
                    rec.endBatch();
                } else if (rnd.nextInt(100) == 0) {
                    rec.beginBatch();
                }
                int ring = rnd.nextInt(3) == 0 ? rnd.nextInt(RINGS) : rnd.nextInt(2);
                int kind = rnd.nextInt(Kind.COUNT);
                long v = randomValue(rnd);
                rec.record(ring, kind, v);
                expected[ring * Kind.COUNT + kind].recordValue(clamp(v));
            }
            rec.endBatch();
            rec.takeInterval();
            for (int ring = 0; ring < RINGS; ring++) {
                for (Kind k : Kind.values()) {
                    int pair = ring * Kind.COUNT + k.wireId();
                    Histogram h = rec.intervalHistogram(ring, k, recycled[pair]);
                    recycled[pair] = h;
                    assertSameHistogram(h, expected[pair]);
                }
            }
        }
    }

    @Test
    void everyEdgeValueAloneIsItsHdrHistogram() {
        LatencyRecorders rec = new LatencyRecorders(1);
        for (long v : EDGES) {
            rec.record(0, Kind.INPUT_TO_RUN.wireId(), v);
            rec.takeInterval();
            Histogram expected = LatencyRecorders.newHistogram();
            expected.recordValue(clamp(v));

            assertSameHistogram(rec.intervalHistogram(0, Kind.INPUT_TO_RUN, null), expected);
        }
    }

    @Test
    void intervalTimeStampsFollowEachOther() {
        LatencyRecorders rec = new LatencyRecorders(1);
        rec.record(0, 0, 5);
        rec.takeInterval();
        Histogram first = rec.intervalHistogram(0, Kind.WAKEUP_TO_RUN, null);
        rec.takeInterval();
        Histogram second = rec.intervalHistogram(0, Kind.WAKEUP_TO_RUN, null);

        assertThat(first.getStartTimeStamp()).isPositive();
        assertThat(first.getEndTimeStamp()).isGreaterThanOrEqualTo(first.getStartTimeStamp());
        assertThat(second.getStartTimeStamp()).isEqualTo(first.getEndTimeStamp());
        assertThat(second.getTotalCount()).isZero();
    }

    @Test
    void aPairWhoseIntervalIsNotTakenKeepsItsValuesForALaterOne() {
        LatencyRecorders rec = new LatencyRecorders(1);
        rec.record(0, Kind.INPUT_TO_RUN.wireId(), 7_000);
        rec.takeInterval();
        // The sampler skips the pair this time; the bank goes back to the writer with its counts.
        rec.record(0, Kind.INPUT_TO_RUN.wireId(), 9_000);
        rec.takeInterval();
        rec.takeInterval();

        Histogram h = rec.intervalHistogram(0, Kind.INPUT_TO_RUN, null);
        assertThat(h.getTotalCount()).isEqualTo(1);
        assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(7_000));
        rec.takeInterval();
        assertThat(rec.intervalHistogram(0, Kind.INPUT_TO_RUN, null).getTotalCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7})
    void valuesRecordedWhileTheSamplerSwapsAreNeitherLostNorDoubled(long seed) throws Exception {
        LatencyRecorders rec = new LatencyRecorders(2);
        Histogram[] expected = new Histogram[2 * Kind.COUNT];
        Histogram[] seen = new Histogram[2 * Kind.COUNT];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = LatencyRecorders.newHistogram();
            seen[i] = LatencyRecorders.newHistogram();
        }
        AtomicBoolean done = new AtomicBoolean();
        Thread writer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    Random rnd = new Random(seed);
                                    for (int batch = 0; batch < 3_000; batch++) {
                                        boolean inBatch = rnd.nextInt(4) != 0;
                                        if (inBatch) {
                                            rec.beginBatch();
                                        }
                                        for (int i = rnd.nextInt(200); i > 0; i--) {
                                            int ring = rnd.nextInt(2);
                                            int kind = rnd.nextInt(Kind.COUNT);
                                            long v = randomValue(rnd);
                                            rec.record(ring, kind, v);
                                            expected[ring * Kind.COUNT + kind].recordValue(
                                                    clamp(v));
                                        }
                                        rec.endBatch();
                                    }
                                    done.set(true);
                                });
        Histogram[] recycled = new Histogram[2 * Kind.COUNT];
        boolean last = false;
        while (!last) {
            last = done.get();
            rec.takeInterval();
            for (int ring = 0; ring < 2; ring++) {
                for (Kind k : Kind.values()) {
                    int pair = ring * Kind.COUNT + k.wireId();
                    recycled[pair] = rec.intervalHistogram(ring, k, recycled[pair]);
                    seen[pair].add(recycled[pair]);
                }
            }
        }
        writer.join();

        for (int pair = 0; pair < expected.length; pair++) {
            assertThat(expected[pair].getTotalCount()).isPositive();
            assertThat(seen[pair]).isEqualTo(expected[pair]);
        }
    }

    private static void assertSameHistogram(Histogram actual, Histogram expected) {
        assertThat(actual).isEqualTo(expected);
        assertThat(encoded(actual)).isEqualTo(encoded(expected));
        assertThat(actual.getMaxValue()).isEqualTo(expected.getMaxValue());
        assertThat(actual.getMinNonZeroValue()).isEqualTo(expected.getMinNonZeroValue());
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            assertThat(actual.getValueAtPercentile(p)).isEqualTo(expected.getValueAtPercentile(p));
        }
        expected.setStartTimeStamp(actual.getStartTimeStamp());
        expected.setEndTimeStamp(actual.getEndTimeStamp());
        assertThat(hlogLine(actual)).isEqualTo(hlogLine(expected));
    }

    private static byte[] encoded(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        byte[] out = new byte[n];
        b.flip().get(out);
        return out;
    }

    private static String hlogLine(Histogram h) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new HistogramLogWriter(out).outputIntervalHistogram(h);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
