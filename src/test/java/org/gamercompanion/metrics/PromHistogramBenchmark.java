package org.gamercompanion.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Random;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What one sample costs the recorder thread in the collector (docs/PERFORMANCE.md, "Scrape cost"):
 * {@link PromHistogram#record} against the HdrHistogram {@link Recorder} (3 digits, packed) each
 * series used before. Printed, never asserted (run with {@code -Dgc.bench=true}). Values are
 * log-uniform from 1 µs to 10 ms, a different bucket almost every time, as a game's latencies are.
 */
@EnabledIfSystemProperty(named = "gc.bench", matches = "true")
class PromHistogramBenchmark {
    /** Keeps both histograms reachable from another thread, so the JIT keeps their locks. */
    static volatile Object escaped;

    @Test
    void recordCostPerSample() {
        Random random = new Random(13);
        long[] values = new long[1 << 20];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.pow(10, 3 + random.nextDouble() * 4);
        }
        int passes = 10;
        for (int round = 0; round < 8; round++) {
            Recorder recorder = new Recorder(3, true);
            PromHistogram histogram = new PromHistogram(8, Labels.EMPTY, 0);
            escaped = new Object[] {recorder, histogram};
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++) {
                for (long v : values) {
                    recorder.recordValue(v);
                }
            }
            long t1 = System.nanoTime();
            for (int p = 0; p < passes; p++) {
                for (long v : values) {
                    histogram.record(v);
                }
            }
            long t2 = System.nanoTime();
            if (round >= 3) {
                double n = (double) passes * values.length;
                System.out.printf(
                        "round %d: HdrHistogram Recorder(3, packed) %.1f ns/sample,"
                                + " PromHistogram(schema 8) %.1f ns/sample%n",
                        round, (t1 - t0) / n, (t2 - t1) / n);
            }
        }
    }
}
