package org.gamercompanion.recording;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.snapshot.Sampler;

/**
 * Writes a recording as an HdrHistogram interval log ({@code .hlog}), readable by HdrHistogram's
 * own tools ({@code HistogramLogProcessor -tag input_to_run.ring03}), that states what it measured
 * ({@link RecordingContext}: the machine, the kernel, the scheduler of every interval, the game).
 *
 * <p>One interval histogram per (kind, ring) per sample, tagged {@link #tag}; empty intervals are
 * skipped. Before the first interval of every sample the writer reads the scheduler's state from
 * sysfs and writes a {@code record=sched} statement when it differs from the last one written (the
 * first before the first interval, or at the end of a log without one): each interval is then
 * labelled with the scheduler it ended under, and a change mid-recording is marked where it
 * happened.
 *
 * <p>Time: {@code #[StartTime]} and {@code #[BaseTime]} are the moment the log was created, and no
 * interval is written as starting before it (the first interval of a log opened mid-sample is
 * written from the log's start): HdrHistogram's {@code HistogramLogProcessor} skips intervals that
 * start before StartTime, which lost each tag's first interval before.
 *
 * <p>Threads: the intervals come from the sampler; statements and marks may come from any thread (a
 * hotkey, the game detector): every write holds this object's lock.
 *
 * <p>The file is written to a temporary sibling and renamed into place on {@link #close} ({@link
 * AtomicFile}), so a crash never leaves a half file under the final name; {@link #create} refuses a
 * target that is not a regular file (a device, a directory) at once.
 *
 * <pre>{@code
 * try (HlogWriter w = HlogWriter.create(out, Map.of("writer", "record", "kernel", k.release()))) {
 *     sampler = new Sampler(recorders, stats, w);   // intervals, each tick
 *     w.statement("game", Map.of("exe", "cs2", "tgid", "4242"));
 *     w.statement("end", Map.of("lost_total", "0"));
 * }
 * }</pre>
 */
public final class HlogWriter implements Sampler.IntervalSink, AutoCloseable {
    private final AtomicFile.Pending file;
    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final Supplier<KernelStatus> kernel;
    private long startMs;
    private String release = "";
    private String lastSched;

    /** The next interval is the first of its sample: read the scheduler before writing it. */
    private boolean sampleStart = true;

    private HlogWriter(Path target, Supplier<KernelStatus> kernel) throws IOException {
        this.kernel = kernel;
        this.file = AtomicFile.begin(target);
        try {
            this.out =
                    new PrintStream(
                            new FileOutputStream(file.temp().toFile()),
                            false,
                            StandardCharsets.US_ASCII);
        } catch (IOException e) {
            file.close();
            throw e;
        }
        this.writer = new HistogramLogWriter(out);
    }

    /**
     * Opens a log and writes its header: the format version, {@code record=context} with {@code
     * context} (keys {@code [a-z0-9_]+}, any values), StartTime, BaseTime, the legend, and the
     * scheduler running now.
     */
    public static HlogWriter create(Path target, Map<String, String> context) throws IOException {
        return create(target, context, KernelStatus::current);
    }

    /** {@link #create} with the scheduler's state read from {@code kernel} (tests). */
    static HlogWriter create(
            Path target, Map<String, String> context, Supplier<KernelStatus> kernel)
            throws IOException {
        HlogWriter w = new HlogWriter(target, kernel);
        long nowMs = System.currentTimeMillis();
        Map<String, String> header = new LinkedHashMap<>();
        header.put("format", Integer.toString(RecordingContext.FORMAT));
        header.put("started", Instant.ofEpochMilli(nowMs).toString());
        header.putAll(context);
        w.release = context.getOrDefault("kernel", "");
        w.writer.outputLogFormatVersion();
        w.writer.outputComment(RecordingContext.line("context", header));
        w.startMs = nowMs;
        w.writer.outputStartTime(nowMs);
        w.writer.setBaseTime(nowMs);
        w.writer.outputBaseTime(nowMs);
        w.writer.outputLegend();
        // The scheduler is stated before the first interval, not now: an A/B arm's file is made
        // before its first round, while the other arm's scheduler still runs.
        return w;
    }

    /** The tag of a (kind, ring) interval: {@code input_to_run.ring03}. */
    public static String tag(Kind kind, int ring) {
        return String.format(Locale.US, "%s.ring%02d", kind.id(), ring);
    }

    @Override
    public synchronized void onInterval(Kind kind, int ring, Histogram interval) {
        if (sampleStart) {
            sampleStart = false;
            pollScheduler(System.currentTimeMillis());
        }
        if (interval.getTotalCount() == 0) {
            return;
        }
        interval.setTag(tag(kind, ring));
        // Relative to the base time, as HistogramLogWriter's own overload does; never before it.
        long fromMs = Math.max(startMs, interval.getStartTimeStamp());
        long toMs = Math.max(fromMs, interval.getEndTimeStamp());
        writer.outputIntervalHistogram(
                (fromMs - startMs) / 1000.0, (toMs - startMs) / 1000.0, interval);
    }

    @Override
    public synchronized void onSampleEnd() {
        sampleStart = true;
    }

    /**
     * Writes {@code record=<what> t=<seconds since the start> values...} ({@link
     * RecordingContext}), e.g. {@code game}, {@code round} or {@code end}. Flushed at once.
     */
    public void statement(String what, Map<String, String> values) {
        statement(what, values, System.currentTimeMillis());
    }

    private synchronized void statement(String what, Map<String, String> values, long nowMs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("t", String.format(Locale.US, "%.3f", (nowMs - startMs) / 1000.0));
        m.putAll(values);
        writer.outputComment(RecordingContext.line(what, m));
        out.flush();
    }

    /** Reads the scheduler and states it when it is not the one stated last. */
    private void pollScheduler(long nowMs) {
        KernelStatus k = kernel.get();
        String key = k.schedExtState() + " " + k.schedExtOps();
        if (key.equals(lastSched)) {
            return;
        }
        lastSched = key;
        Map<String, String> m = new LinkedHashMap<>();
        m.put("state", k.schedExtState());
        m.put("ops", k.schedExtOps());
        m.put(
                "label",
                KernelStatus.schedulerLabel(
                        k.schedExtState(),
                        k.schedExtOps(),
                        release.isEmpty() ? k.release() : release));
        statement("sched", m, nowMs);
    }

    /**
     * Writes {@code #[Mark <s> s <ISO instant> <note>]}: seconds since the log's start time, then
     * the wall-clock time. HdrHistogram's log readers skip {@code #} lines other than StartTime and
     * BaseTime, so the log stays readable by its tools. Flushed at once, so the mark is in the file
     * even if the app dies before {@link #close}.
     */
    public synchronized void mark(long nowMs, String note) {
        String clean = note.replaceAll("[\\p{Cntrl}\\]]", " ").strip();
        writer.outputComment(
                String.format(
                        Locale.US,
                        "[Mark %.3f s %s%s]",
                        (nowMs - startMs) / 1000.0,
                        Instant.ofEpochMilli(nowMs),
                        clean.isEmpty() ? "" : " " + clean));
        out.flush();
    }

    /**
     * Flushes, syncs and renames the log into place ({@link AtomicFile.Pending#commit}); on a
     * failure the temporary file is removed and the target is left as it was.
     */
    @Override
    public void close() throws IOException {
        if (lastSched == null) {
            pollScheduler(System.currentTimeMillis()); // no interval came: say what ran at the end
        }
        try (file) {
            out.close();
            if (out.checkError()) {
                throw new IOException("writing " + file.temp() + " failed");
            }
            file.commit();
        }
    }
}
