package org.gamercompanion.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A {@link Comparison} as one JSON object (docs/METRICS.md, "compare --json"): {@code verdict},
 * {@code headline}, {@code a} and {@code b} (file, scheduler, context), {@code method}, {@code
 * kinds} {@code {<kind>: {verdict, a, b, ratios}}} with latencies in microseconds, and {@code
 * notes}.
 */
public final class ComparisonJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ComparisonJson() {}

    public static ObjectNode of(Comparison c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("verdict", c.verdict());
        o.put("headline", c.headline().id());
        side(o.putObject("a"), c.a());
        side(o.putObject("b"), c.b());
        ObjectNode method = o.putObject("method");
        method.put("ratio", "b_over_a");
        method.put("interval", "95% percentile interval of a non-overlapping block bootstrap");
        method.put("replicates", BlockBootstrap.REPLICATES);
        method.put("samples_beyond_percentile", Verdict.SAMPLES_BEYOND);
        method.put("min_blocks", Verdict.MIN_BLOCKS);
        ObjectNode kinds = o.putObject("kinds");
        for (Comparison.KindResult r : c.kinds()) {
            ObjectNode k = kinds.putObject(r.kind().id());
            k.put("verdict", r.verdict());
            stats(k.putObject("a"), r.a());
            stats(k.putObject("b"), r.b());
            ObjectNode ratios = k.putObject("ratios");
            for (Comparison.Ratio q : r.ratios()) {
                ObjectNode n = ratios.putObject(q.percentile());
                number(n, "ratio", q.ratio());
                number(n, "ci_low", q.ciLow());
                number(n, "ci_high", q.ciHigh());
                if (q.unavailable() == null) {
                    n.putNull("unavailable");
                } else {
                    n.put("unavailable", q.unavailable());
                }
            }
        }
        c.notes().forEach(o.putArray("notes")::add);
        return o;
    }

    /** Pretty-printed {@link #of}. */
    public static String text(Comparison c) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void side(ObjectNode n, Comparison.Side s) {
        n.put("file", s.file().toString());
        n.put("scheduler", s.scheduler());
        n.put("scheduler_changed", s.context().schedulerChanged());
        n.put("recorded_s", round3(s.recordedS()));
        n.put("intervals", s.intervals());
        n.put("blocks", s.blocks());
        n.put("block_s", round3(s.blockS()));
        n.put("skipped_lines", s.skippedLines());
        ObjectNode ctx = n.putObject("context");
        ctx.put("format", s.context().format());
        for (Map.Entry<String, String> e : s.context().context().entrySet()) {
            ctx.put(e.getKey(), e.getValue());
        }
        ObjectNode end = n.putObject("end");
        s.context().end().forEach(end::put);
    }

    private static void stats(ObjectNode n, Comparison.Stats s) {
        n.put("recorded", s.recorded());
        n.put("count", s.count());
        List<String> names = Comparison.PERCENTILE_NAMES;
        for (int i = 0; i < names.size(); i++) {
            micros(n, names.get(i).replace(".", "") + "_us", s.percentilesNs().get(i));
        }
        micros(n, "max_us", s.maxNs());
        String[] shares = {"over_1ms", "over_4ms", "over_16_7ms"};
        for (int i = 0; i < shares.length; i++) {
            number(n, shares[i], s.shareOver().get(i));
        }
    }

    private static void micros(ObjectNode n, String key, long ns) {
        if (ns < 0) {
            n.putNull(key);
        } else {
            n.put(key, round3(ns / 1000.0));
        }
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, Math.round(v * 1e4) / 1e4);
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
