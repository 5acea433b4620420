package org.gamercompanion.view;

/**
 * What a {@link CompareChart} draws: two distributions of one kind, immutable.
 *
 * @param title e.g. {@code input → run}
 * @param labelA the legend of A, e.g. {@code A · default (EEVDF)}
 * @param bucketsA counts per {@link org.gamercompanion.snapshot.LatencyBuckets} bucket
 * @param curveValuesA the values (ns) where A's cumulative distribution steps, ascending
 * @param curveFractionsA the fraction of A's samples at or below each of those values
 * @param p99A A's p99 in ns, -1 without samples (marked on both panels)
 */
public record CompareChartData(
        String title,
        String labelA,
        String labelB,
        long[] bucketsA,
        long[] bucketsB,
        long[] curveValuesA,
        double[] curveFractionsA,
        long[] curveValuesB,
        double[] curveFractionsB,
        long p99A,
        long p99B) {
    public static final CompareChartData EMPTY =
            new CompareChartData(
                    "",
                    "A",
                    "B",
                    new long[0],
                    new long[0],
                    new long[0],
                    new double[0],
                    new long[0],
                    new double[0],
                    -1,
                    -1);

    public boolean isEmpty() {
        return curveValuesA.length == 0 && curveValuesB.length == 0;
    }
}
