package org.gamercompanion.snapshot;

import java.util.Arrays;

/**
 * The merged p99 of each completed second, oldest first, at most {@link #SECONDS} of them. A second
 * without samples holds {@link LatencySummary#NONE}. Immutable.
 *
 * <p>Seconds are measured on the sampler's clock: a second closes at the first snapshot taken 1 s
 * or more after it opened, so a "second" is 1.0 s plus up to one snapshot period (a display frame
 * while the window is shown, 250 ms while it is hidden, 1 s for {@code record}).
 */
public final class P99Series {
    public static final int SECONDS = 60;
    public static final P99Series EMPTY = new P99Series(new long[0], new long[0]);

    private final long[] p99Ns;
    private final long[] counts;

    private P99Series(long[] p99Ns, long[] counts) {
        this.p99Ns = p99Ns;
        this.counts = counts;
    }

    /** Copies the given values, oldest first; at most {@link #SECONDS}. */
    public static P99Series of(long[] p99Ns, long[] counts) {
        if (p99Ns.length != counts.length || p99Ns.length > SECONDS) {
            throw new IllegalArgumentException(
                    "bad series lengths " + p99Ns.length + "/" + counts.length);
        }
        return new P99Series(p99Ns.clone(), counts.clone());
    }

    public int size() {
        return p99Ns.length;
    }

    /** The p99 of second {@code i} (0 = oldest) in ns, or {@link LatencySummary#NONE}. */
    public long p99Ns(int i) {
        return p99Ns[i];
    }

    /** How many samples second {@code i} had. */
    public long count(int i) {
        return counts[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof P99Series s
                && Arrays.equals(p99Ns, s.p99Ns)
                && Arrays.equals(counts, s.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(p99Ns) * 31 + Arrays.hashCode(counts);
    }
}
