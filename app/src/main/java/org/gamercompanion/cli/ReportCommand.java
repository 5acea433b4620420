package org.gamercompanion.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.Recording;
import org.gamercompanion.kernel.CpuTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", description = "Summarise a recording (.hlog).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "F.hlog")
    Path file;

    @Option(names = "--json", description = "Print one JSON object, shaped like record --json.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Recording rec = Recording.read(file, Protocol.RING_COUNT);
        var meta = rec.metadata();
        long[] ringLost = new long[Protocol.RING_COUNT];
        String rl = meta.get("ring_lost");
        if (rl != null) {
            String[] parts = rl.split(",");
            for (int i = 0; i < Math.min(parts.length, ringLost.length); i++) {
                ringLost[i] = Long.parseLong(parts[i]);
            }
        }
        CpuTopology topology = meta.containsKey("cpus")
                ? CpuTopology.ofList(meta.get("cpus").replaceAll("[\\[\\]]", ""))
                : CpuTopology.ofCount(Protocol.RING_COUNT);
        LatencyReport.Header header = new LatencyReport.Header(rec.durationS(),
                meta.getOrDefault("input_source", "unknown"), Protocol.readable(meta.getOrDefault("input_hook", "unknown")),
                meta.getOrDefault("sched_state", "unknown"), meta.getOrDefault("sched_ops", ""),
                parse(meta.get("emitted_total")), parse(meta.get("consumed_total")), Arrays.stream(ringLost).sum());
        LatencyReport report = new LatencyReport(header, new LatencyReport.Source() {
            @Override
            public Histogram histogram(Kind kind, int ring) {
                return rec.histogram(kind, ring);
            }

            @Override
            public long lost(int ring) {
                return ringLost[ring];
            }
        }, topology, Protocol.RING_COUNT);
        if (json) {
            System.out.println(LatencyReport.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()));
        } else {
            System.out.println("recording " + file + " (" + rec.intervals() + " intervals"
                    + (rec.foreignIntervals() > 0 ? ", " + rec.foreignIntervals() + " with tags not ours" : "") + ")");
            report.printText(System.out);
        }
        return 0;
    }

    private static long parse(String v) {
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
