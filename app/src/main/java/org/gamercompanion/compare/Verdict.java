package org.gamercompanion.compare;

import java.util.List;
import java.util.Locale;
import org.gamercompanion.recorder.Kind;

/**
 * The verdict in words, from the numbers: never more than they show (docs/METRICS.md, "The
 * verdict"). A difference is claimed only when the whole 95% interval lies on one side of 1; a
 * percentile with too few samples, or recordings too short for an interval, are said to be so, with
 * how much more is needed.
 */
final class Verdict {
    /**
     * A percentile is given only with at least this many samples beyond it: 10 / (1 - q) samples.
     */
    static final int SAMPLES_BEYOND = 10;

    /** An interval needs at least this many blocks in each recording. */
    static final int MIN_BLOCKS = 10;

    private Verdict() {}

    /** Samples a percentile needs: p50 20, p90 100, p99 1,000, p99.9 10,000. */
    static long samplesNeeded(double percentile) {
        return (long) Math.ceil(SAMPLES_BEYOND / (1 - percentile / 100.0) - 1e-6);
    }

    /** {@code input->run}. */
    static String name(Kind k) {
        return k.id().replace("_to_", "->");
    }

    /**
     * The verdict line of one kind, about {@code headline} (the index of p99), falling back to the
     * highest percentile that has an interval when the headline has none.
     */
    static String of(
            Kind kind,
            Comparison.Stats a,
            Comparison.Stats b,
            List<Comparison.Ratio> ratios,
            int headline,
            Comparison.Side sa,
            Comparison.Side sb) {
        String what = name(kind);
        if (!a.recorded() || !b.recorded()) {
            return what
                    + " is not recorded in "
                    + (a.recorded() ? "B" : b.recorded() ? "A" : "A or B")
                    + ": nothing to compare";
        }
        if (a.count() == 0 || b.count() == 0) {
            String which = a.count() == 0 && b.count() == 0 ? "A or B" : a.count() == 0 ? "A" : "B";
            return "No "
                    + what
                    + " samples in "
                    + which
                    + ": nothing to compare"
                    + (kind == Kind.INPUT_TO_RUN
                            ? " (was an input source attached? see the recording's input_hook)"
                            : "");
        }
        Comparison.Ratio h = ratios.get(headline);
        if (h.hasInterval()) {
            return sentence(Comparison.PERCENTILE_NAMES.get(headline), what, h, a, b);
        }
        StringBuilder out =
                new StringBuilder(
                        h.unavailable() == null
                                ? "No interval for "
                                        + Comparison.PERCENTILE_NAMES.get(headline)
                                        + " "
                                        + what
                                : h.unavailable());
        for (int q = headline - 1; q >= 0; q--) {
            if (ratios.get(q).hasInterval()) {
                out.append(". At ")
                        .append(Comparison.PERCENTILE_NAMES.get(q))
                        .append(": ")
                        .append(
                                sentence(
                                        Comparison.PERCENTILE_NAMES.get(q),
                                        what,
                                        ratios.get(q),
                                        a,
                                        b));
                return out.toString();
            }
        }
        return out.toString();
    }

    /** {@code B cuts p99 input->run to 0.32x of A (95% CI 0.21-0.47, 2,400 vs 2,310 samples)}. */
    static String sentence(
            String p, String what, Comparison.Ratio r, Comparison.Stats a, Comparison.Stats b) {
        String ci =
                String.format(
                        Locale.US,
                        "95%% CI %.2f-%.2f, %,d vs %,d samples",
                        r.ciLow(),
                        r.ciHigh(),
                        a.count(),
                        b.count());
        if (r.ciHigh() < 1) {
            return String.format(
                    Locale.US, "B cuts %s %s to %.2fx of A (%s)", p, what, r.ratio(), ci);
        }
        if (r.ciLow() > 1) {
            return String.format(
                    Locale.US, "B raises %s %s to %.2fx of A (%s)", p, what, r.ratio(), ci);
        }
        return String.format(
                Locale.US,
                "No clear difference in %s %s: B is %.2fx of A (%s)",
                p,
                what,
                r.ratio(),
                ci);
    }

    /**
     * Why a percentile has no ratio or no interval, or null when it has both: too few samples (and
     * how many more each side needs), or too few blocks (and how much longer to record).
     */
    static String unavailable(
            String p,
            String what,
            double percentile,
            long countA,
            long countB,
            Comparison.Side sa,
            Comparison.Side sb) {
        long need = samplesNeeded(percentile);
        if (countA < need || countB < need) {
            StringBuilder more = new StringBuilder();
            if (countA < need) {
                more.append(String.format(Locale.US, "%,d more for A", need - countA));
            }
            if (countB < need) {
                more.append(more.isEmpty() ? "" : ", ")
                        .append(String.format(Locale.US, "%,d more for B", need - countB));
            }
            return String.format(
                    Locale.US,
                    "Too few samples for %s %s: A has %,d, B %,d; %s needs %,d in each (%s)",
                    p,
                    what,
                    countA,
                    countB,
                    p,
                    need,
                    more);
        }
        if (sa.blocks() < MIN_BLOCKS || sb.blocks() < MIN_BLOCKS) {
            return String.format(
                    Locale.US,
                    "Too short for a confidence interval of %s %s: A has %d blocks of %.0f s,"
                            + " B %d; each needs at least %d (record %.0f s or more of each)",
                    p,
                    what,
                    sa.blocks(),
                    sa.blockS(),
                    sb.blocks(),
                    MIN_BLOCKS,
                    MIN_BLOCKS * Math.max(sa.blockS(), sb.blockS()));
        }
        return null;
    }
}
