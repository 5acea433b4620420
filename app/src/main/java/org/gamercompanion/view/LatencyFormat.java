package org.gamercompanion.view;

import java.util.Locale;
import org.gamercompanion.snapshot.LatencySummary;

/**
 * How latencies and counts are written in the UI: microseconds, 3 significant digits, "—" for none.
 */
public final class LatencyFormat {
    public static final String NONE = "\u2014";

    private LatencyFormat() {}

    /**
     * {@code 850 ns}, {@code 12.3 µs}, {@code 1.25 ms}, {@code 2.00 s}; {@link #NONE} for a missing
     * value.
     */
    public static String latency(long ns) {
        if (ns == LatencySummary.NONE || ns < 0) {
            return NONE;
        }
        if (ns < 1_000) {
            return ns + " ns";
        }
        if (ns < 1_000_000) {
            return sig3(ns / 1e3) + " \u00b5s";
        }
        if (ns < 1_000_000_000) {
            return sig3(ns / 1e6) + " ms";
        }
        return sig3(ns / 1e9) + " s";
    }

    /**
     * A short axis label for a power of ten in ns: {@code 100ns}, {@code 1µs}, {@code 10ms}, {@code
     * 1s}.
     */
    static String axis(long ns) {
        if (ns < 1_000) {
            return ns + "ns";
        }
        if (ns < 1_000_000) {
            return (ns / 1_000) + "\u00b5s";
        }
        if (ns < 1_000_000_000) {
            return (ns / 1_000_000) + "ms";
        }
        return (ns / 1_000_000_000) + "s";
    }

    /** Counts with thousands separators: {@code 12,345}. */
    public static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    private static String sig3(double v) {
        if (v >= 100) {
            return String.format(Locale.US, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.US, "%.1f", v);
        }
        return String.format(Locale.US, "%.2f", v);
    }
}
