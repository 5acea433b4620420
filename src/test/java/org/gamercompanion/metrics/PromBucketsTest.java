package org.gamercompanion.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gamercompanion.recorder.LatencyRecorders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromBucketsTest {
    @Test
    void classicBoundsArePowersOfTwoMicrosecondsFromOneMicrosecondToOneSecond() {
        double[] bounds = PromBuckets.classicUpperBoundsSeconds();
        assertThat(bounds).hasSize(22);
        assertThat(bounds[0]).isEqualTo(1e-6);
        assertThat(bounds[20]).isEqualTo(1.048576);
        assertThat(bounds[21]).isInfinite();
        for (int k = 0; k <= 20; k++) {
            long bound = 1000L << k;
            assertThat(PromBuckets.classicIndex(bound)).as("%d ns", bound).isEqualTo(k);
            assertThat(PromBuckets.classicIndex(bound + 1)).as("%d ns", bound + 1).isEqualTo(k + 1);
        }
        assertThat(PromBuckets.classicIndex(1)).isZero();
        assertThat(PromBuckets.classicIndex(LatencyRecorders.HIGHEST_TRACKABLE_NS)).isEqualTo(21);
    }

    /**
     * The table lookup agrees with the definition (the first bound at or above the value, found by
     * search) for every schema, on random values and on each bound and its two neighbours.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void nativeIndexAgreesWithASearchOfTheBounds(int schema) {
        Random random = new Random(130 + schema);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            values.add(Math.pow(2, -31 + random.nextDouble() * 37));
        }
        int n = 1 << schema;
        for (int e = -30; e <= 6; e++) {
            for (int j = 0; j <= n; j++) {
                double bound = Math.scalb(Math.pow(2, (double) j / n), e);
                values.add(bound);
                values.add(Math.nextUp(bound));
                values.add(Math.nextDown(bound));
            }
        }
        for (double v : values) {
            assertThat(PromBuckets.nativeIndex(v, schema))
                    .as("%s at schema %d", v, schema)
                    .isEqualTo(bySearch(v, schema));
        }
    }

    private static int bySearch(double seconds, int schema) {
        int e = Math.getExponent(seconds);
        double m = seconds / Math.scalb(1.0, e);
        int n = 1 << schema;
        int j = 0;
        while (j < n && m > (j == 0 ? 1.0 : Math.pow(2, (double) j / n))) {
            j++;
        }
        return (e << schema) + j;
    }

    @Test
    void nativeIndexPutsAValueOnABoundIntoTheBucketItCloses() {
        assertThat(PromBuckets.nativeIndex(1.0, 8)).isZero();
        assertThat(PromBuckets.nativeIndex(Math.nextUp(1.0), 8)).isEqualTo(1);
        assertThat(PromBuckets.nativeIndex(2.0, 0)).isEqualTo(1);
        assertThat(PromBuckets.nativeIndex(0.5, 3)).isEqualTo(-8);
        assertThat(PromBuckets.nativeIndex(16.0, -2)).isEqualTo(1);
        assertThat(PromBuckets.nativeIndex(17.0, -2)).isEqualTo(2);
    }
}
