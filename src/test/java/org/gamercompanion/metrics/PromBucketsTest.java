package org.gamercompanion.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.gamercompanion.recorder.LatencyRecorders;
import org.junit.jupiter.api.Test;

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
