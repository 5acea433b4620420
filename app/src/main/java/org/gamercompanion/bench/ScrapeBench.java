package org.gamercompanion.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.ThreadMXBean;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.detect.ProcessIdentity;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.metrics.LatencyMetrics;
import org.gamercompanion.metrics.Listen;
import org.gamercompanion.metrics.MetricsEndpoint;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.recorder.EventPipeline;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.ring.EventLayout;
import org.gamercompanion.snapshot.Snapshot;

/**
 * The cost of one Prometheus scrape of {@code serve}'s {@code /metrics} (docs/PERFORMANCE.md,
 * "Scrape cost"): {@code ./companion bench scrape [--recordings DIR] [--scrapes N] [--scenario
 * NAME]... [--json]}.
 *
 * <p><b>Data.</b> The committed real recordings (src/test/resources/recordings/README.md) are
 * replayed sample by sample through the product's own path, {@link EventPipeline} with {@link
 * LatencyMetrics} as its listener, as {@code serve} runs it. A scenario is a set of (game,
 * scheduler) label cells; cell i gets recording i mod 4. The recordings come from 2-CPU machines
 * (rings 0 and 1); to lay them out as on a 16-CPU machine, a sample of ring r is recorded on rings
 * r, r + 2, ..., r + 14, so each per-ring histogram holds what its recording's ring held and the
 * merged histograms hold every sample 8 times (the same buckets, 8x the counts). Before timing,
 * every cell gets its whole recording; before each timed scrape, one more interval of it (about 1 s
 * of play), so every series that has data changed since the previous scrape, as while games run.
 *
 * <p><b>What is timed.</b> The scraping thread's CPU time ({@code ThreadMXBean}), per scrape: (1)
 * in this thread, {@code registry.scrape()} (a copy of the populated classic and native buckets of
 * every series that changed since the previous scrape), the writer of the format and a gzip of its
 * output, as the client's scrape handler does when asked for gzip; (2) a real HTTP scrape of a
 * {@link MetricsEndpoint} on loopback with the Accept and Accept-Encoding headers Prometheus 2.42
 * sends: the CPU time of the server's threads ({@code prometheus-http-*}, {@code HTTP-Dispatcher})
 * during the request, and the bytes on the wire. Formats alternate within a run. A benchmark, not a
 * test: it prints, it never passes or fails.
 */
final class ScrapeBench {
    /** What Prometheus 2.42 (Debian 12) asks for without native histograms. */
    static final String ACCEPT_OPENMETRICS =
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    /** What Prometheus 2.42 asks for with {@code --enable-feature=native-histograms}. */
    static final String ACCEPT_PROTOBUF =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
                    + "application/openmetrics-text;version=1.0.0;q=0.8,"
                    + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    /** The classic text format (what curl and older scrapers get). */
    static final String ACCEPT_TEXT = "text/plain;version=0.0.4";

    enum Format {
        TEXT("text", ACCEPT_TEXT),
        OPENMETRICS("openmetrics", ACCEPT_OPENMETRICS),
        PROTOBUF("protobuf", ACCEPT_PROTOBUF);

        final String id;
        final String accept;

        Format(String id, String accept) {
            this.id = id;
            this.accept = accept;
        }
    }

    /**
     * The label cells: {@code games} profile names besides the unmatched {@code game=""}, {@code
     * ops} sched_ext ops names besides {@code default}.
     */
    record Scenario(String name, int games, int ops, boolean perRing) {}

    /**
     * One game and the unmatched series under the default scheduler (what {@code serve --selftest
     * --profiles} on a machine without sched_ext exports); ten games under two schedulers (a LAN PC
     * after a day); and the label budget's cap: 34 game values (32 profile names, "" and other) x
     * 10 schedulers (default, 8 ops names, other).
     */
    static final List<Scenario> SCENARIOS =
            List.of(
                    new Scenario("one-game", 1, 0, false),
                    new Scenario("one-game-per-ring", 1, 0, true),
                    new Scenario("lan-pc", 10, 1, false),
                    new Scenario("lan-pc-per-ring", 10, 1, true),
                    new Scenario(
                            "cap",
                            LatencyMetrics.MAX_GAMES + 1,
                            LatencyMetrics.MAX_SCHEDULERS + 1,
                            false),
                    new Scenario(
                            "cap-per-ring",
                            LatencyMetrics.MAX_GAMES + 1,
                            LatencyMetrics.MAX_SCHEDULERS + 1,
                            true));

