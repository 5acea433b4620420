package org.gamercompanion.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromHistogramTest {
    /**
     * The same values given to the Prometheus client's own Histogram (native, one fixed schema)
     * must land in the same native buckets, and in the same classic ones: the counting agrees with
     * the library about every bound, on log-uniform values from 1 ns to 60 s and on the bounds.
     */
    @ParameterizedTest
    @ValueSource(ints = {-4, -1, 0, 1, 3, 5, 8})
    void bucketsAgreeWithThePrometheusClientsOwnHistogram(int schema) {
        Random random = new Random(1300 + schema);
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            values.add(Math.max(1, (long) Math.pow(10, random.nextDouble() * Math.log10(6e10))));
        }
        for (int k = 0; k <= 20; k++) {
            values.add(1000L << k); // the classic bounds
            values.add((1000L << k) + 1);
        }
        for (long ns = 1; ns <= PromHistogram.MAX_NS; ns *= 2) {
            values.add(ns);
        }
        values.add(1_000_000_000L); // 2^0 s, a native bound of every schema
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
        PromHistogram ours = new PromHistogram(schema, Labels.EMPTY, 0);
        for (long ns : values) {
            ours.record(ns);
            reference.observe(ns / 1e9);
        }
        HistogramDataPointSnapshot p = ours.point();
        HistogramDataPointSnapshot theirs = reference.collect().getDataPoints().get(0);

        assertThat(p.getNativeSchema()).isEqualTo(theirs.getNativeSchema());
        assertThat(p.getCount()).isEqualTo(values.size()).isEqualTo(theirs.getCount());
        assertThat(p.getSum()).isCloseTo(theirs.getSum(), Percentage.withPercentage(1e-9));
        assertThat(nonEmpty(p)).containsExactlyElementsOf(nonEmpty(theirs));
        assertThat(p.getClassicBuckets().stream().map(ClassicHistogramBucket::getCount).toList())
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
                new PromHistogram(8, Labels.of("kind", "input_to_run"), 0).point();
        assertThat(p.getCount()).isZero();
        assertThat(p.getSum()).isZero();
        assertThat(p.getNativeBucketsForPositiveValues().size()).isZero();
        assertThat(p.getNativeZeroThreshold()).isPositive();
        new HistogramSnapshot(new MetricMetadata("x_seconds"), List.of(p));
    }

    @Test
    void valuesOutsideOneNanosecondToSixtySecondsAreCountedAtTheEnds() {
        PromHistogram h = new PromHistogram(8, Labels.EMPTY, 0);
        h.record(0);
        h.record(-5);
        h.record(PromHistogram.MAX_NS * 10);
        HistogramDataPointSnapshot p = h.point();
        assertThat(p.getCount()).isEqualTo(3);
        assertThat(p.getNativeBucketsForPositiveValues().getBucketIndex(0))
                .isEqualTo(PromBuckets.nativeIndex(1e-9, 8));
        assertThat(p.getClassicBuckets().getCount(PromBuckets.CLASSIC_FINITE_BOUNDS)).isOne();
    }

    @Test
    void aScrapeWithoutNewSamplesReusesTheLastPoint() {
        PromHistogram h = new PromHistogram(8, Labels.EMPTY, 0);
        h.record(5_000);
        HistogramDataPointSnapshot first = h.point();
        assertThat(h.point()).isSameAs(first);
        h.record(7_000);
        assertThat(h.point()).isNotSameAs(first);
        assertThat(h.point().getCount()).isEqualTo(2);
        assertThat(first.getCount()).isOne();
    }

    @Test
    void writersOnSeveralThreadsAreAllCountedWhileScrapesRun() throws Exception {
        PromHistogram h = new PromHistogram(8, Labels.EMPTY, 0);
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            long offset = t * 1_000L;
            writers.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try {
                                            start.await();
                                        } catch (InterruptedException e) {
                                            return;
                                        }
                                        for (int i = 0; i < perThread; i++) {
                                            h.record(1_000 + offset + i % 50_000);
                                        }
                                    }));
        }
        start.countDown();
        long scrapes = 0;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            HistogramDataPointSnapshot p = h.point();
            long nativeSum = 0;
            for (int i = 0; i < p.getNativeBucketsForPositiveValues().size(); i++) {
                nativeSum += p.getNativeBucketsForPositiveValues().getCount(i);
            }
            assertThat(nativeSum).isEqualTo(p.getCount()); // a consistent cut, never half a sample
            scrapes++;
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(h.point().getCount()).isEqualTo(2L * perThread);
        assertThat(scrapes).isPositive();
    }
}
