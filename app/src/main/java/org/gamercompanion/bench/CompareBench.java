package org.gamercompanion.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.gamercompanion.compare.Comparer;
import org.gamercompanion.compare.Comparison;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.HlogWriter;
import org.gamercompanion.recording.RecordingContext;

/**
 * The speed of {@code compare} on two 1-hour recordings (docs/PERFORMANCE.md, "compare"): {@code
 * ./companion bench compare A.hlog B.hlog OUTDIR} turns two real recordings into hour-long ones of
 * the shape the issue names (3,600 one-second intervals, 48 histograms each: every real interval's
 * histograms are repeated in time and copied onto all 16 rings, so the contents are real latencies,
 * the layout that of a 16-CPU machine) and times {@link Comparer#compare} on them, bootstrap
 * included, in this process: one warm-up, then {@code --rounds} timed runs.
 *
 * <p>The files stay in OUTDIR, so the CLI can be timed as a whole process too ({@code ./companion
 * compare OUTDIR/A-1h.hlog OUTDIR/B-1h.hlog --json}).
 */
final class CompareBench {
    static final int SECONDS = 3600;

    private CompareBench() {}

    static void main(List<String> args, PrintStream out) throws Exception {
        if (args.size() < 3) {
            System.err.println(
                    "usage: ./companion bench compare A.hlog B.hlog OUTDIR [--rounds N]");
            System.exit(2);
        }
        int rounds =
                args.size() >= 5 && args.get(3).equals("--rounds")
                        ? Integer.parseInt(args.get(4))
                        : 5;
        Path dir = Files.createDirectories(Path.of(args.get(2)));
        Path a = dir.resolve("A-1h.hlog");
        Path b = dir.resolve("B-1h.hlog");
        long t0 = System.nanoTime();
        stretch(Path.of(args.get(0)), a);
        stretch(Path.of(args.get(1)), b);
        out.printf(
                Locale.US,
                "wrote %s (%d MB) and %s (%d MB) in %.1f s%n",
                a,
                Files.size(a) >> 20,
                b,
                Files.size(b) >> 20,
                (System.nanoTime() - t0) / 1e9);
        Comparison c = Comparer.compare(a, b, Comparer.Options.all()); // warm-up
        double[] seconds = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long s = System.nanoTime();
            c = Comparer.compare(a, b, Comparer.Options.all());
            seconds[r] = (System.nanoTime() - s) / 1e9;
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        out.printf(
                Locale.US,
                "compare of two 1-hour recordings (%d + %d intervals): median %.2f s (min %.2f, max %.2f)"
                        + " over %d runs after one warm-up; runs %s%n",
                c.a().intervals(),
                c.b().intervals(),
                sorted[rounds / 2],
                sorted[0],
                sorted[rounds - 1],
                rounds,
                Arrays.toString(seconds));
        out.println("verdict: " + c.verdict());
    }

    /** One tick of the source: its histograms by kind and ring. */
    private record Tick(List<Histogram> histograms, List<Kind> kinds, List<Integer> rings) {}

    /**
     * Writes {@code SECONDS} one-second intervals of 48 histograms, cycling through the source's
     * ticks.
     */
    private static void stretch(Path source, Path target) throws IOException {
        List<Tick> ticks = ticks(source);
        if (ticks.isEmpty()) {
            throw new IOException(source + ": no intervals");
        }
        try (PrintStream ps = new PrintStream(Files.newOutputStream(target), false, "US-ASCII")) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputLogFormatVersion();
            w.outputComment(
                    RecordingContext.line(
                            "context",
                            Map.of(
                                    "format",
                                    "2",
                                    "writer",
                                    "bench",
                                    "kinds",
                                    "input_to_run,wakeup_to_run,preempt_to_run")));
            w.outputStartTime(0);
            w.setBaseTime(0);
            w.outputLegend();
            for (int s = 0; s < SECONDS; s++) {
                Tick t = ticks.get(s % ticks.size());
                for (Kind k : Kind.values()) {
                    Histogram src = null;
                    for (int i = 0; i < t.histograms().size(); i++) {
                        if (t.kinds().get(i) == k) {
                            src = t.histograms().get(i);
                        }
                    }
                    if (src == null) {
                        continue;
                    }
                    for (int ring = 0; ring < 16; ring++) {
                        Histogram h = src.copy();
                        h.setTag(HlogWriter.tag(k, ring));
                        w.outputIntervalHistogram(s, s + 1, h);
                    }
                }
            }
        }
    }

    private static List<Tick> ticks(Path source) throws IOException {
        List<Tick> out = new ArrayList<>();
        HistogramLogReader r = new HistogramLogReader(source.toFile());
        EncodableHistogram eh;
        Tick cur = null;
        long start = Long.MIN_VALUE;
        while ((eh = r.nextIntervalHistogram()) != null) {
            if (!(eh instanceof Histogram h)
                    || eh.getTag() == null
                    || !eh.getTag().contains(".ring")) {
                continue;
            }
            if (cur == null || Math.abs(h.getStartTimeStamp() - start) > 200) {
                cur = new Tick(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                out.add(cur);
                start = h.getStartTimeStamp();
            }
            String tag = eh.getTag();
            cur.histograms().add(h);
            cur.kinds().add(Kind.ofId(tag.substring(0, tag.lastIndexOf(".ring"))));
            cur.rings().add(Integer.parseInt(tag.substring(tag.lastIndexOf(".ring") + 5)));
        }
        r.close();
        return out;
    }
}
