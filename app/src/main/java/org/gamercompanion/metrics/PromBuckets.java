package org.gamercompanion.metrics;

import java.util.Arrays;

/**
 * The bounds of the two bucket kinds every exported histogram has ({@link PromHistogram} counts
 * into them):
 *
 * <ul>
 *   <li><b>classic</b> buckets on powers of two from 1 µs to 2^20 µs (1.048576 s), then +Inf, as
 *       Cloudflare's ebpf_exporter exposes log2 BPF histograms: 22 buckets that every Prometheus
 *       and Grafana reads;
 *   <li><b>native</b> (exponential) buckets of one schema: bucket {@code i} holds values in {@code
 *       (2^((i-1)/2^schema), 2^(i/2^schema)]} seconds, so schema 8 (the finest Prometheus knows) is
 *       0.27% wide.
 * </ul>
 *
 * <p>Both put a value on a bound into the bucket that bound closes, as the Prometheus client's own
 * {@code Histogram} does.
 */
final class PromBuckets {
    /** Finest and coarsest native schema Prometheus accepts. */
    static final int MAX_SCHEMA = 8;

    static final int MIN_SCHEMA = -4;

    /**
     * The native zero bucket's width: the Java client's default, far below 1 ns, so it stays empty.
     * It must not be 0: Prometheus reads a histogram without buckets, zero count and zero threshold
     * as a classic one, so a series still at 0 would not be native until its first sample, and an
     * increase() over a window that starts there would miss the first scrape's samples.
     */
    static final double ZERO_THRESHOLD = Math.scalb(1.0, -128);

    /** Classic bounds: 1 µs · 2^k for k = 0..20, in nanoseconds. */
    static final int CLASSIC_FINITE_BOUNDS = 21;

    /** Shared, never written after class initialisation: the model copies what it is given. */
    static final double[] CLASSIC_UPPER_BOUNDS_SECONDS = new double[CLASSIC_FINITE_BOUNDS + 1];

    static {
        for (int k = 0; k < CLASSIC_FINITE_BOUNDS; k++) {
            CLASSIC_UPPER_BOUNDS_SECONDS[k] = (1000L << k) / 1e9;
        }
        CLASSIC_UPPER_BOUNDS_SECONDS[CLASSIC_FINITE_BOUNDS] = Double.POSITIVE_INFINITY;
    }

    /**
     * Per schema 1..8: the 2^schema + 1 bounds 2^(j/2^schema), j = 0..2^schema, of one octave [1,
     * 2].
     */
    private static final double[][] OCTAVE_BOUNDS = new double[MAX_SCHEMA + 1][];

    static {
        for (int s = 1; s <= MAX_SCHEMA; s++) {
            int n = 1 << s;
            OCTAVE_BOUNDS[s] = new double[n + 1];
            for (int j = 0; j <= n; j++) {
                OCTAVE_BOUNDS[s][j] = Math.pow(2, (double) j / n);
            }
            OCTAVE_BOUNDS[s][n] = 2.0;
        }
    }

    /**
     * The top mantissa bits that pick a cell of one octave. A cell (2^-12 of an octave) is narrower
     * than a schema-8 bucket (2^(1/256) - 1 = 0.0027 of the octave's start), so at most one bound
     * lies inside it: the cell's first bucket, or the next one.
     */
    private static final int CELL_BITS = 12;

    private static final int MANTISSA_BITS = 52;
    private static final long MANTISSA_MASK = (1L << MANTISSA_BITS) - 1;
    private static final long EXPONENT_OF_ONE = Double.doubleToRawLongBits(1.0);

    /** Per schema 1..8 and cell: the bucket j (of {@link #OCTAVE_BOUNDS}) of the cell's start. */
    private static final short[][] CELL_BUCKET = new short[MAX_SCHEMA + 1][];

    static {
        for (int s = 1; s <= MAX_SCHEMA; s++) {
            CELL_BUCKET[s] = new short[1 << CELL_BITS];
            for (int c = 0; c < 1 << CELL_BITS; c++) {
                double start = 1.0 + Math.scalb((double) c, -CELL_BITS);
                int j = Arrays.binarySearch(OCTAVE_BOUNDS[s], start);
                CELL_BUCKET[s][c] = (short) (j < 0 ? -j - 1 : j);
            }
        }
    }

    private PromBuckets() {}

    /** The classic bucket upper bounds in seconds, +Inf last (a copy). */
    static double[] classicUpperBoundsSeconds() {
        return CLASSIC_UPPER_BOUNDS_SECONDS.clone();
    }

    /**
     * The classic bucket of a value: the first k with {@code ns <= 1000 * 2^k}, or the +Inf bucket.
     */
    static int classicIndex(long ns) {
        long us = (ns + 999) / 1000; // ns <= 1000 * 2^k  <=>  ceil(ns / 1000) <= 2^k
        if (us <= 1) {
            return 0;
        }
        int k = 64 - Long.numberOfLeadingZeros(us - 1);
        return Math.min(k, CLASSIC_FINITE_BOUNDS);
    }

    /**
     * The native bucket index of a positive normal value in seconds: the {@code i} with {@code
     * 2^((i-1)/2^schema) < seconds <= 2^(i/2^schema)}. Computed on the binary exponent, as
     * Prometheus does, so a value on a bound lands in the bucket it closes. On every sample's path:
     * one table lookup and one comparison, no search.
     */
    static int nativeIndex(double seconds, int schema) {
        int e = Math.getExponent(seconds);
        long mantissa = Double.doubleToRawLongBits(seconds) & MANTISSA_MASK;
        double m = Double.longBitsToDouble(EXPONENT_OF_ONE | mantissa); // [1, 2)
        if (schema > 0) {
            int j = CELL_BUCKET[schema][(int) (mantissa >>> (MANTISSA_BITS - CELL_BITS))];
            if (m > OCTAVE_BOUNDS[schema][j]) {
                j++;
            }
            return (e << schema) + j;
        }
        int octavesPerBucket = 1 << -schema;
        if (m == 1.0) {
            return Math.ceilDiv(e, octavesPerBucket);
        }
        return Math.floorDiv(e, octavesPerBucket) + 1;
    }

    /** Throws unless Prometheus accepts {@code schema}. */
    static void checkSchema(int schema) {
        if (schema < MIN_SCHEMA || schema > MAX_SCHEMA) {
            throw new IllegalArgumentException(
                    "native schema must be "
                            + MIN_SCHEMA
                            + ".."
                            + MAX_SCHEMA
                            + " (was "
                            + schema
                            + ")");
        }
    }
}
