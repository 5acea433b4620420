package org.gamercompanion.recording;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.gamercompanion.recorder.HdrLayout;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;

/**
 * One streaming pass over an {@code .hlog}: its comment lines, then every interval histogram of
 * ours, decoded straight into a reused list of (index, count) pairs ({@link HdrLayout} indexes).
 * Memory is bounded by one line and one histogram, never by the file: a 3 GB log is read in
 * constant space, and a log of 3,600 seconds x 48 histograms decodes in about a second, where
 * HdrHistogram's own reader allocates a 216 KiB histogram per interval.
 *
 * <p>The format is HdrHistogram's interval log (V1.3) with its V2 compressed histogram encoding.
 * Every line that is not a comment or the legend must be an interval line; anything else is a
 * {@link RecordingException} naming the file, the line and what is wrong with it, or, with {@code
 * salvage}, skipped and counted in {@link Summary#skipped}. HdrHistogram's own {@code
 * HistogramLogReader} reads the same files; the equivalence is tested on real recordings.
 */
public final class HlogScanner {
    /** Longer lines are not an interval of ours: a full 60 s-range histogram encodes in ~300 KB. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private static final int COMPRESSED_COOKIE_BASE = 0x1c849304;
    private static final int COOKIE_BASE = 0x1c849303;
    private static final int HEADER_BYTES = 40;

    /** What the scan met; called in file order on the scanning thread. */
    public interface Visitor {
        /**
         * A {@code #} line other than {@code #[StartTime]} and {@code #[BaseTime]} (without the #).
         */
        default void comment(long line, String text) {}

        /** One interval histogram of ours; {@code h} is reused after the call returns. */
        void interval(Interval h);
    }

    /**
     * One decoded interval histogram, valid during {@link Visitor#interval}.
     *
     * <p>{@link #startKey} is the start field as written: the histograms of one sampler tick share
     * it, which is how a reader groups them into one interval of time.
     */
    public static final class Interval {
        long line;
        Kind kind;
        int ring;
        String startKey;
        double startS;
        double lengthS;
        int size;
        int[] index = new int[256];
        long[] count = new long[256];
        long total;

        public long line() {
            return line;
        }

        public Kind kind() {
            return kind;
        }

        public int ring() {
            return ring;
        }

        public String startKey() {
            return startKey;
        }

        /** Seconds after the log's base time. */
        public double startS() {
            return startS;
        }

        public double lengthS() {
            return lengthS;
        }

        /** Number of non-zero buckets. */
        public int size() {
            return size;
        }

        /** The {@link HdrLayout} index of the i-th non-zero bucket (ascending). */
        public int index(int i) {
            return index[i];
        }

        public long count(int i) {
            return count[i];
        }

        public long total() {
            return total;
        }

        /** Adds this interval's counts into {@code counts} (length {@link HdrLayout#LENGTH}). */
        public void addTo(long[] counts) {
            for (int i = 0; i < size; i++) {
                counts[index[i]] += count[i];
            }
        }

        private void add(int idx, long c) {
            if (size == index.length) {
                index = Arrays.copyOf(index, size * 2);
                count = Arrays.copyOf(count, size * 2);
            }
            index[size] = idx;
            count[size] = c;
            size++;
            total += c;
        }
    }

    /**
     * @param intervals interval lines of ours
     * @param foreign interval lines whose tag is not ours (another tool's log): counted, not read
     * @param skipped corrupt lines skipped under {@code salvage}; {@code firstSkipped} says why
     * @param startTimeS the {@code #[StartTime]} (seconds since the epoch), NaN when absent
     */
    public record Summary(
            long lines,
            long intervals,
            long foreign,
            long skipped,
            String firstSkipped,
            double startTimeS,
            double baseTimeS,
            double firstStartS,
            double lastEndS) {
        /** Seconds from the first interval's start to the last one's end; 0 without intervals. */
        public double spanS() {
            return intervals == 0 ? 0 : lastEndS - firstStartS;
        }
    }

    private final Path file;
    private final int ringCount;
    private final boolean salvage;
    private final Interval current = new Interval();
    private final Inflater inflater = new Inflater();
    private byte[] inflated = new byte[64 * 1024];

    private HlogScanner(Path file, int ringCount, boolean salvage) {
        this.file = file;
        this.ringCount = ringCount;
        this.salvage = salvage;
    }