    /** Run unless asked for by name: 17,340 per-ring histograms are far outside the budget. */
    static final List<String> DEFAULT_SCENARIOS =
            List.of("one-game", "one-game-per-ring", "lan-pc", "lan-pc-per-ring", "cap");

    private static final String[] OPS = {
        "gamer",
        "scx_lavd",
        "scx_bpfland",
        "scx_rusty",
        "scx_flash",
        "scx_simple",
        "scx_central",
        "scx_layered",
        "scx_rustland"
    };
    private static final int RINGS = Protocol.RING_COUNT;
    private static final int RECORDED_RINGS = 2;
    private static final int WARMUP_SCRAPES = 30;

    /** 22 buckets (21 bounds and +Inf), _count and _sum. */
    private static final int CLASSIC_SERIES_PER_HISTOGRAM = 24;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ScrapeBench() {}

    static void main(List<String> args, PrintStream out) throws Exception {
        Path dir = Path.of("src/test/resources/recordings");
        int scrapes = 30;
        int schema = LatencyMetrics.Options.defaults().nativeSchema();
        boolean json = false;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--recordings" -> dir = Path.of(args.get(++i));
                case "--scrapes" -> scrapes = Integer.parseInt(args.get(++i));
                case "--native-schema" -> schema = Integer.parseInt(args.get(++i));
                case "--scenario" -> names.add(args.get(++i));
                case "--json" -> json = true;
                default -> {
                    System.err.println(
                            "usage: ./companion bench scrape [--recordings DIR] [--scrapes N]"
                                    + " [--native-schema N] [--scenario NAME]... [--json]\n"
                                    + "  scenarios: "
                                    + SCENARIOS.stream().map(Scenario::name).toList()
                                    + " (default: "
                                    + DEFAULT_SCENARIOS
                                    + ")");
                    System.exit(2);
                }
            }
        }
        if (names.isEmpty()) {
            names = DEFAULT_SCENARIOS;
        }
        List<Recording> recordings = new ArrayList<>();
        for (String f :
                List.of(
                        "selftest-quiet.hlog",
                        "vm-ab-default.hlog",
                        "selftest-4hogs.hlog",
                        "vm-ab-gamer.hlog")) {
            recordings.add(Recording.read(dir.resolve(f)));
        }
        PrintStream log = json ? System.err : out;
        ObjectMapper om = new ObjectMapper();
        ObjectNode result = om.createObjectNode();
        ArrayNode recs = result.putArray("recordings");
        for (Recording r : recordings) {
            recs.addObject()
                    .put("file", r.name)
                    .put("intervals", r.ticks.size())
                    .put("samples", r.samples());
            log.printf(
                    Locale.US,
                    "%s: %d intervals, %d samples%n",
                    r.name,
                    r.ticks.size(),
                    r.samples());
        }
        result.put("scrapes_per_format", scrapes);
        result.put("native_schema", schema);
        result.put("java", Runtime.version().toString());
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        ArrayNode results = result.putArray("scenarios");
        for (String name : names) {
            Scenario s =
                    SCENARIOS.stream()
                            .filter(x -> x.name().equals(name))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "unknown scenario "
                                                            + name
                                                            + " (known: "
                                                            + SCENARIOS.stream()
                                                                    .map(Scenario::name)
                                                                    .toList()
                                                            + ")"));
            results.add(run(s, schema, recordings, scrapes, log, om));
        }
        if (json) {
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
    }

    /** Per format, one value per timed scrape. */
    private static final class Samples {
        final List<Double> collectUs = new ArrayList<>();
        final List<Double> writeUs = new ArrayList<>();
        final List<Double> gzipUs = new ArrayList<>();
        final List<Double> totalUs = new ArrayList<>();
        final List<Double> allocatedKb = new ArrayList<>();
        final List<Double> bytes = new ArrayList<>();
        final List<Double> gzipBytes = new ArrayList<>();
        final List<Double> httpServerUs = new ArrayList<>();
        final List<Double> httpWireBytes = new ArrayList<>();
        final List<Double> idleUs = new ArrayList<>();
    }

    private static ObjectNode run(
            Scenario scenario,
            int schema,
            List<Recording> recordings,
            int scrapes,
            PrintStream log,
            ObjectMapper om)
            throws Exception {
        AtomicReference<KernelStatus> kernel = new AtomicReference<>(kernelWith(0));
        LatencyMetrics metrics =
                LatencyMetrics.create(
                        new LatencyMetrics.Options(scenario.perRing(), schema), kernel::get);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        metrics.sessionStarted(Map.of("input_hook", "attached: fentry"));
        ExpositionFormats formats = ExpositionFormats.init();
        Map<Format, Samples> samples = new EnumMap<>(Format.class);
        ObjectNode node = om.createObjectNode();
        node.put("scenario", scenario.name());
        long feedStart = System.nanoTime();
        try (EventPipeline pipeline = EventPipeline.start(new LatencyRecorders(RINGS), metrics);
                MetricsEndpoint endpoint =
                        MetricsEndpoint.start(
                                Listen.parse("127.0.0.1:0"),
                                MetricsEndpoint.Access.OPEN,
                                registry,
                                metrics::health);
                Arena arena = Arena.ofConfined()) {
            Feeder feeder = new Feeder(scenario, recordings, pipeline, metrics, kernel, arena);
            feeder.feedAll();
            node.put("warm_feed_s", round3((System.nanoTime() - feedStart) / 1e9));
            HttpClient client =
                    HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10))
                            .build();
            URI uri = URI.create(endpoint.url("/metrics"));
            Format[] all = Format.values();
            for (int w = 0; w < WARMUP_SCRAPES; w++) {
                feeder.feedTick();
                inProcess(registry, formats, all[w % all.length], new Samples());
                http(client, uri, all[w % all.length], new Samples());
            }
            for (Format f : all) {
                samples.put(f, new Samples());
            }
            for (int i = 0; i < scrapes; i++) {
                for (int j = 0; j < all.length; j++) {
                    Format f = all[(i + j) % all.length];
                    feeder.feedTick();
                    inProcess(registry, formats, f, samples.get(f));
                    feeder.feedTick();
                    http(client, uri, f, samples.get(f));
                }
            }
            // Nothing new since the last scrape: every series is served from its cached point.
            for (int i = 0; i < scrapes; i++) {
                for (Format f : all) {
                    Samples idle = new Samples();
                    inProcess(registry, formats, f, idle);
                    samples.get(f).idleUs.add(idle.totalUs.getFirst());
                }
            }
            MetricSnapshots snapshots = registry.scrape();
            int histograms = 0;
            int ringHistograms = 0;
            for (MetricSnapshot m : snapshots) {
                if (m instanceof HistogramSnapshot h) {
                    if (h.getMetadata().getName().contains("ring")) {
                        ringHistograms += h.getDataPoints().size();
                    } else {
                        histograms += h.getDataPoints().size();
                    }
                }
            }
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            formats.findWriter(ACCEPT_TEXT).write(text, snapshots);
            long classicSeries =
                    text.toString().lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
            // With native histograms Prometheus 2.42 stores one series per histogram instead of its
            // 22 buckets, count and sum.
            long nativeSeries =
                    classicSeries
                            - (CLASSIC_SERIES_PER_HISTOGRAM - 1)
                                    * (long) (histograms + ringHistograms);
            node.put("histograms", histograms);
            node.put("ring_histograms", ringHistograms);
            List<Double> buckets = nativeBuckets(snapshots);
            put(node, "native_buckets_per_histogram", buckets);
            node.put("classic_series", classicSeries);
            node.put("native_series", nativeSeries);
            node.put("samples_fed", feeder.fed);
            log.printf(
                    Locale.US,
                    "%n%s: %d histograms + %d per-ring (%.0f native buckets each, median; %.0f-%.0f);"
                            + " %d series in the text format (classic), %d with native histograms;"
                            + " %d samples fed (warm-up %.1f s)%n",
                    scenario.name(),
                    histograms,
                    ringHistograms,
                    median(buckets),
                    min(buckets),
                    max(buckets),
                    classicSeries,
                    nativeSeries,
                    feeder.fed,
                    (System.nanoTime() - feedStart) / 1e9);
        }
        log.printf(
                Locale.US,
                "  %-11s %24s %8s %8s %8s %9s %9s %9s %24s %9s %8s%n",
                "format",
                "CPU us median [range]",
                "collect",
                "write",
                "gzip",
                "alloc KB",
                "bytes",
                "gzip B",
                "HTTP CPU us [range]",
                "wire B",
                "idle us");
        ArrayNode fs = node.putArray("formats");
        for (Format f : Format.values()) {
            Samples s = samples.get(f);
            log.printf(
                    Locale.US,
                    "  %-11s %8.0f [%6.0f-%7.0f] %8.0f %8.0f %8.0f %9.0f %9.0f %9.0f %8.0f [%6.0f-%7.0f] %9.0f %8.0f%n",
                    f.id,
                    median(s.totalUs),
                    min(s.totalUs),
                    max(s.totalUs),
                    median(s.collectUs),
                    median(s.writeUs),
                    median(s.gzipUs),
                    median(s.allocatedKb),
                    median(s.bytes),
                    median(s.gzipBytes),
                    median(s.httpServerUs),
                    min(s.httpServerUs),
                    max(s.httpServerUs),
                    median(s.httpWireBytes),
                    median(s.idleUs));
            ObjectNode o = fs.addObject();
            o.put("format", f.id);
            put(o, "cpu_us", s.totalUs);
            put(o, "collect_us", s.collectUs);
            put(o, "write_us", s.writeUs);
            put(o, "gzip_us", s.gzipUs);
            put(o, "allocated_kb", s.allocatedKb);
            put(o, "bytes", s.bytes);
            put(o, "gzip_bytes", s.gzipBytes);
            put(o, "http_server_cpu_us", s.httpServerUs);
            put(o, "http_wire_bytes", s.httpWireBytes);
            put(o, "idle_cpu_us", s.idleUs);
        }
        return node;
    }

    /** One scrape in this thread: the registry, the format's writer, gzip. */
    private static void inProcess(
            PrometheusRegistry registry, ExpositionFormats formats, Format f, Samples s)
            throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(f.accept);
        ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream(1 << 14);
        long a0 = THREADS.getCurrentThreadAllocatedBytes();
        long c0 = THREADS.getCurrentThreadCpuTime();
        MetricSnapshots snapshots = registry.scrape();
        long c1 = THREADS.getCurrentThreadCpuTime();
        writer.write(body, snapshots);
        long c2 = THREADS.getCurrentThreadCpuTime();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            body.writeTo(z);
        }
        long c3 = THREADS.getCurrentThreadCpuTime();
        long a1 = THREADS.getCurrentThreadAllocatedBytes();
        s.collectUs.add((c1 - c0) / 1e3);
        s.writeUs.add((c2 - c1) / 1e3);
        s.gzipUs.add((c3 - c2) / 1e3);
        s.totalUs.add((c3 - c0) / 1e3);
        s.allocatedKb.add((a1 - a0) / 1024.0);
        s.bytes.add((double) body.size());
        s.gzipBytes.add((double) zipped.size());
    }

    /**
     * One scrape over HTTP, as Prometheus 2.42 asks: the server threads' CPU and the wire bytes.
     */
    private static void http(HttpClient client, URI uri, Format f, Samples s) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .header("Accept", f.accept)
                        .header("Accept-Encoding", "gzip")
                        .header("User-Agent", "Prometheus/2.42.0")
                        .header("X-Prometheus-Scrape-Timeout-Seconds", "10")
                        .timeout(Duration.ofSeconds(60))
                        .build();
        long before = serverCpuNanos();
        HttpResponse<byte[]> response =
                client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(uri + ": HTTP " + response.statusCode());
        }
        // The handler closes the exchange after the last byte is sent; let it finish.
        Thread.sleep(5);
        long after = serverCpuNanos();
        s.httpServerUs.add((after - before) / 1e3);
        s.httpWireBytes.add((double) response.body().length);
    }

    /**
     * CPU time of the HTTP server's threads: the client library's pool and the JDK's dispatcher.
     */
    private static long serverCpuNanos() {
        long sum = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null
                    && (t.getThreadName().startsWith("prometheus-http")
                            || t.getThreadName().equals("HTTP-Dispatcher"))) {
                long ns = THREADS.getThreadCpuTime(t.getThreadId());
                if (ns > 0) {
                    sum += ns;
                }
            }
        }
        return sum;
    }

    private static KernelStatus kernelWith(int ops) {
        return ops == 0
                ? new KernelStatus(true, "disabled", "", "6.18.0")
                : new KernelStatus(true, "enabled", OPS[ops - 1], "6.18.0");
    }

    /**
     * Replays the recordings into the cells through the event pipeline, scheduler by scheduler (the
     * label is read when an event is recorded, so each scheduler's events are processed before the
     * next is set).
     */
    private static final class Feeder {
        private static final long START_NS = 1_000_000_000L;

        private final Scenario scenario;
        private final List<Recording> recordings;
        private final EventPipeline pipeline;
        private final LatencyMetrics metrics;
        private final AtomicReference<KernelStatus> kernel;
        private final MemorySegment event;
        private final long[] emitted = new long[RINGS];
        private final int[] cursor;
        private long sequence;
        long fed;

        private static final long OFF_START =
                EventLayout.GC_EVENT.byteOffset(PathElement.groupElement("start_ns"));
        private static final long OFF_END =
                EventLayout.GC_EVENT.byteOffset(PathElement.groupElement("end_ns"));
        private static final long OFF_PID =
                EventLayout.GC_EVENT.byteOffset(PathElement.groupElement("pid"));
        private static final long OFF_TGID =
                EventLayout.GC_EVENT.byteOffset(PathElement.groupElement("tgid"));
        private static final long OFF_CPU =
                EventLayout.GC_EVENT.byteOffset(PathElement.groupElement("cpu"));
        private static final long OFF_RING =
                EventLayout.GC_EVENT.byteOffset(PathElement.groupElement("ring"));
        private static final long OFF_KIND =
                EventLayout.GC_EVENT.byteOffset(PathElement.groupElement("kind"));

        Feeder(
                Scenario scenario,
                List<Recording> recordings,
                EventPipeline pipeline,
                LatencyMetrics metrics,
                AtomicReference<KernelStatus> kernel,
                Arena arena) {
            this.scenario = scenario;
            this.recordings = recordings;
            this.pipeline = pipeline;
            this.metrics = metrics;
            this.kernel = kernel;
            this.event = arena.allocate(EventLayout.GC_EVENT);
            this.cursor = new int[(scenario.games() + 1) * (scenario.ops() + 1)];
            for (int g = 1; g <= scenario.games(); g++) {
                metrics.gameStarting(
                        new ProfileMatcher.Hit(
                                Profile.named(String.format(Locale.US, "Example Game %02d", g)),
                                ProfileMatcher.Rule.EXE,
                                new ProcessIdentity(tgid(g), "game", "game", List.of("game"), 0)));
            }
        }

        private static int tgid(int game) {
            return 10_000 + game;
        }

        /** Every cell's whole recording. */
        void feedAll() throws IOException {
            feed(-1);
        }

        /** Every cell's next interval (its recording starts over at the end). */
        void feedTick() throws IOException {
            feed(1);
        }

        private void feed(int ticks) throws IOException {
            int cell = 0;
            for (int s = 0; s <= scenario.ops(); s++) {
                kernel.set(kernelWith(s));
                metrics.activeProfile(Optional.empty()); // re-reads the scheduler
                for (int g = 0; g <= scenario.games(); g++, cell++) {
                    Recording r = recordings.get(cell % recordings.size());
                    int n = ticks < 0 ? r.ticks.size() : ticks;
                    for (int t = 0; t < n; t++) {
                        replay(r.ticks.get(cursor[cell]), g == 0 ? 1 : tgid(g));
                        cursor[cell] = (cursor[cell] + 1) % r.ticks.size();
                    }
                }
                pipeline.onBatchEnd();
                if (!pipeline.awaitProcessed(600_000)) {
                    throw new IOException("the event pipeline did not catch up in 10 min");
                }
            }
            metrics.sampled(
                    new Snapshot(
                            sequence++,
                            1_000_000_000L,
                            sequence * 1_000_000_000L,
                            new EnumMap<>(Kind.class),
                            Arrays.stream(emitted).boxed().toList(),
                            Collections.nCopies(RINGS, 0L),
                            Arrays.stream(emitted).boxed().toList(),
                            0L)); // no kernel time stamps: the metrics tap does not read it
        }

        private void replay(List<Interval> tick, int tgid) {
            event.set(ValueLayout.JAVA_INT_UNALIGNED, OFF_PID, tgid);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, OFF_TGID, tgid);
            for (Interval iv : tick) {
                event.set(ValueLayout.JAVA_SHORT_UNALIGNED, OFF_KIND, (short) iv.kind.wireId());
                for (int i = 0; i < iv.values.length; i++) {
                    event.set(ValueLayout.JAVA_LONG_UNALIGNED, OFF_START, START_NS);
                    event.set(ValueLayout.JAVA_LONG_UNALIGNED, OFF_END, START_NS + iv.values[i]);
                    for (long c = 0; c < iv.counts[i]; c++) {
                        for (int ring = iv.ring % RECORDED_RINGS;
                                ring < RINGS;
                                ring += RECORDED_RINGS) {
                            event.set(ValueLayout.JAVA_INT_UNALIGNED, OFF_CPU, ring);
                            event.set(ValueLayout.JAVA_SHORT_UNALIGNED, OFF_RING, (short) ring);
                            pipeline.onEvent(event, 0, ring);
                            emitted[ring]++;
                            fed++;
                        }
                    }
                }
            }
        }
    }

    /** Populated native buckets of each histogram that has samples. */
    private static List<Double> nativeBuckets(MetricSnapshots snapshots) {
        List<Double> n = new ArrayList<>();
        for (MetricSnapshot m : snapshots) {
            if (m instanceof HistogramSnapshot h) {
                for (var p : h.getDataPoints()) {
                    if (p.getCount() > 0) {
                        n.add((double) p.getNativeBucketsForPositiveValues().size());
                    }
                }
            }
        }
        return n;
    }

    /** One (kind, ring) interval histogram of a recording, as values and their counts. */
    private record Interval(Kind kind, int ring, long[] values, long[] counts) {}

    /** A recording's intervals, grouped by time (one tick: all of an interval's histograms). */
    private record Recording(String name, List<List<Interval>> ticks) {
        long samples() {
            long n = 0;
            for (List<Interval> t : ticks) {
                for (Interval iv : t) {
                    n += Arrays.stream(iv.counts).sum();
                }
            }
            return n;
        }

        static Recording read(Path file) throws IOException {
            List<List<Interval>> ticks = new ArrayList<>();
            HistogramLogReader reader = new HistogramLogReader(file.toFile());
            List<Interval> cur = null;
            long start = Long.MIN_VALUE;
            EncodableHistogram eh;
            while ((eh = reader.nextIntervalHistogram()) != null) {
                String tag = eh.getTag();
                if (!(eh instanceof Histogram h) || tag == null || !tag.contains(".ring")) {
                    continue;
                }
                if (cur == null || Math.abs(h.getStartTimeStamp() - start) > 200) {
                    cur = new ArrayList<>();
                    ticks.add(cur);
                    start = h.getStartTimeStamp();
                }
                List<Long> values = new ArrayList<>();
                List<Long> counts = new ArrayList<>();
                for (HistogramIterationValue v : h.recordedValues()) {
                    values.add(v.getValueIteratedTo());
                    counts.add(v.getCountAtValueIteratedTo());
                }
                int dot = tag.lastIndexOf(".ring");
                cur.add(
                        new Interval(
                                Kind.ofId(tag.substring(0, dot)),
                                Integer.parseInt(tag.substring(dot + 5)),
                                values.stream().mapToLong(Long::longValue).toArray(),
                                counts.stream().mapToLong(Long::longValue).toArray()));
            }
            reader.close();
            if (ticks.isEmpty()) {
                throw new IOException(file + ": no per-ring intervals");
            }
            return new Recording(file.getFileName().toString(), ticks);
        }
    }

    private static void put(ObjectNode o, String name, List<Double> v) {
        ObjectNode n = o.putObject(name);
        n.put("median", round3(median(v)));
        n.put("min", round3(min(v)));
        n.put("max", round3(max(v)));
        ArrayNode all = n.putArray("runs");
        v.forEach(x -> all.add(round3(x)));
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length == 0
                ? Double.NaN
                : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
