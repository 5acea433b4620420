package org.gamercompanion.compare;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The non-overlapping block bootstrap of one kind of one recording: each replicate draws as many
 * blocks as the recording has, with replacement, adds them up and reads the percentiles off the
 * sum. Blocks, not single samples, because samples close in time are not independent (one busy
 * second raises many of them at once); resampling single samples would make the interval too
 * narrow. docs/METRICS.md has the method in words.
 *
 * <p>Cost: one replicate adds every entry of the blocks it draws into a coarse counts array (about
 * 3,600 buckets, in L1) and scans it once for all percentiles.
 */
final class BlockBootstrap {
    /** Replicates per recording and kind: 2.5% and 97.5% quantiles rest on 50 replicates each. */
    static final int REPLICATES = 2000;

    /**
     * Fixed, so that the same two files always give the same interval (ab's JSON and compare
     * agree).
     */
    private static final long SEED = 0x5eed_ab_c0_ffeeL;

    private BlockBootstrap() {}

    /**
     * The percentiles of every replicate: {@code out[q][r]}, -1 where replicate r drew no samples.
     *
     * @param stream distinguishes the random streams of the recordings and kinds of one comparison
     */
    static long[][] replicates(
            RecordingSeries.KindData d, double[] percentiles, int replicates, long stream) {
        long[][] out = new long[percentiles.length][replicates];
        int blocks = d.blocks;
        if (blocks == 0) {
            for (long[] row : out) {
                Arrays.fill(row, -1);
            }
            return out;
        }
        SplittableRandom rnd = new SplittableRandom(SEED ^ (stream * 0x9E3779B97F4A7C15L));
        long[] sum = new long[RecordingSeries.COARSE_LENGTH];
        long[] values = new long[percentiles.length];
        int[] rowStart = d.rowStart;
        char[] bucket = d.bucket;
        int[] count = d.count;
        for (int r = 0; r < replicates; r++) {
            Arrays.fill(sum, 0);
            long total = 0;
            for (int i = 0; i < blocks; i++) {
                int b = rnd.nextInt(blocks);
                for (int e = rowStart[b], end = rowStart[b + 1]; e < end; e++) {
                    sum[bucket[e]] += count[e];
                    total += count[e];
                }
            }
            Quantiles.coarseValuesAt(sum, total, percentiles, values);
            for (int q = 0; q < percentiles.length; q++) {
                out[q][r] = values[q];
            }
        }
        return out;
    }

    /**
     * The 95% percentile interval of {@code b[r] / a[r]} over the replicates where both drew
     * samples; null when fewer than 95% of them did.
     */
    static double[] ratioInterval(long[] a, long[] b) {
        double[] ratios = new double[a.length];
        int n = 0;
        for (int r = 0; r < a.length; r++) {
            if (a[r] > 0 && b[r] >= 0) {
                ratios[n++] = (double) b[r] / a[r];
            }
        }
        if (n < 0.95 * a.length) {
            return null;
        }
        Arrays.sort(ratios, 0, n);
        int lo = (int) Math.floor(0.025 * (n - 1));
        int hi = (int) Math.ceil(0.975 * (n - 1));
        return new double[] {ratios[lo], ratios[hi]};
    }
}