    /**
     * Reads {@code file} from start to end.
     *
     * @param salvage skip corrupt interval lines (counted) instead of failing on the first
     * @throws RecordingException the file is empty, not an HdrHistogram log, or (without salvage)
     *     has a corrupt line
     */
    public static Summary scan(Path file, int ringCount, boolean salvage, Visitor visitor)
            throws IOException {
        if (!Files.exists(file)) {
            throw new RecordingException(file, 0, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new RecordingException(file, 0, "not a regular file");
        }
        if (Files.size(file) == 0) {
            throw new RecordingException(file, 0, "the file is empty: not a recording");
        }
        HlogScanner s = new HlogScanner(file, ringCount, salvage);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return s.run(in, visitor);
        } finally {
            s.inflater.end();
        }
    }

    private Summary run(InputStream in, Visitor visitor) throws IOException {
        byte[] buf = new byte[8192];
        long lineNo = 0;
        long intervals = 0;
        long foreign = 0;
        long skipped = 0;
        String firstSkipped = null;
        boolean sawVersion = false;
        double startTime = Double.NaN;
        double baseTime = Double.NaN;
        double first = Double.NaN;
        double last = Double.NaN;
        while (true) {
            int len = 0;
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (len == buf.length) {
                    if (len >= MAX_LINE_BYTES) {
                        throw new RecordingException(
                                file,
                                lineNo + 1,
                                "a line longer than "
                                        + (MAX_LINE_BYTES >> 20)
                                        + " MiB: not an HdrHistogram log");
                    }
                    buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES));
                }
                buf[len++] = (byte) b;
            }
            if (b < 0 && len == 0) {
                break;
            }
            lineNo++;
            if (len > 0 && buf[len - 1] == '\r') {
                len--;
            }
            if (len == 0 || buf[0] == '"') {
                continue; // a blank line, the legend
            }
            if (buf[0] == '#') {
                String text = new String(buf, 1, len - 1, StandardCharsets.ISO_8859_1);
                if (text.startsWith("[StartTime: ")) {
                    startTime = headerTime(text, lineNo, "StartTime");
                } else if (text.startsWith("[BaseTime: ")) {
                    baseTime = headerTime(text, lineNo, "BaseTime");
                } else {
                    sawVersion |= text.startsWith("[Histogram log format version");
                    visitor.comment(lineNo, text);
                }
                continue;
            }
            String problem;
            try {
                problem = parseInterval(buf, len, lineNo);
            } catch (RuntimeException e) {
                problem = "not an interval line (" + e.getMessage() + ")";
            }
            if (problem == null) {
                intervals++;
                first = Double.isNaN(first) ? current.startS : Math.min(first, current.startS);
                double end = current.startS + current.lengthS;
                last = Double.isNaN(last) ? end : Math.max(last, end);
                visitor.interval(current);
            } else if (problem.isEmpty()) {
                foreign++;
            } else if (!sawVersion && intervals == 0 && foreign == 0) {
                throw new RecordingException(file, lineNo, "not an HdrHistogram log: " + problem);
            } else if (salvage) {
                skipped++;
                if (firstSkipped == null) {
                    firstSkipped = "line " + lineNo + ": " + problem;
                }
            } else {
                throw new RecordingException(
                        file, lineNo, problem + " (report --salvage skips such lines)");
            }
        }
        if (!sawVersion && intervals == 0 && foreign == 0) {
            throw new RecordingException(
                    file,
                    0,
                    "not an HdrHistogram log (no '#[Histogram log format version' line"
                            + " and no interval lines)");
        }
        return new Summary(
                lineNo,
                intervals,
                foreign,
                skipped,
                firstSkipped,
                startTime,
                baseTime,
                first,
                last);
    }

    private double headerTime(String text, long line, String field) throws RecordingException {
        String v = text.substring(text.indexOf(':') + 1).strip();
        int sp = v.indexOf(' ');
        try {
            return Double.parseDouble(sp < 0 ? v : v.substring(0, sp));
        } catch (NumberFormatException e) {
            throw new RecordingException(
                    file, line, field + " '" + v + "' is not a number of seconds");
        }
    }

    /**
     * Parses {@code [Tag=T,]start,length,max,histogram} into {@link #current}.
     *
     * @return null when it is an interval of ours, "" for a tag that is not ours, else the problem
     */
    private String parseInterval(byte[] buf, int len, long line) {
        int pos = 0;
        String tag = null;
        if (len > 4 && buf[0] == 'T' && buf[1] == 'a' && buf[2] == 'g' && buf[3] == '=') {
            int comma = indexOf(buf, 4, len, ',');
            if (comma < 0) {
                return "a tag without fields";
            }
            tag = new String(buf, 4, comma - 4, StandardCharsets.ISO_8859_1);
            pos = comma + 1;
        }
        int c1 = indexOf(buf, pos, len, ',');
        int c2 = c1 < 0 ? -1 : indexOf(buf, c1 + 1, len, ',');
        int c3 = c2 < 0 ? -1 : indexOf(buf, c2 + 1, len, ',');
        if (c3 < 0) {
            return "not an interval line (expected [Tag=...,]start,length,max,histogram)";
        }
        Recording.Target target = Recording.parseTag(tag, ringCount);
        if (target == null) {
            return "";
        }
        String startKey = new String(buf, pos, c1 - pos, StandardCharsets.ISO_8859_1);
        double start;
        double length;
        try {
            start = Double.parseDouble(startKey);
            length =
                    Double.parseDouble(
                            new String(buf, c1 + 1, c2 - c1 - 1, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return "the start or length field is not a number";
        }
        if (!Double.isFinite(start) || !Double.isFinite(length) || length < 0) {
            return "the start or length field is out of range";
        }
        Interval h = current;
        h.line = line;
        h.kind = target.kind();
        h.ring = target.ring();
        h.startKey = startKey;
        h.startS = start;
        h.lengthS = length;
        h.size = 0;
        h.total = 0;
        byte[] compressed;
        try {
            compressed =
                    Base64.getDecoder().decode(ByteBuffer.wrap(buf, c3 + 1, len - c3 - 1)).array();
        } catch (IllegalArgumentException e) {
            return "the histogram is not valid base64";
        }
        return decode(compressed, h);
    }

    /** Decodes a V2 compressed histogram into {@code h}; null, or the problem. */
    private String decode(byte[] in, Interval h) {
        ByteBuffer c = ByteBuffer.wrap(in);
        if (in.length < 8 || (c.getInt(0) & ~0xf0) != COMPRESSED_COOKIE_BASE) {
            return "the histogram is not an HdrHistogram V2 compressed histogram";
        }
        int clen = c.getInt(4);
        if (clen < 0 || clen > in.length - 8) {
            return "the histogram's compressed length is wrong (truncated?)";
        }
        int n;
        inflater.reset();
        inflater.setInput(in, 8, clen);
        try {
            n = 0;
            while (!inflater.finished()) {
                if (n == inflated.length) {
                    if (inflated.length >= 4 * HdrLayout.LENGTH * 9) {
                        return "the histogram inflates beyond any histogram of ours";
                    }
                    inflated = Arrays.copyOf(inflated, inflated.length * 2);
                }
                int got = inflater.inflate(inflated, n, inflated.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return "the histogram is truncated (zlib stream ends early)";
                }
                n += got;
            }
        } catch (DataFormatException e) {
            return "the histogram is corrupt (zlib: " + e.getMessage() + ")";
        }
        if (n < HEADER_BYTES) {
            return "the histogram is truncated (" + n + " bytes)";
        }
        ByteBuffer u = ByteBuffer.wrap(inflated, 0, n);
        if ((u.getInt(0) & ~0xf0) != COOKIE_BASE) {
            return "the histogram is not an HdrHistogram V2 histogram";
        }
        int payload = u.getInt(4);
        int normalizingOffset = u.getInt(8);
        int digits = u.getInt(12);
        long lowest = u.getLong(16);
        double ratio = u.getDouble(32);
        if (digits != LatencyRecorders.SIGNIFICANT_DIGITS
                || lowest != 1
                || normalizingOffset != 0
                || ratio != 1.0) {
            return "a histogram of another shape ("
                    + digits
                    + " digits, lowest "
                    + lowest
                    + "): not written by gamer-companion";
        }
        if (payload < 0 || payload > n - HEADER_BYTES) {
            return "the histogram's payload is truncated";
        }
        int p = HEADER_BYTES;
        int end = HEADER_BYTES + payload;
        int idx = 0;
        while (p < end) {
            long raw = 0;
            int shift = 0;
            int b;
            do {
                if (p >= end) {
                    return "the histogram's payload ends inside a number";
                }
                b = inflated[p++] & 0xff;
                if (shift == 56) {
                    raw |= (long) b << 56;
                    break;
                }
                raw |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            long v = (raw >>> 1) ^ -(raw & 1);
            if (v < 0) {
                if (v < -HdrLayout.LENGTH) {
                    return "the histogram's payload has a run of zeros past 60 s";
                }
                idx += (int) -v;
            } else {
                if (idx >= HdrLayout.LENGTH) {
                    return "the histogram holds a value over 60 s";
                }
                if (v > 0) {
                    h.add(idx, v);
                }
                idx++;
            }
        }
        return null;
    }

    private static int indexOf(byte[] buf, int from, int len, char ch) {
        for (int i = from; i < len; i++) {
            if (buf[i] == ch) {
                return i;
            }
        }
        return -1;
    }
}
