package org.gamercompanion.compare;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.RecordingContext;

/**
 * The answer to "does B make the game feel better than A, and by how much?" for two recordings: per
 * kind the numbers side by side, the ratio B/A of each percentile with its 95% confidence interval,
 * and a verdict in words; one kind's verdict is the headline. Immutable; made by {@link Comparer},
 * shown by {@code compare}, the Compare view and the exports ({@link ComparisonJson}, {@link
 * ComparisonCsv}).
 *
 * @param headline the kind the headline verdict is about
 * @param verdict the headline: one line in plain words
 * @param notes what a reader should know before trusting the numbers (different machines, a
 *     scheduler that changed mid-recording, lost events, skipped lines)
 */
public record Comparison(
        Side a, Side b, List<KindResult> kinds, Kind headline, String verdict, List<String> notes) {
    /** The percentiles compared, ascending; {@link #PERCENTILE_NAMES} names them. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    public static final List<String> PERCENTILE_NAMES = List.of("p50", "p90", "p99", "p99.9");

    /** The thresholds of {@link Stats#shareOver}: 1 ms, 4 ms, one 60 Hz frame. */
    public static final List<Long> THRESHOLDS_NS = List.of(1_000_000L, 4_000_000L, 16_700_000L);

    public KindResult kind(Kind k) {
        return kinds.stream()
                .filter(r -> r.kind() == k)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(k.id() + " was not compared"));
    }

    /**
     * One recording of the two.
     *
     * @param label {@code A} or {@code B}
     * @param scheduler the scheduler in words ({@link RecordingContext#schedulerLabel})
     * @param recordedS seconds of recorded intervals
     * @param blocks how many blocks the bootstrap resamples, each {@code blockS} seconds long
     * @param skippedLines corrupt lines skipped with {@code --salvage}
     */
    public record Side(
            String label,
            Path file,
            String scheduler,
            RecordingContext context,
            double recordedS,
            int blocks,
            double blockS,
            long intervals,
            long skippedLines) {}

    /**
     * One kind of both recordings.
     *
     * @param ratios one per {@link #PERCENTILE_NAMES}
     * @param verdict this kind's verdict line
     * @param bucketsA counts on the chart axis ({@code snapshot.LatencyBuckets}), for the view
     */
    public record KindResult(
            Kind kind,
            Stats a,
            Stats b,
            List<Ratio> ratios,
            String verdict,
            long[] bucketsA,
            long[] bucketsB,
            Curve curveA,
            Curve curveB) {
        public Ratio ratio(String percentileName) {
            return ratios.get(PERCENTILE_NAMES.indexOf(percentileName));
        }
    }

    /**
     * One kind of one recording.
     *
     * @param recorded the recording was asked to record this kind (its header's {@code kinds})
     * @param percentilesNs one per {@link #PERCENTILE_NAMES}, -1 without samples
     * @param maxNs -1 without samples
     * @param shareOver per {@link #THRESHOLDS_NS}: the fraction of samples above it (0..1)
     */
    public record Stats(
            boolean recorded,
            long count,
            List<Long> percentilesNs,
            long maxNs,
            List<Double> shareOver) {
        public long percentileNs(String name) {
            return percentilesNs.get(PERCENTILE_NAMES.indexOf(name));
        }
    }

    /**
     * The ratio B/A of one percentile.
     *
     * @param ratio the point estimate (NaN when it cannot be given)
     * @param ciLow the 95% interval's lower end (NaN without an interval)
     * @param unavailable why there is no ratio or no interval (too few samples, too short), or null
     */
    public record Ratio(
            String percentile, double ratio, double ciLow, double ciHigh, String unavailable) {
        public boolean hasInterval() {
            return unavailable == null && !Double.isNaN(ciLow);
        }

        /** {@code 0.32x (0.21-0.47)}, or {@code 0.32x (no interval: ...)}, or {@code -}. */
        public String text() {
            if (Double.isNaN(ratio)) {
                return "-";
            }
            return hasInterval()
                    ? String.format(Locale.US, "%.2fx (%.2f-%.2f)", ratio, ciLow, ciHigh)
                    : String.format(Locale.US, "%.2fx", ratio);
        }
    }

    /**
     * A cumulative distribution: the fraction of samples at or below each value, at the values
     * where it steps (thinned to at most a few hundred points).
     */
    public record Curve(long[] valuesNs, double[] fractions) {
        public static final Curve EMPTY = new Curve(new long[0], new double[0]);

        public int size() {
            return valuesNs.length;
        }
    }
}
