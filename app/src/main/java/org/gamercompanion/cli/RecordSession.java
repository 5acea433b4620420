package org.gamercompanion.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.capture.LiveCapture;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.HlogWriter;
import org.gamercompanion.recording.RecordingContext;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.session.CaptureSession;
import org.gamercompanion.snapshot.Snapshot;

/** One headless recording: what {@code record} and {@code selftest} share. */
final class RecordSession {
    static final String[] SOURCE_NAMES = {"none", "fentry", "kprobe", "synthetic"};

    /**
     * @param scheduler ask the agent to run the sched_ext scheduler "gamer" while recording
     * @param profiles detect and apply the profiles of this store while recording ({@code
     *     --profiles}); null: off
     * @param wrapperSocket with profiles: serve the launch wrapper there while recording; null: do
     *     not
     * @param sessionsDir with profiles: where a matched profile with {@code monitor.record_session}
     *     writes its session .hlog; null: nowhere
     * @param untilExit end early, at the next one-second tick, once every {@code watch} process has
     *     exited
     */
    record Request(
            double seconds,
            List<Long> watch,
            boolean selftest,
            SelftestWorkload.Options selftestOptions,
            Path out,
            boolean verbose,
            PrintStream progress,
            boolean scheduler,
            ProfileStore profiles,
            Path wrapperSocket,
            Path sessionsDir,
            boolean untilExit) {
        Request(
                double seconds,
                List<Long> watch,
                boolean selftest,
                SelftestWorkload.Options selftestOptions,
                Path out,
                boolean verbose,
                PrintStream progress) {
            this(
                    seconds,
                    watch,
                    selftest,
                    selftestOptions,
                    out,
                    verbose,
                    progress,
                    false,
                    null,
                    null,
                    null,
                    false);
        }
    }

    /**
     * @param inputs the probes' input counters at the end (agent STATUS {@code inputs_seen}, {@code
     *     inputs_claimed}: inputs the hook saw, and those a watched thread's wake-up claimed);
     *     empty when the agent could not be asked
     * @param agentDied how the agent ended when it died during the recording ({@code the agent died
     *     (signal 9)}): the report then holds what was recorded until then
     */
    record Result(
            LatencyReport report,
            Snapshot last,
            SelftestWorkload.Result workload,
            int ringsWithEvents,
            SchedulerInfo scheduler,
            Map<String, Long> inputs,
            Optional<String> agentDied) {}

    /**
     * What happened to the scheduler during a recording, for the JSON {@code scheduler} object.
     *
     * @param requested {@code --scheduler on} was given
     * @param refused the agent's ERR text when {@code SCHED ON} was refused (monitor-only), else
     *     null
     * @param agentStatus the agent's {@code sched*}, tunable and counter fields of STATUS at the
     *     end
     * @param events the asynchronous {@code SCHED} lines (exits and restarts) in arrival order
     */
    record SchedulerInfo(
            boolean requested,
            String refused,
            Map<String, String> agentStatus,
            List<Protocol.Sched> events) {
        static final List<String> STATUS_KEYS =
                List.of(
                        "sched_owner",
                        "boost_window_us",
                        "game_slice_us",
                        "other_slice_us",
                        "preempt_on_input",
                        "sched_boosted",
                        "sched_boosted_direct",
                        "sched_preempt_kicks",
                        "sched_starve_serves",
                        "sched_restarts",
                        "sched_last_exit");

        void addTo(ObjectNode sched) {
            sched.put("requested", requested ? "on" : "off");
            if (refused == null) {
                sched.putNull("refused");
            } else {
                sched.put("refused", refused);
            }
            ObjectNode agent = sched.putObject("agent");
            agentStatus.forEach(agent::put);
            ArrayNode exits = sched.putArray("exits");
            for (Protocol.Sched e : events) {
                if (e.hasExit()) {
                    ObjectNode x = exits.addObject();
                    x.put("ops", e.ops());
                    x.put("kind", e.exitKind());
                    x.put("reason", e.reason());
                    x.put("msg", e.msg());
                }
            }
            ArrayNode lines = sched.putArray("events");
            events.forEach(
                    e ->
                            lines.add(
                                    e.state()
                                            + " "
                                            + e.ops()
                                            + (e.hasExit() ? " " + e.exitKind() : "")));
        }
    }

    private RecordSession() {}

