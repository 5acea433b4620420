package org.gamercompanion.compare;

import java.util.List;
import java.util.Locale;

/**
 * A {@link Comparison} as CSV (RFC 4180, a header row): one row per kind and figure, with A, B, the
 * ratio B/A and its 95% interval where the figure has one. Latencies in microseconds, shares as
 * fractions.
 *
 * <pre>
 * kind,figure,a,b,ratio_b_over_a,ci_low,ci_high,note
 * input_to_run,p99_us,3221.500,1030.500,0.3199,0.2100,0.4700,
 * </pre>
 */
public final class ComparisonCsv {
    public static final String HEADER = "kind,figure,a,b,ratio_b_over_a,ci_low,ci_high,note";

    private ComparisonCsv() {}

    public static String of(Comparison c) {
        StringBuilder b = new StringBuilder(HEADER).append("\r\n");
        for (Comparison.KindResult r : c.kinds()) {
            String k = r.kind().id();
            row(b, k, "count", Long.toString(r.a().count()), Long.toString(r.b().count()), null);
            List<String> names = Comparison.PERCENTILE_NAMES;
            for (int i = 0; i < names.size(); i++) {
                row(
                        b,
                        k,
                        names.get(i) + "_us",
                        micros(r.a().percentilesNs().get(i)),
                        micros(r.b().percentilesNs().get(i)),
                        r.ratios().get(i));
            }
            row(b, k, "max_us", micros(r.a().maxNs()), micros(r.b().maxNs()), null);
            String[] shares = {"over_1ms", "over_4ms", "over_16.7ms"};
            for (int i = 0; i < shares.length; i++) {
                row(
                        b,
                        k,
                        shares[i],
                        fraction(r.a().shareOver().get(i)),
                        fraction(r.b().shareOver().get(i)),
                        null);
            }
        }
        return b.toString();
    }

    private static void row(
            StringBuilder b, String kind, String figure, String a, String bv, Comparison.Ratio r) {
        b.append(kind)
                .append(',')
                .append(figure)
                .append(',')
                .append(a)
                .append(',')
                .append(bv)
                .append(',');
        if (r == null) {
            b.append(",,,");
        } else {
            b.append(fraction(r.ratio()))
                    .append(',')
                    .append(fraction(r.ciLow()))
                    .append(',')
                    .append(fraction(r.ciHigh()))
                    .append(',')
                    .append(r.unavailable() == null ? "" : quote(r.unavailable()));
        }
        b.append("\r\n");
    }

    private static String micros(long ns) {
        return ns < 0 ? "" : String.format(Locale.US, "%.3f", ns / 1000.0);
    }

    private static String fraction(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.US, "%.4f", v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
