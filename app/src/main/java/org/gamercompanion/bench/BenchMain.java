package org.gamercompanion.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gamercompanion.agent.AgentClient;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.AgentProcess;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.recorder.EventPipeline;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.ring.EventLayout;
import org.gamercompanion.ring.RingBatchHandler;
import org.gamercompanion.ring.RingReader;
import org.gamercompanion.sys.Affinity;

/**
 * {@code ./companion bench}: the data-path benchmarks of docs/PERFORMANCE.md.
 *
 * <ol>
 *   <li>Drain rate: the agent (started with {@code --bench}) fills all 16 kernel rings with a BPF
 *       program run through BPF_PROG_TEST_RUN; then either this JVM drains them through {@link
 *       RingReader} or the agent drains the same rings with libbpf's {@code ring_buffer__consume}.
 *       The two alternate within one run, each doing the same work per record (decode every field,
 *       count the latency with 3-digit HDR bucket math: libbpf's side in a C port of HdrHistogram's
 *       counts, ours in the product's {@link LatencyRecorders}) and, separately, no work (bare
 *       drain).
 *   <li>Handler cost: bpf_stats run time per call of every program during a pipe ping-pong, next to
 *       an empty tp_btf sched_switch program loaded in the same run, with one (idle) process
 *       watched so the watched-ness filter is populated.
 * </ol>
 *
 * <p>{@code bench compare} ({@link CompareBench}) and {@code bench scrape} ({@link ScrapeBench})
 * measure {@code compare} and a Prometheus scrape of {@code serve} on the committed recordings.
 */
public final class BenchMain {
    private static final int RING_KIB = 4096;
    private static final int BENCH_CPU = 0;

    private BenchMain() {}

    /**
     * The per-record work, switchable between runs on the one reader. The product's pipeline has a
     * reader of its own: one handler type per drain loop, as in the product.
     */
    private static final class SwitchableHandler implements RingBatchHandler {
        static final int BARE = 0;
        static final int WORK = 1;
        int mode;
        long count;
        long checksum;

        /** The product's recorders (plain counts with HdrHistogram's bucket math), for WORK. */
        final LatencyRecorders recorders = new LatencyRecorders(Protocol.RING_COUNT);

        @Override
        public void onEvents(MemorySegment data, long[] offsets, int n, int ring) {
            if (mode != WORK) {
                count += n;
                return;
            }
            recorders.beginBatch(); // a no-op while the pass's batch is open
            long sum = 0;
            for (int i = 0; i < n; i++) {
                long offset = offsets[i];
                long start = EventLayout.startNs(data, offset);
                long end = EventLayout.endNs(data, offset);
                long pidWord = EventLayout.pidWord(data, offset);
                long cpuWord = EventLayout.cpuWord(data, offset);
                long sourceWord = EventLayout.sourceWord(data, offset);
                int kind = EventLayout.kind(cpuWord);
                sum +=
                        EventLayout.pid(pidWord)
                                + EventLayout.tgid(pidWord)
                                + EventLayout.cpu(cpuWord)
                                + EventLayout.ring(cpuWord)
                                + kind
                                + EventLayout.source(sourceWord)
                                + EventLayout.inputType(sourceWord)
                                + EventLayout.inputCode(sourceWord);
                if (kind < Kind.COUNT) {
                    recorders.record(ring, kind, end - start);
                }
            }
            checksum += sum;
            count += n;
        }

        @Override
        public void onEvent(MemorySegment data, long offset, int ring) {
            onEvents(data, new long[] {offset}, 1, ring); // the reader hands chunks: not used
        }

