import java.io.File;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * The VM tier's independent check of an A/B verdict: reads two .hlog files with HdrHistogram's own
 * reader (no Gamer Companion code), merges every ring's interval histograms of one kind, and prints
 * count, p99 (ns) and the B/A p99 ratio as one JSON line. driver.py compares that with what `ab`
 * and `compare` said.
 *
 * <p>java -cp HdrHistogram.jar:. HlogCheck KIND A.hlog B.hlog
 */
public final class HlogCheck {
    private HlogCheck() {}

    static Histogram merged(String kind, String file) throws Exception {
        Histogram sum = null;
        HistogramLogReader r = new HistogramLogReader(new File(file));
        try {
            EncodableHistogram h;
            while ((h = r.nextIntervalHistogram()) != null) {
                String tag = h.getTag();
                if (tag == null
                        || !tag.startsWith(kind + ".ring")
                        || !(h instanceof Histogram hist)) {
                    continue;
                }
                if (sum == null) {
                    sum =
                            new Histogram(
                                    hist.getLowestDiscernibleValue(),
                                    hist.getHighestTrackableValue(),
                                    hist.getNumberOfSignificantValueDigits());
                }
                sum.add(hist);
            }
        } finally {
            r.close();
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        Histogram a = merged(args[0], args[1]);
        Histogram b = merged(args[0], args[2]);
        long ca = a == null ? 0 : a.getTotalCount();
        long cb = b == null ? 0 : b.getTotalCount();
        long pa = ca == 0 ? 0 : a.getValueAtPercentile(99);
        long pb = cb == 0 ? 0 : b.getValueAtPercentile(99);
        System.out.printf(
                java.util.Locale.US,
                "{\"kind\": \"%s\", \"a_count\": %d, \"b_count\": %d, \"a_p99_ns\": %d,"
                        + " \"b_p99_ns\": %d, \"ratio\": %s}%n",
                args[0],
                ca,
                cb,
                pa,
                pb,
                pa == 0 ? "null" : Double.toString((double) pb / pa));
    }
}