    static Result run(Request req) throws AgentException, IOException, InterruptedException {
        KernelStatus kernel = KernelStatus.current();
        CpuTopology topology = CpuTopology.current();
        List<Protocol.Sched> schedEvents = new CopyOnWriteArrayList<>();
        // The --out log, once open: games that profiles match later are stated in it (detector
        // thread).
        AtomicReference<HlogWriter> out = new AtomicReference<>();
        Set<Long> stated = ConcurrentHashMap.newKeySet();
        CaptureSession.Options options = CaptureSession.Options.plain().verbose(req.verbose());
        if (req.profiles() != null) {
            options =
                    options.withProfiles(req.profiles())
                            .withWrapperSocket(req.wrapperSocket())
                            .withSessionsDir(req.sessionsDir());
        }
        try (CaptureSession session =
                CaptureSession.start(
                        options,
                        new CaptureSession.Listener() {
                            @Override
                            public void sched(Protocol.Sched s) {
                                schedEvents.add(s);
                                if (s.hasExit()) {
                                    System.err.printf(
                                            "gamer-companion: scheduler %s exited: %s (%s): %s%n",
                                            s.ops(), s.exitKind(), s.reason(), s.msg());
                                }
                            }

                            @Override
                            public void profileWatched(List<ProfileMatcher.Hit> watched) {
                                for (ProfileMatcher.Hit h : watched) {
                                    if (out.get() != null && stated.add(h.process().pid())) {
                                        game(out.get(), h.profile().name(), h.process().pid());
                                    }
                                }
                            }
                        })) {
            String refused = null;
            if (req.scheduler()) {
                Reply r = session.sched(true);
                if (!r.ok()) {
                    refused = r.code() + " " + String.join(" ", r.words());
                    System.err.println(
                            "gamer-companion: scheduler not started, recording monitor-only: "
                                    + refused);
                }
                // The state the recording runs under, not the one before SCHED ON.
                kernel = KernelStatus.current();
            }
            String inputHook =
                    Protocol.readable(session.hello().getOrDefault("input_hook", "unknown"));
            HlogWriter writer = null;
            if (req.out() != null) {
                Map<String, String> meta = session.recordingContext("record");
                meta.put("selftest", Boolean.toString(req.selftest()));
                writer = HlogWriter.create(req.out(), meta);
                out.set(writer);
                session.recordTo(writer);
            }
            try {
                for (long pid : req.watch()) {
                    if (!ProcessHandle.of(pid).isPresent()) {
                        throw new AgentException("--watch " + pid + ": no such process");
                    }
                    session.watch(pid);
                    game(writer, "", pid);
                }
                SelftestWorkload workload =
                        req.selftest() ? session.startSelftest(req.selftestOptions()) : null;
                if (workload != null) {
                    game(writer, "", workload.pid());
                }
                long startNs = System.nanoTime();
                Optional<String> died = tick(session, req, startNs);
                SelftestWorkload.Result workloadResult = null;
                if (workload != null && died.isEmpty()) {
                    workloadResult = workload.awaitResult(10_000);
                }
                double durationS = (System.nanoTime() - startNs) / 1e9;
                Map<String, String> agentSched = new LinkedHashMap<>();
                Map<String, Long> inputs = new LinkedHashMap<>();
                if (died.isPresent()) {
                    agentSched.put("error", died.get());
                } else {
                    readStatus(session, agentSched, inputs);
                }
                SchedulerInfo schedInfo =
                        new SchedulerInfo(
                                req.scheduler(), refused, agentSched, List.copyOf(schedEvents));
                Snapshot last = session.finish(5_000);
                LiveCapture.Health health = session.health();
                if (!health.clean()) {
                    System.err.printf(
                            Locale.US,
                            "gamer-companion: warning: %d records rejected (bad kind/ring/time),"
                                    + " %d malformed, %d handler errors%n",
                            health.rejected(),
                            health.malformed(),
                            health.handlerErrors());
                }
                String inputSource = inputSource(health, inputHook);
                if (writer != null) {
                    Map<String, String> fin = new LinkedHashMap<>();
                    fin.put("duration_s", String.format(Locale.US, "%.3f", durationS));
                    fin.put("emitted_total", Long.toString(last.emittedTotal()));
                    fin.put("consumed_total", Long.toString(last.consumedTotal()));
                    fin.put("lost_total", Long.toString(last.lostTotal()));
                    fin.put("ring_lost", join(last.lost()));
                    fin.put("input_source", inputSource);
                    inputs.forEach((k, v) -> fin.put("inputs_" + k, Long.toString(v)));
                    died.ifPresent(d -> fin.put("agent_died", d));
                    writer.statement("end", fin);
                }
                LatencyReport.Header header =
                        new LatencyReport.Header(
                                durationS,
                                inputSource,
                                inputHook,
                                kernel.schedExtState(),
                                kernel.schedExtOps(),
                                last.emittedTotal(),
                                last.consumedTotal(),
                                last.lostTotal());
                Histogram[][] frozen = freeze(session);
                List<Long> lost = last.lost();
                LatencyReport report =
                        new LatencyReport(
                                header,
                                new LatencyReport.Source() {
                                    @Override
                                    public Histogram histogram(Kind kind, int ring) {
                                        return frozen[kind.wireId()][ring];
                                    }

                                    @Override
                                    public long lost(int ring) {
                                        return lost.get(ring);
                                    }
                                },
                                topology,
                                frozen[0].length);
                if (req.profiles() != null) {
                    ProfileDetection.addMatches(report, session.matches());
                }
                int ringsWithEvents = 0;
                for (long c : last.consumed()) {
                    if (c > 0) {
                        ringsWithEvents++;
                    }
                }
                return new Result(
                        report,
                        last,
                        workloadResult,
                        ringsWithEvents,
                        schedInfo,
                        Map.copyOf(inputs),
                        died);
            } finally {
                if (writer != null) {
                    session.recordTo(null);
                    out.set(null);
                    writer.close();
                }
            }
        }
    }

