package org.gamercompanion.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HdrLayout's bucket math is HdrHistogram's, value by value, on the edges and on random values. */
class HdrLayoutTest {
    private static final Histogram SHAPE = LatencyRecorders.newHistogram();

    static LongStream values() {
        Random rnd = new Random(11);
        LongStream edges = HdrEdges.inRange();
        LongStream random =
                LongStream.generate(() -> (long) Math.exp(rnd.nextDouble() * Math.log(6e10)))
                        .limit(2000);
        return LongStream.concat(edges, random);
    }

    @ParameterizedTest
    @MethodSource("values")
    void indexAndEdgesAreHdrHistograms(long v) {
        int i = HdrLayout.index(v);
        assertThat(i).isBetween(0, HdrLayout.LENGTH - 1);
        assertThat(HdrLayout.lowestValue(i))
                .as("lowest of %d", v)
                .isEqualTo(SHAPE.lowestEquivalentValue(v));
        assertThat(HdrLayout.highestValue(i))
                .as("highest of %d", v)
                .isEqualTo(SHAPE.highestEquivalentValue(v));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 1234})
    void countsBackToAHistogramAreIdentical(long seed) {
        Random rnd = new Random(seed);
        Histogram h = LatencyRecorders.newHistogram();
        long[] counts = new long[HdrLayout.LENGTH];
        for (int n = 0; n < 5000; n++) {
            long v = 1 + (long) Math.exp(rnd.nextDouble() * Math.log(6e10 - 1));
            long c = 1 + rnd.nextInt(3);
            h.recordValueWithCount(v, c);
            counts[HdrLayout.index(v)] += c;
        }
        assertThat(HdrLayout.toHistogram(counts)).isEqualTo(h);
    }
}
