package org.gamercompanion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.snapshot.LatencySummary;

/**
 * The result of a recording, as the JSON object of DESIGN.md section 7 and as a text table. Built
 * from cumulative histograms, live ({@code record}) or read back from an .hlog ({@code report}).
 */
final class LatencyReport {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Where the histograms and per-ring lost counts come from. */
    interface Source {
        Histogram histogram(Kind kind, int ring);

        long lost(int ring);
    }

    /** Header fields of the JSON object, in order. */
    record Header(
            double durationS,
            String inputSource,
            String inputHook,
            String schedState,
            String schedOps,
            long emittedTotal,
            long consumedTotal,
            long lostTotal) {}

    private final Header header;
    private final Source source;
    private final CpuTopology topology;
    private final int rings;
    private final ArrayNode matchedProfiles = JSON.createArrayNode();

    LatencyReport(Header header, Source source, CpuTopology topology, int rings) {
        this.header = header;
        this.source = source;
        this.topology = topology;
        this.rings = rings;
    }

    /** Adds one entry to {@code matched_profiles} ({@code record --profiles}). */
    void addMatchedProfile(String name, long pid, String exe) {
        ObjectNode m = matchedProfiles.addObject();
        m.put("name", name);
        m.put("pid", pid);
        m.put("exe", exe);
    }

    ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("duration_s", round3(header.durationS()));
        o.put("input_source", header.inputSource());
        o.put("input_hook", header.inputHook());
        ObjectNode sched = o.putObject("scheduler");
        sched.put("state", header.schedState());
        if (header.schedOps() == null || header.schedOps().isEmpty()) {
            sched.putNull("ops");
        } else {
            sched.put("ops", header.schedOps());
        }
        o.put("emitted_total", header.emittedTotal());
        o.put("consumed_total", header.consumedTotal());
        o.put("lost_total", header.lostTotal());
        o.set("matched_profiles", matchedProfiles);
        ObjectNode kinds = o.putObject("kinds");
        for (Kind k : Kind.values()) {
            ObjectNode kn = kinds.putObject(k.id());
            Histogram merged = merged(k);
            kn.set(
                    "merged",
                    entry(null, topology.cpus(), LatencySummary.of(merged, header.lostTotal())));
            ArrayNode buffers = kn.putArray("buffers");
            for (int r = 0; r < rings; r++) {
                buffers.add(
                        entry(
                                r,
                                topology.cpusOfRing(r, rings),
                                LatencySummary.of(source.histogram(k, r), source.lost(r))));
            }
        }
        return o;
    }

    private Histogram merged(Kind k) {
        Histogram m = LatencyRecorders.newHistogram();
        for (int r = 0; r < rings; r++) {
            m.add(source.histogram(k, r));
        }
        return m;
    }

    private static ObjectNode entry(Integer index, List<Integer> cpus, LatencySummary s) {
        ObjectNode e = JSON.createObjectNode();
        if (index != null) {
            e.put("index", index);
        }
        ArrayNode c = e.putArray("cpus");
        cpus.forEach(c::add);
        e.put("count", s.count());
        e.put("lost", s.lost());
        putUs(e, "p50_us", s.p50Ns());
        putUs(e, "p90_us", s.p90Ns());
        putUs(e, "p99_us", s.p99Ns());
        putUs(e, "p999_us", s.p999Ns());
        putUs(e, "max_us", s.maxNs());
        return e;
    }

    /** Microseconds with nanosecond precision; null (not 0) when there are no samples. */
    private static void putUs(ObjectNode e, String field, long ns) {
        if (ns == LatencySummary.NONE) {
            e.putNull(field);
        } else {
            e.put(field, ns / 1000.0);
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    void printText(PrintStream out) {
        out.printf(
                Locale.US,
                "duration %.1f s, input source %s, input hook %s, scheduler %s%s%n",
                header.durationS(),
                header.inputSource(),
                header.inputHook(),
                header.schedState(),
                header.schedOps() == null || header.schedOps().isEmpty()
                        ? ""
                        : " (" + header.schedOps() + ")");
        out.printf(
                Locale.US,
                "events: emitted %d, consumed %d, lost %d%n",
                header.emittedTotal(),
                header.consumedTotal(),
                header.lostTotal());
        for (JsonNode m : matchedProfiles) {
            out.printf(
                    Locale.US,
                    "profile %s matched pid %d (%s)%n",
                    m.get("name").asText(),
                    m.get("pid").asLong(),
                    m.get("exe").asText());
        }
        for (Kind k : Kind.values()) {
            out.printf(
                    Locale.US,
                    "%n%s%n  %-10s %-12s %9s %7s %10s %10s %10s %10s %10s%n",
                    k.id(),
                    "buffer",
                    "cpus",
                    "count",
                    "lost",
                    "p50 us",
                    "p90 us",
                    "p99 us",
                    "p99.9 us",
                    "max us");
            printRow(
                    out,
                    "merged",
                    topology.cpus(),
                    LatencySummary.of(merged(k), header.lostTotal()));
            for (int r = 0; r < rings; r++) {
                List<Integer> cpus = topology.cpusOfRing(r, rings);
                LatencySummary s = LatencySummary.of(source.histogram(k, r), source.lost(r));
                if (!s.isEmpty() || s.lost() > 0) {
                    printRow(out, "ring " + r, cpus, s);
                }
            }
        }
    }

    private static void printRow(
            PrintStream out, String name, List<Integer> cpus, LatencySummary s) {
        String cpuText = cpus.isEmpty() ? "(none)" : cpus.toString().replace(" ", "");
        out.printf(
                Locale.US,
                "  %-10s %-12s %9d %7d %10s %10s %10s %10s %10s%n",
                name,
                cpuText,
                s.count(),
                s.lost(),
                us(s.p50Ns()),
                us(s.p90Ns()),
                us(s.p99Ns()),
                us(s.p999Ns()),
                us(s.maxNs()));
    }

    private static String us(long ns) {
        return ns == LatencySummary.NONE ? "-" : String.format(Locale.US, "%.1f", ns / 1000.0);
    }
}
