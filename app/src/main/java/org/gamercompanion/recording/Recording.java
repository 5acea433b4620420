package org.gamercompanion.recording;

import java.io.IOException;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.HdrLayout;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;

/**
 * A recording read back from an {@code .hlog} ({@code report}): cumulative histograms per (kind,
 * ring), what the recording states about itself ({@link RecordingContext}) and what the scan met.
 * Read in one streaming pass ({@link HlogScanner}): memory is bounded by the 48 histograms, never
 * by the file. Intervals tagged by other tools are counted, not fatal.
 *
 * <pre>{@code
 * Recording r = Recording.read(Path.of("cs2.hlog"), 16, false);  // RecordingException names file and line
 * long p99 = r.histogram(Kind.INPUT_TO_RUN, 3).getValueAtPercentile(99);
 * }</pre>
 */
public final class Recording {
    private final int ringCount;
    private final long[][] counts;
    private final Histogram[] histograms;
    private final RecordingContext context;
    private final HlogScanner.Summary summary;

    private Recording(
            int ringCount, long[][] counts, RecordingContext context, HlogScanner.Summary summary) {
        this.ringCount = ringCount;
        this.counts = counts;
        this.histograms = new Histogram[counts.length];
        this.context = context;
        this.summary = summary;
    }

    /**
     * Reads a log written by {@link HlogWriter}.
     *
     * @param salvage skip corrupt interval lines (counted in {@link #skippedLines}) instead of
     *     failing
     * @throws RecordingException the file is missing, empty, not an HdrHistogram log, or (without
     *     salvage) has a corrupt line: the message names the file, the line and the reason
     */
    public static Recording read(Path file, int ringCount, boolean salvage) throws IOException {
        long[][] counts = new long[Kind.COUNT * ringCount][];
        RecordingContext.Reader ctx = new RecordingContext.Reader();
        HlogScanner.Summary summary =
                HlogScanner.scan(
                        file,
                        ringCount,
                        salvage,
                        new HlogScanner.Visitor() {
                            @Override
                            public void comment(long line, String text) {
                                ctx.accept(line, text);
                            }

                            @Override
                            public void interval(HlogScanner.Interval h) {
                                int slot = h.kind().wireId() * ringCount + h.ring();
                                if (counts[slot] == null) {
                                    counts[slot] = new long[HdrLayout.LENGTH];
                                }
                                h.addTo(counts[slot]);
                            }
                        });
        return new Recording(ringCount, counts, ctx.result(), summary);
    }

    record Target(Kind kind, int ring) {}

    /** {@code input_to_run.ring03} -> (INPUT_TO_RUN, 3); null if the tag is not ours. */
    static Target parseTag(String tag, int ringCount) {
        if (tag == null) {
            return null;
        }
        int dot = tag.lastIndexOf(".ring");
        if (dot < 0) {
            return null;
        }
        try {
            Kind k = Kind.ofId(tag.substring(0, dot));
            String ring = tag.substring(dot + 5);
            if (ring.isEmpty() || ring.length() > 3 || !ring.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int r = Integer.parseInt(ring);
            return r < ringCount ? new Target(k, r) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The whole recording's histogram of one (kind, ring); identical, count for count, to
     * HdrHistogram's reading.
     */
    public Histogram histogram(Kind kind, int ring) {
        int slot = kind.wireId() * ringCount + ring;
        if (histograms[slot] == null) {
            histograms[slot] =
                    counts[slot] == null
                            ? LatencyRecorders.newHistogram()
                            : HdrLayout.toHistogram(counts[slot]);
        }
        return histograms[slot];
    }

    public RecordingContext context() {
        return context;
    }

    /** Interval lines of ours. */
    public long intervals() {
        return summary.intervals();
    }

    /** Intervals whose tag is not one of ours (a log from another tool). */
    public long foreignIntervals() {
        return summary.foreign();
    }

    /** Corrupt lines skipped under salvage; {@link #firstSkipped} says where and why. */
    public long skippedLines() {
        return summary.skipped();
    }

    public String firstSkipped() {
        return summary.firstSkipped();
    }

    /**
     * The recording's length: its own {@code duration_s} when it states a plausible one, else the
     * span of its intervals.
     */
    public double durationS() {
        String d = context.end().get("duration_s");
        if (d != null) {
            try {
                double v = Double.parseDouble(d);
                if (v >= 0 && v < 1e9) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // ReportCommand names the field; here the intervals give the length instead
            }
        }
        return summary.spanS();
    }
}
