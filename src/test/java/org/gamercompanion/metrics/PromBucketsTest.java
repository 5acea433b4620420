package org.gamercompanion.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.PackedHistogram;
import org.assertj.core.data.Percentage;
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
     * The same values given to the Prometheus client's own Histogram (native, one fixed schema)
     * must land in the same native buckets, and in the same classic ones: the conversion agrees
     * with the library about every bound, on log-uniform values from 1 ns to 60 s.
     */
    @ParameterizedTest
    @ValueSource(ints = {-4, -1, 0, 1, 3, 5, 8})
    void bucketsAgreeWithThePrometheusClientsOwnHistogram(int schema) {
        Random random = new Random(1300 + schema);
        PackedHistogram hdr = new PackedHistogram(LatencyRecorders.SIGNIFICANT_DIGITS);
        for (int i = 0; i < 20_000; i++) {
            hdr.recordValue(
                    Math.max(1, (long) Math.pow(10, random.nextDouble() * Math.log10(6e10))));
        }
        // The exact bounds too: 1000 * 2^k ns and powers of two seconds.
        for (int k = 0; k <= 20; k++) {
            hdr.recordValue(1000L << k);
        }
        hdr.recordValue(1_000_000_000L);
        Histogram reference =
                Histogram.builder()
                        .name("reference_seconds")
                        .help("h")
                        .classicUpperBounds(
                                Arrays.copyOf(
                                        PromBuckets.classicUpperBoundsSeconds(),
                                        PromBuckets.CLASSIC_FINITE_BOUNDS))
                        .nativeInitialSchema(schema)
                        .nativeMaxNumberOfBuckets(0)
                        .build();
        for (HistogramIterationValue v : hdr.recordedValues()) {
            double s = hdr.medianEquivalentValue(v.getValueIteratedTo()) / 1e9;
            for (long n = 0; n < v.getCountAtValueIteratedTo(); n++) {
                reference.observe(s);
            }
        }
        HistogramDataPointSnapshot ours = PromBuckets.dataPoint(hdr, schema, Labels.EMPTY, 0);
        HistogramDataPointSnapshot theirs = reference.collect().getDataPoints().get(0);

        assertThat(ours.getNativeSchema()).isEqualTo(theirs.getNativeSchema());
        assertThat(ours.getCount()).isEqualTo(hdr.getTotalCount()).isEqualTo(theirs.getCount());
        assertThat(ours.getSum()).isCloseTo(theirs.getSum(), Percentage.withPercentage(1e-9));
        assertThat(nonEmpty(ours)).containsExactlyElementsOf(nonEmpty(theirs));
        assertThat(ours.getClassicBuckets().stream().map(ClassicHistogramBucket::getCount).toList())
                .isEqualTo(
                        theirs.getClassicBuckets().stream()
                                .map(ClassicHistogramBucket::getCount)
                                .toList());
    }

    private static List<String> nonEmpty(HistogramDataPointSnapshot p) {
        return p.getNativeBucketsForPositiveValues().stream()
                .filter(b -> b.getCount() > 0)
                .map(b -> b.getBucketIndex() + ":" + b.getCount())
                .toList();
    }

    @Test
    void anEmptyHistogramIsAValidSeriesOfZeros() {
        HistogramDataPointSnapshot p =
                PromBuckets.dataPoint(
                        new PackedHistogram(3), 8, Labels.of("kind", "input_to_run"), 0);
        assertThat(p.getCount()).isZero();
        assertThat(p.getSum()).isZero();
        assertThat(p.getNativeBucketsForPositiveValues().size()).isZero();
        new HistogramSnapshot(
                new io.prometheus.metrics.model.snapshots.MetricMetadata("x_seconds"), List.of(p));
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