        @Override
        public void onBatchEnd() {
            recorders.endBatch();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("compare")) {
            CompareBench.main(List.of(args).subList(1, args.length), System.out);
            return;
        }
        if (args.length > 0 && args[0].equals("scrape")) {
            ScrapeBench.main(List.of(args).subList(1, args.length), System.out);
            return;
        }
        boolean json = false;
        int rounds = 5;
        int perRing = 0;
        long pingpong = 200_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--records-per-ring" -> perRing = Integer.parseInt(args[++i]);
                case "--pingpong" -> pingpong = Long.parseLong(args[++i]);
                default -> {
                    System.err.println(
                            "usage: ./companion bench [--json] [--rounds N] [--records-per-ring N] [--pingpong N]\n"
                                    + "       ./companion bench compare A.hlog B.hlog OUTDIR [--rounds N]\n"
                                    + "       ./companion bench scrape [--recordings DIR] [--scrapes N]"
                                    + " [--native-schema N] [--scenario NAME]... [--json]");
                    System.exit(2);
                }
            }
        }
        ObjectNode result = run(rounds, perRing, pingpong, json ? null : System.err);
        System.out.println(
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
    }

    static ObjectNode run(int rounds, int perRingArg, long pingpong, PrintStream log)
            throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode out = om.createObjectNode();
        try (AgentProcess agent =
                AgentProcess.start(new AgentProcess.Options(RING_KIB, true, false), l -> {})) {
            AgentClient client = agent.client();
            // Filler, C consumer (both in the agent's one thread) and the Java drain all on one
            // CPU: the
            // C consumer would otherwise find the freshly written rings in its own core's cache and
            // the
            // Java one in the other core's.
            if (!Boolean.getBoolean("gc.bench.nopin")) {
                Affinity.pin(agent.pid(), BENCH_CPU);
                Affinity.pin(0, BENCH_CPU);
            }
            AgentClient.Rings rings = client.hello();
            // Fill each ring to ~90% of what it holds (48 bytes per record) so nothing is lost.
            int perRing = perRingArg > 0 ? perRingArg : (int) (rings.ringBytes() / 48L * 9 / 10);
            long perRound = (long) perRing * Protocol.RING_COUNT;
            SwitchableHandler handler = new SwitchableHandler();
            LatencyRecorders recorders = new LatencyRecorders(Protocol.RING_COUNT);
            try (RingReader reader =
                            RingReader.open(
                                    rings.ringFds(),
                                    rings.countersFd(),
                                    rings.ringBytes(),
                                    handler,
                                    1);
                    EventPipeline pipeline = EventPipeline.start(recorders, null);
                    RingReader pipelineReader =
                            RingReader.open(
                                    rings.ringFds(),
                                    rings.countersFd(),
                                    rings.ringBytes(),
                                    pipeline,
                                    1)) {
                List<Double> javaWork = new ArrayList<>();
                List<Double> cWork = new ArrayList<>();
                List<Double> javaBare = new ArrayList<>();
                List<Double> cBare = new ArrayList<>();
                List<Double> javaPipeline = new ArrayList<>();
                // Warm-up: JIT the Java drain path before anything is timed.
                for (int w = 0; w < 3; w++) {
                    fill(client, perRing);
                    javaDrain(reader, handler, SwitchableHandler.WORK, perRound);
                    fill(client, perRing);
                    javaDrain(reader, handler, SwitchableHandler.BARE, perRound);
                }
                for (int r = 0; r < rounds; r++) {
                    boolean javaFirst = r % 2 == 0;
                    for (int mode : new int[] {SwitchableHandler.WORK, SwitchableHandler.BARE}) {
                        for (int side = 0; side < 2; side++) {
                            boolean java = (side == 0) == javaFirst;
                            fill(client, perRing);
                            double eps =
                                    java
                                            ? javaDrain(reader, handler, mode, perRound)
                                            : cDrain(client, mode, perRound);
                            (mode == SwitchableHandler.WORK
                                            ? (java ? javaWork : cWork)
                                            : (java ? javaBare : cBare))
                                    .add(eps);
                        }
                    }
                    if (log != null) {
                        log.printf(
                                Locale.US,
                                "round %d: java %.1f M/s, C %.1f M/s (work); java %.1f M/s, C %.1f M/s (bare)%n",
                                r,
                                javaWork.getLast() / 1e6,
                                cWork.getLast() / 1e6,
                                javaBare.getLast() / 1e6,
                                cBare.getLast() / 1e6);
                    }
                }
                // The product's own path (reader -> Disruptor -> recorders) last: its different
                // per-event
                // code would otherwise change the JIT's profile of the compared drain loop mid-run.
                for (int r = 0; r < rounds; r++) {
                    fill(client, perRing);
                    javaPipeline.add(javaDrain(pipelineReader, perRound));
                    pipeline.awaitProcessed(10_000);
                }
                out.put("java_over_c_drain", round3(median(javaWork) / median(cWork)));
                out.put("java_over_c_drain_bare", round3(median(javaBare) / median(cBare)));
                ObjectNode drain = out.putObject("drain");
                drain.put("records_per_round", perRound);
                drain.put("rounds", rounds);
                drain.put("ring_bytes", rings.ringBytes());
                putList(drain.putArray("java_work_events_per_s"), javaWork);
                putList(drain.putArray("c_work_events_per_s"), cWork);
                putList(drain.putArray("java_bare_events_per_s"), javaBare);
                putList(drain.putArray("c_bare_events_per_s"), cBare);
                putList(drain.putArray("java_pipeline_events_per_s"), javaPipeline);
                drain.put("lost", sumLost(reader));
            } finally {
                rings.closeFds();
            }
            switchCost(client, pingpong, out, log);
        }
        CostBreakdown.Result cost = CostBreakdown.measure(1_000_000, 9);
        ObjectNode breakdown = out.putObject("java_work_breakdown_ns_per_record");
        breakdown.put("decode_all_fields", round3(cost.decodeNs()));
        breakdown.put("hdrhistogram_record", round3(cost.hdrRecordNs()));
        breakdown.put("plain_array_record", round3(cost.plainArrayNs()));
        breakdown.put("latency_recorders_record", round3(cost.recordersNs()));
        breakdown.put("single_writer_recorders_record", round3(cost.singleWriterRecordersNs()));
        if (log != null) {
            log.printf(
                    Locale.US,
                    "per record: decode %.2f ns, HdrHistogram record %.2f ns, plain array %.2f ns,"
                            + " LatencyRecorders %.2f ns, SingleWriterRecorders %.2f ns%n",
                    cost.decodeNs(),
                    cost.hdrRecordNs(),
                    cost.plainArrayNs(),
                    cost.recordersNs(),
                    cost.singleWriterRecordersNs());
        }
        return out;
    }

    private static void switchCost(
            AgentClient client, long pingpong, ObjectNode out, PrintStream log) throws Exception {
        // Watch an idle process so the watched filter is live but the ping-pong tasks are not
        // watched.
        Process idle = new ProcessBuilder("sleep", "600").start();
        try {
            client.watch(idle.pid());
            List<String> words = client.bench("PINGPONG " + pingpong);
            ObjectNode progs = out.putObject("programs");
            double switchNs = Double.NaN;
            double emptyNs = Double.NaN;
            for (String w : words.subList(2, words.size())) {
                if (w.startsWith("in_filter=")) {
                    // Ping-pong processes whose watched_filter slot is set pay the hash lookup.
                    out.put(
                            "pingpong_in_filter",
                            Integer.parseInt(w.substring("in_filter=".length())));
                    continue;
                }
                int eq = w.indexOf('=');
                int colon = w.indexOf(':', eq);
                if (eq < 0 || colon < 0) {
                    continue;
                }
                String name = w.substring(0, eq);
                long cnt = Long.parseLong(w.substring(eq + 1, colon));
                long ns = Long.parseLong(w.substring(colon + 1));
                ObjectNode p = progs.putObject(name);
                p.put("run_cnt", cnt);
                p.put("run_time_ns", ns);
                double per = cnt == 0 ? Double.NaN : (double) ns / cnt;
                p.put("ns_per_call", cnt == 0 ? null : round3(per));
                if (name.contains("empty")) {
                    emptyNs = per;
                } else if (name.contains("switch")) {
                    switchNs = per;
                }
            }
            out.put("switch_unwatched_over_empty", round3(switchNs / emptyNs));
            out.put("pingpong_round_trips", pingpong);
            if (log != null) {
                log.printf(
                        Locale.US,
                        "sched_switch %.1f ns/call, empty %.1f ns/call%n",
                        switchNs,
                        emptyNs);
            }
        } finally {
            idle.destroyForcibly();
        }
    }

    private static void fill(AgentClient client, int perRing) throws AgentException {
        List<String> w = client.bench("FILL ALL " + perRing);
        long lost = Long.parseLong(w.get(w.size() - 1));
        if (lost != 0) {
            throw new AgentException(
                    "bench fill lost "
                            + lost
                            + " records: rings too small for "
                            + perRing
                            + " per ring");
        }
    }

    private static double javaDrain(
            RingReader reader, SwitchableHandler h, int mode, long expected) {
        h.mode = mode;
        return javaDrain(reader, expected);
    }

    private static double javaDrain(RingReader reader, long expected) {
        long before = reader.consumedTotal();
        long t0 = System.nanoTime();
        while (reader.consumedTotal() - before < expected) {
            reader.drainAllOnce();
        }
        long t1 = System.nanoTime();
        return (reader.consumedTotal() - before) * 1e9 / (t1 - t0);
    }

    private static double cDrain(AgentClient client, int mode, long expected)
            throws AgentException {
        List<String> w = client.bench("CONSUME " + (mode == SwitchableHandler.WORK ? 1 : 0));
        long records = Long.parseLong(w.get(2));
        long ns = Long.parseLong(w.get(3));
        if (records != expected) {
            throw new AgentException(
                    "C consumer drained " + records + " records, expected " + expected);
        }
        return records * 1e9 / ns;
    }

    private static long sumLost(RingReader reader) {
        long s = 0;
        for (int r = 0; r < Protocol.RING_COUNT; r++) {
            s += reader.counters().lost(r);
        }
        return s;
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static void putList(ArrayNode arr, List<Double> v) {
        v.forEach(x -> arr.add(Math.round(x)));
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
