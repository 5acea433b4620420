package org.gamercompanion.recording;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;

/**
 * A recording read back from an {@code .hlog}: cumulative histograms per (kind, ring) and the
 * metadata comments. Unknown tags (other tools' logs) are counted, not fatal.
 */
public final class Recording {
    private final Map<Kind, Histogram[]> histograms;
    private final Map<String, String> metadata;
    private final int intervals;
    private final int foreignIntervals;
    private final double durationS;

    private Recording(Map<Kind, Histogram[]> histograms, Map<String, String> metadata, int intervals,
            int foreignIntervals, double durationS) {
        this.histograms = histograms;
        this.metadata = metadata;
        this.intervals = intervals;
        this.foreignIntervals = foreignIntervals;
        this.durationS = durationS;
    }

    /** Reads a log written by {@link HlogWriter}. */
    public static Recording read(Path file, int ringCount) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(file + ": no such recording");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        for (String line : lines) {
            if (line.startsWith("#" + HlogWriter.META_PREFIX)) {
                for (String kv : line.substring(1 + HlogWriter.META_PREFIX.length()).split(" ")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        meta.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        Map<Kind, Histogram[]> hs = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            Histogram[] arr = new Histogram[ringCount];
            for (int r = 0; r < ringCount; r++) {
                arr[r] = LatencyRecorders.newHistogram();
            }
            hs.put(k, arr);
        }
        int intervals = 0;
        int foreign = 0;
        double firstStart = Double.NaN;
        double lastEnd = Double.NaN;
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(file.toFile());
        } catch (FileNotFoundException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        try {
            EncodableHistogram eh;
            while ((eh = reader.nextIntervalHistogram()) != null) {
                Target t = parseTag(eh.getTag(), ringCount);
                if (t == null || !(eh instanceof Histogram h)) {
                    foreign++;
                    continue;
                }
                hs.get(t.kind())[t.ring()].add(h);
                intervals++;
                double start = eh.getStartTimeStamp() / 1000.0;
                double end = eh.getEndTimeStamp() / 1000.0;
                firstStart = Double.isNaN(firstStart) ? start : Math.min(firstStart, start);
                lastEnd = Double.isNaN(lastEnd) ? end : Math.max(lastEnd, end);
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable HdrHistogram log (" + e + ")", e);
        } finally {
            reader.close();
        }
        double duration = meta.containsKey("duration_s") ? Double.parseDouble(meta.get("duration_s"))
                : (Double.isNaN(firstStart) ? 0 : lastEnd - firstStart);
        return new Recording(hs, meta, intervals, foreign, duration);
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
            int ring = Integer.parseInt(tag.substring(dot + 5));
            return ring >= 0 && ring < ringCount ? new Target(k, ring) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public Histogram histogram(Kind kind, int ring) {
        return histograms.get(kind)[ring];
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public int intervals() {
        return intervals;
    }

    /** Intervals whose tag is not one of ours (a log from another tool). */
    public int foreignIntervals() {
        return foreignIntervals;
    }

    public double durationS() {
        return durationS;
    }
}
