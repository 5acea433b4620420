package org.gamercompanion.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.gamercompanion.snapshot.BucketCounts;
import org.gamercompanion.snapshot.LatencyBuckets;
import org.gamercompanion.snapshot.LatencySummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogAxisTest {
    @Test
    void emptyDataGetsTheDefaultRangeOfOneMicrosecondToOneMillisecond() {
        LogAxis a = LogAxis.fit(BucketCounts.EMPTY, LatencySummary.EMPTY, 0, 300);
        assertThat(a.lowNs()).isEqualTo(1_000);
        assertThat(a.highNs()).isEqualTo(1_000_000);
        assertThat(a.decades()).containsExactly(1_000, 10_000, 100_000, 1_000_000);
    }

    @Test
    void rangeWidensToWholeDecadesAroundTheData() {
        long[] c = new long[LatencyBuckets.COUNT];
        c[LatencyBuckets.bucketOf(300)] = 5;
        c[LatencyBuckets.bucketOf(20_000_000)] = 1;
        LatencySummary s = new LatencySummary(6, 0, 300, 300, 20_000_000, 20_000_000, 25_000_000);
        LogAxis a = LogAxis.fit(BucketCounts.of(c), s, 0, 700);
        assertThat(a.lowNs()).isEqualTo(100);
        assertThat(a.highNs()).isEqualTo(100_000_000);
    }

    @Test
    void decadesAreEvenlySpacedAndValuesClampToTheEnds() {
        LogAxis a = new LogAxis(1_000, 1_000_000, 10, 300);
        assertThat(a.x(1_000)).isCloseTo(10, within(1e-9));
        assertThat(a.x(10_000)).isCloseTo(110, within(1e-9));
        assertThat(a.x(100_000)).isCloseTo(210, within(1e-9));
        assertThat(a.x(1)).isCloseTo(10, within(1e-9));
        assertThat(a.x(1e12)).isCloseTo(310, within(1e-9));
    }

    @ParameterizedTest
    @CsvSource({
        "-1,\u2014",
        "850,850 ns",
        "12345,12.3 \u00b5s",
        "999999,1000 \u00b5s",
        "1250000,1.25 ms",
        "2000000000,2.00 s"
    })
    void latenciesAreWrittenWithThreeSignificantDigits(long ns, String text) {
        assertThat(LatencyFormat.latency(ns)).isEqualTo(text);
    }
}