    /**
     * The recording's clock: a sample (and a progress line) once a second until the end, the
     * watched processes' exit with {@code --until-exit}, or the agent's death, noticed at once.
     *
     * @return how the agent ended, when it died
     */
    private static Optional<String> tick(CaptureSession session, Request req, long startNs)
            throws InterruptedException {
        long endNs = startNs + (long) (req.seconds() * 1e9);
        long nextNs = startNs;
        while (true) {
            long now = System.nanoTime();
            if (now >= endNs || (req.untilExit() && noneAlive(req.watch()))) {
                return Optional.empty();
            }
            nextNs = Math.min(endNs, nextNs + 1_000_000_000L);
            Optional<String> died = session.awaitAgentExit(Math.max(1, (nextNs - now) / 1_000_000));
            Snapshot s = session.sample();
            if (req.progress() != null) {
                req.progress()
                        .printf(
                                Locale.US,
                                "%5.1f s  input_to_run %d  wakeup_to_run %d  lost %d%n",
                                s.elapsedNs() / 1e9,
                                s.kind(Kind.INPUT_TO_RUN).mergedCumulative().count(),
                                s.kind(Kind.WAKEUP_TO_RUN).mergedCumulative().count(),
                                s.lostTotal());
            }
            if (died.isPresent()) {
                System.err.println(
                        "gamer-companion: "
                                + died.get()
                                + " after "
                                + String.format(
                                        Locale.US, "%.1f", (System.nanoTime() - startNs) / 1e9)
                                + " s: the summary below holds what was recorded until then");
                return died;
            }
        }
    }

    /**
     * The agent's scheduler fields and input counters at the end, into {@code sched} and {@code
     * inputs}.
     */
    private static void readStatus(
            CaptureSession session, Map<String, String> sched, Map<String, Long> inputs) {
        try {
            Map<String, String> st = session.status();
            for (String k : SchedulerInfo.STATUS_KEYS) {
                if (st.containsKey(k)) {
                    sched.put(k, st.get(k));
                }
            }
            for (String k : List.of("inputs_seen", "inputs_claimed")) {
                if (st.containsKey(k)) {
                    inputs.put(k.substring("inputs_".length()), Long.parseLong(st.get(k)));
                }
            }
        } catch (AgentException e) {
            sched.put("error", e.getMessage());
        }
    }

    private static Histogram[][] freeze(CaptureSession capture) {
        int rings = Protocol.RING_COUNT;
        Histogram[][] out = new Histogram[Kind.COUNT][rings];
        for (Kind k : Kind.values()) {
            for (int r = 0; r < rings; r++) {
                out[k.wireId()][r] = capture.cumulative(k, r).copy();
            }
        }
        return out;
    }

    /** States in the recording that it follows process {@code pid}. */
    private static void game(HlogWriter writer, String profile, long pid) {
        if (writer != null) {
            writer.statement("game", RecordingContext.game(profile, pid));
        }
    }

    /** The sources of the input_to_run samples, or, with none, the input hook that was active. */
    static String inputSource(LiveCapture.Health health, String inputHook) {
        int bits = health.inputSourcesSeen();
        List<String> names = new ArrayList<>();
        for (int i = 1; i < SOURCE_NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                names.add(SOURCE_NAMES[i]);
            }
        }
        if (!names.isEmpty()) {
            return String.join("+", names);
        }
        if (inputHook.startsWith("attached")) {
            return inputHook.substring(inputHook.indexOf(':') + 1).trim();
        }
        return "none";
    }

    private static String join(List<Long> values) {
        StringJoiner j = new StringJoiner(",");
        values.forEach(v -> j.add(Long.toString(v)));
        return j.toString();
    }

    /**
     * True when none of {@code pids} runs any more (an empty list: false, there is nothing to wait
     * for).
     */
    private static boolean noneAlive(List<Long> pids) {
        return !pids.isEmpty()
                && pids.stream()
                        .noneMatch(
                                pid ->
                                        ProcessHandle.of(pid)
                                                .map(ProcessHandle::isAlive)
                                                .orElse(false));
    }
}
