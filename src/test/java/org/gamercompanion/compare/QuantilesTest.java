package org.gamercompanion.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.HdrLayout;
import org.gamercompanion.recorder.LatencyRecorders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Percentiles of counts arrays are HdrHistogram's getValueAtPercentile, to the nanosecond. */
class QuantilesTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 10, 99, 1000, 12345})
    void percentilesAreHdrHistograms(int samples) {
        Random rnd = new Random(samples);
        Histogram h = LatencyRecorders.newHistogram();
        long[] counts = new long[HdrLayout.LENGTH];
        for (int i = 0; i < samples; i++) {
            long v = 1 + (long) Math.exp(rnd.nextDouble() * 20);
            h.recordValue(v);
            counts[HdrLayout.index(v)]++;
        }
        double[] ps = {0.1, 1, 25, 50, 90, 99, 99.9, 99.99, 100};
        long[] out = new long[ps.length];
        Quantiles.valuesAt(counts, samples, ps, out);
        for (int i = 0; i < ps.length; i++) {
            assertThat(out[i])
                    .as("p%s of %d", ps[i], samples)
                    .isEqualTo(h.getValueAtPercentile(ps[i]));
        }
        assertThat(Quantiles.max(counts)).isEqualTo(h.getMaxValue());
    }

    @ParameterizedTest
    @ValueSource(doubles = {50, 90, 99, 99.9})
    void samplesNeededLeaveTenBeyondThePercentile(double p) {
        long n = Verdict.samplesNeeded(p);
        assertThat(Math.round(n * (1 - p / 100))).isEqualTo(Verdict.SAMPLES_BEYOND);
    }
}
