package org.gamercompanion.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.Recording;
import org.gamercompanion.recording.RecordingContext;
import org.gamercompanion.recording.RecordingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report F.hlog}: what a recording measured (its context: machine, kernel, scheduler per
 * interval, game, input), then its numbers. A file that is not a recording, or states something
 * impossible, is an error that names the file, the line and the field; nothing in a file can make
 * it allocate more than its 48 histograms.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Summarise a recording (.hlog): what it measured," + " then its numbers.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "F.hlog")
    Path file;

    @Option(
            names = "--json",
            description =
                    "Print one JSON object, shaped like record --json, with a \"recording\" object.")
    boolean json;

    @Option(
            names = "--salvage",
            description = "Skip corrupt lines (counted in the report) instead of failing.")
    boolean salvage;

    @Override
    public Integer call() throws Exception {
        Recording rec = Recording.read(file, Protocol.RING_COUNT, salvage);
        if (rec.intervals() == 0 && rec.foreignIntervals() > 0) {
            throw new RecordingException(
                    file,
                    0,
                    "holds no histograms of Gamer Companion ("
                            + rec.foreignIntervals()
                            + " intervals tagged by another tool)");
        }
        RecordingContext ctx = rec.context();
        long[] ringLost = ringLost(ctx);
        CpuTopology topology = topology(ctx);
        LatencyReport.Header header =
                new LatencyReport.Header(
                        rec.durationS(),
                        value(ctx, "input_source", "unknown"),
                        Protocol.readable(value(ctx, "input_hook", "unknown")),
                        firstSched(ctx).state(),
                        firstSched(ctx).ops(),
                        count(ctx, "emitted_total"),
                        count(ctx, "consumed_total"),
                        Arrays.stream(ringLost).sum());
        LatencyReport report =
                new LatencyReport(
                        header,
                        new LatencyReport.Source() {
                            @Override
                            public Histogram histogram(Kind kind, int ring) {
                                return rec.histogram(kind, ring);
                            }

                            @Override
                            public long lost(int ring) {
                                return ringLost[ring];
                            }
                        },
                        topology,
                        Protocol.RING_COUNT);
        if (json) {
            ObjectNode o = report.toJson();
            o.set("recording", recordingJson(rec));
            System.out.println(
                    LatencyReport.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            printContext(rec, System.out);
            report.printText(System.out);
        }
        return 0;
    }

    private void printContext(Recording rec, PrintStream out) {
        RecordingContext ctx = rec.context();
        out.println(
                "recording "
                        + Terminal.escape(file.toString())
                        + " ("
                        + rec.intervals()
                        + " intervals"
                        + (rec.foreignIntervals() > 0
                                ? ", " + rec.foreignIntervals() + " with tags not ours"
                                : "")
                        + (rec.skippedLines() > 0
                                ? ", "
                                        + rec.skippedLines()
                                        + " corrupt lines skipped, the first at "
                                        + rec.firstSkipped()
                                : "")
                        + ")");
        if (ctx.format() == 0) {
            out.println("  states no context: not written by Gamer Companion");
        } else {
            Map<String, String> c = ctx.context();
            out.println(
                    "  format "
                            + ctx.format()
                            + (c.containsKey("writer") ? ", written by " + c.get("writer") : "")
                            + (c.containsKey("started") ? " at " + c.get("started") : ""));
            out.println(
                    "  machine: kernel "
                            + clean(c.getOrDefault("kernel", "?"))
                            + ", "
                            + clean(c.getOrDefault("cpu_model", "CPU ?"))
                            + ", "
                            + clean(c.getOrDefault("cpu_count", "?"))
                            + " CPUs");
            out.println("  scheduler: " + clean(ctx.schedulerLabel()));
            for (RecordingContext.Game g : ctx.games()) {
                out.printf(Locale.US, "  game: %s from %.1f s%n", clean(g.describe()), g.tS());
            }
            if (ctx.games().isEmpty() && c.containsKey("game_exe")) {
                out.println(
                        "  game: "
                                + clean(c.get("game_exe"))
                                + " (pid "
                                + clean(c.getOrDefault("game_tgid", "?"))
                                + ")");
            }
            if (c.containsKey("ab_arm")) {
                out.println(
                        "  A/B test: arm "
                                + clean(c.get("ab_arm"))
                                + " ("
                                + clean(c.getOrDefault("ab_scheduler", "?"))
                                + "), "
                                + ctx.rounds().size()
                                + " rounds recorded");
            }
        }
    }

    private static String clean(String s) {
        return Terminal.escape(s);
    }

    private ObjectNode recordingJson(Recording rec) {
        RecordingContext ctx = rec.context();
        ObjectNode r = LatencyReport.JSON.createObjectNode();
        r.put("file", file.toString());
        r.put("format", ctx.format());
        r.put("intervals", rec.intervals());
        r.put("foreign_intervals", rec.foreignIntervals());
        r.put("skipped_lines", rec.skippedLines());
        ObjectNode c = r.putObject("context");
        ctx.context().forEach(c::put);
        r.put("scheduler_label", ctx.schedulerLabel());
        ArrayNode sched = r.putArray("scheduler");
        for (RecordingContext.Sched s : ctx.scheduler()) {
            ObjectNode n = sched.addObject();
            if (Double.isNaN(s.tS())) {
                n.putNull("t_s");
            } else {
                n.put("t_s", s.tS());
            }
            n.put("state", s.state());
            n.put("ops", s.ops());
            n.put("label", s.label());
        }
        ArrayNode games = r.putArray("games");
        for (RecordingContext.Game g : ctx.games()) {
            ObjectNode n = games.addObject();
            n.put("t_s", g.tS());
            n.put("profile", g.profile());
            n.put("exe", g.exe());
            n.put("tgid", g.tgid());
        }
        ObjectNode end = r.putObject("end");
        ctx.end().forEach(end::put);
        return r;
    }

    private static RecordingContext.Sched firstSched(RecordingContext ctx) {
        return ctx.scheduler().isEmpty()
                ? new RecordingContext.Sched(0, "unknown", "", "unknown")
                : ctx.scheduler().get(0);
    }

    /** A context or end value (the end's wins: it is the final word), or {@code fallback}. */
    private static String value(RecordingContext ctx, String key, String fallback) {
        return ctx.end().getOrDefault(key, ctx.context().getOrDefault(key, fallback));
    }

    private RecordingException invalid(RecordingContext ctx, String key, String why) {
        return new RecordingException(file, ctx.lineOf(key), "field " + key + ": " + why);
    }

    /** A count the recording states (events emitted, consumed): 0 when it does not say. */
    private long count(RecordingContext ctx, String key) throws RecordingException {
        String v = value(ctx, key, null);
        if (v == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw invalid(ctx, key, "must not be negative (was " + v + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(ctx, key, "'" + clean(v) + "' is not a count");
        }
    }

    /** {@code ring_lost}: one count per ring; absent means nothing was counted as lost. */
    private long[] ringLost(RecordingContext ctx) throws RecordingException {
        long[] out = new long[Protocol.RING_COUNT];
        String v = value(ctx, "ring_lost", null);
        if (v == null) {
            return out;
        }
        String[] parts = v.split(",", -1);
        if (parts.length != Protocol.RING_COUNT) {
            throw invalid(
                    ctx,
                    "ring_lost",
                    "needs " + Protocol.RING_COUNT + " counts (had " + parts.length + ")");
        }
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw invalid(
                        ctx,
                        "ring_lost",
                        "ring " + i + ": '" + clean(parts[i]) + "' is not a count");
            }
            if (out[i] < 0) {
                throw invalid(
                        ctx,
                        "ring_lost",
                        "ring " + i + ": must not be negative (was " + parts[i] + ")");
            }
        }
        return out;
    }

    /** {@code cpus}: the CPUs of the machine that recorded, at most {@link CpuTopology#MAX_CPU}. */
    private CpuTopology topology(RecordingContext ctx) throws RecordingException {
        String v = value(ctx, "cpus", null);
        if (v == null) {
            return CpuTopology.ofCount(Protocol.RING_COUNT);
        }
        try {
            return CpuTopology.ofList(v.replaceAll("[\\[\\]]", ""));
        } catch (IllegalArgumentException e) {
            throw invalid(ctx, "cpus", e.getMessage());
        }
    }
}
