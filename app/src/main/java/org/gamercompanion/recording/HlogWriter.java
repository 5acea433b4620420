package org.gamercompanion.recording;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.snapshot.Sampler;

/**
 * Writes a recording as an HdrHistogram interval log ({@code .hlog}), readable by HdrHistogram's
 * own tools ({@code HistogramLogProcessor -tag input_to_run.ring03}).
 *
 * <p>One interval histogram per (kind, ring) per sample, tagged {@link #tag}; empty intervals are
 * skipped. Our metadata rides in comment lines {@code #gamer-companion key=value ...}, which
 * HdrHistogram's readers ignore. The file is written to a temporary sibling and renamed into place
 * on {@link #close} ({@link AtomicFile}), so a crash never leaves a half file under the final name;
 * {@link #create} refuses a target that is not a regular file (a device, a directory) at once.
 */
public final class HlogWriter implements Sampler.IntervalSink, AutoCloseable {
    /** Prefix of our metadata comment lines. */
    public static final String META_PREFIX = "gamer-companion ";

    private final AtomicFile.Pending file;
    private final PrintStream out;
    private final HistogramLogWriter writer;
    private long startMs;

    private HlogWriter(Path target) throws IOException {
        this.file = AtomicFile.begin(target);
        try {
            this.out = new PrintStream(new FileOutputStream(file.temp().toFile()), false, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            file.close();
            throw e;
        }
        this.writer = new HistogramLogWriter(out);
    }

    /** Opens a log and writes its header with the given metadata (keys and values without spaces). */
    public static HlogWriter create(Path target, Map<String, String> metadata) throws IOException {
        HlogWriter w = new HlogWriter(target);
        long nowMs = System.currentTimeMillis();
        w.writer.outputLogFormatVersion();
        w.writer.outputComment(META_PREFIX + format(metadata));
        w.startMs = nowMs;
        w.writer.outputStartTime(nowMs);
        w.writer.setBaseTime(nowMs);
        w.writer.outputBaseTime(nowMs);
        w.writer.outputLegend();
        return w;
    }

    /** The tag of a (kind, ring) interval: {@code input_to_run.ring03}. */
    public static String tag(Kind kind, int ring) {
        return String.format(Locale.US, "%s.ring%02d", kind.id(), ring);
    }

    @Override
    public void onInterval(Kind kind, int ring, Histogram interval) {
        if (interval.getTotalCount() == 0) {
            return;
        }
        interval.setTag(tag(kind, ring));
        writer.outputIntervalHistogram(interval);
    }

    /** Adds a metadata comment line (e.g. the final counters). */
    public void comment(Map<String, String> metadata) {
        writer.outputComment(META_PREFIX + format(metadata));
    }

    /**
     * Writes {@code #[Mark <s> s <ISO instant> <note>]}: seconds since the log's start time, then the
     * wall-clock time. HdrHistogram's log readers skip {@code #} lines other than StartTime and
     * BaseTime, so the log stays readable by its tools. Flushed at once, so the mark is in the file
     * even if the app dies before {@link #close}.
     */
    public void mark(long nowMs, String note) {
        String clean = note.replaceAll("[\\p{Cntrl}\\]]", " ").strip();
        writer.outputComment(String.format(Locale.US, "[Mark %.3f s %s%s]", (nowMs - startMs) / 1000.0,
                java.time.Instant.ofEpochMilli(nowMs), clean.isEmpty() ? "" : " " + clean));
        out.flush();
    }

    static String format(Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=').append(e.getValue().replace(' ', '_'));
        }
        return sb.toString();
    }

    /**
     * Flushes, syncs and renames the log into place ({@link AtomicFile.Pending#commit}); on a failure
     * the temporary file is removed and the target is left as it was.
     */
    @Override
    public void close() throws IOException {
        try (file) {
            out.close();
            if (out.checkError()) {
                throw new IOException("writing " + file.temp() + " failed");
            }
            file.commit();
        }
    }
}
