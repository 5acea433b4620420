package org.gamercompanion.ab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.HlogWriter;
import org.gamercompanion.recording.RecordingContext;
import org.gamercompanion.session.CaptureSession;
import org.gamercompanion.snapshot.Sampler;
import org.gamercompanion.snapshot.Snapshot;

/**
 * Runs an A/B test in one capture session: switches the scheduler round by round in the plan's
 * interleaved order, throws away the settle time after each switch, records each round into its
 * arm's .hlog ({@code A-default.hlog}, {@code B-gamer.hlog}), and puts the scheduler back to what
 * it was before. Stopping early, the game exiting or the agent dying end the test with the rounds
 * recorded so far, and the scheduler is restored in every case it can be.
 *
 * <pre>{@code
 * AbRunner run = AbRunner.create(session, plan, outDir, prompter, () -> game.isAlive(), listener);
 * AbRunner.Result r = run.run();      // blocks; run.stop() from any thread ends it early
 * }</pre>
 *
 * <p>Threads: {@link #run} is the session's sampler for as long as it runs (it calls {@link
 * CaptureSession#sample} once a second, so the recordings hold one-second intervals: the blocks the
 * verdict's bootstrap resamples; {@link Listener#sampled} gets each snapshot). {@link #stop} may be
 * called from any thread.
 */
public final class AbRunner {
    /** Progress and notes for the player; called on the runner's thread. */
    public interface Listener {
        default void progress(Progress p) {}

        default void log(String line) {}

        /** Every snapshot the run took (the window keeps drawing from them while the test runs). */
        default void sampled(Snapshot s) {}
    }

    /**
     * Where the test is.
     *
     * @param round 1-based
     * @param settling the switch's settle time runs (not recorded)
     * @param samples per arm, the plan's kind, recorded so far
     */
    public record Progress(
            int round,
            int rounds,
            int arm,
            String scheduler,
            boolean settling,
            double roundLeftS,
            double totalLeftS,
            List<Long> samples) {
        /** {@code round 2 of 4 · B gamer · 11 s left (45 s in all) · samples A 1,204 B 980}. */
        public String text() {
            StringBuilder b =
                    new StringBuilder(
                            String.format(
                                    Locale.US,
                                    "round %d of %d \u00b7 %s %s \u00b7 %s%.0f s left (%.0f s in all)"
                                            + " \u00b7 samples",
                                    round,
                                    rounds,
                                    AbPlan.label(arm),
                                    scheduler,
                                    settling ? "settling, " : "",
                                    roundLeftS,
                                    totalLeftS));
            for (int i = 0; i < samples.size(); i++) {
                b.append(String.format(Locale.US, " %s %,d", AbPlan.label(i), samples.get(i)));
            }
            return b.toString();
        }
    }

    /** How a test ended. */
    public enum End {
        COMPLETED("completed"),
        STOPPED("stopped by the player"),
        GAME_EXITED("the game exited"),
        AGENT_DIED("the agent died"),
        FAILED("a switch failed");

        private final String text;

        End(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * @param files one .hlog per arm, in arm order (written even when a round count is 0)
     * @param roundsPerArm whole or partial rounds recorded per arm
     * @param why details of the end (the failed switch, the agent's death), "" when it completed
     * @param restored the scheduler afterwards, or why it could not be put back
     */
    public record Result(
            AbPlan plan,
            List<Path> files,
            List<Integer> roundsPerArm,
            End end,
            String why,
            String restored) {}

    private final CaptureSession session;
    private final AbPlan plan;
    private final Path outDir;
    private final SchedulerSwitch sw;
    private final BooleanSupplier gameRunning;
    private final Listener listener;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicLongArray samples;
    private final Map<String, String> game = new LinkedHashMap<>();

    AbRunner(
            CaptureSession session,
            AbPlan plan,
            Path outDir,
            SchedulerSwitch sw,
            BooleanSupplier gameRunning,
            Listener listener) {
        this.session = session;
        this.plan = plan;
        this.outDir = outDir;
        this.sw = sw;
        this.gameRunning = gameRunning;
        this.listener = listener;
        this.samples = new AtomicLongArray(plan.arms().size());
    }

    /**
     * A runner over a session's agent, scx_loader where its service answers, and {@code prompter}
     * for switches the player does by hand.
     */
    public static AbRunner create(
            CaptureSession session,
            AbPlan plan,
            Path outDir,
            Prompter prompter,
            BooleanSupplier gameRunning,
            Listener listener) {
        SchedulerSwitch sw =
                new SchedulerSwitch(
                        new SchedulerSwitch.Agent() {
                            @Override
                            public Reply sched(boolean on) throws AgentException {
                                return session.sched(on);
                            }

                            @Override
                            public Map<String, String> status() throws AgentException {
                                return session.status();
                            }
                        },
                        plan.arms().stream().anyMatch(SchedulerChoice::isExternal)
                                ? ScxLoader.find()
                                : Optional.empty(),
                        prompter,
                        KernelStatus::current);
        return new AbRunner(session, plan, outDir, sw, gameRunning, listener);
    }

    /**
     * Why {@code plan} cannot run on this machine (an arm needs sched_ext and the kernel has none);
     * empty when it can. Needs no agent: ask before starting one. {@link #run} checks it too.
     */
    public static Optional<String> unavailable(AbPlan plan) {
        SchedulerSwitch probe =
                new SchedulerSwitch(null, Optional.empty(), i -> {}, KernelStatus::current);
        for (SchedulerChoice c : plan.arms()) {
            Optional<String> why = probe.unavailable(c);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    /**
     * The game under test, stated in both recordings ({@code game_exe}, {@code game_tgid}, {@code
     * game_profile}); call before {@link #run}.
     */
    public AbRunner game(long pid, String profile) {
        game.putAll(RecordingContext.game(profile, pid));
        return this;
    }

    /** Ends the test at the next tick (any thread); what was recorded is kept. */
    public void stop() {
        stopped.complete(null);
    }

    /**
     * Runs the test; blocks until it ends.
     *
     * @throws AbException when it cannot start at all (no sched_ext for an arm, the agent not
     *     answering); later failures end the test and are in {@link Result#why}
     */
    public Result run() throws AbException, IOException, InterruptedException {
        Optional<String> why = unavailable(plan);
        if (why.isPresent()) {
            throw new AbException(why.get());
        }
        SchedulerChoice before = sw.current();
        Files.createDirectories(outDir);
        List<HlogWriter> writers = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        int[] rounds = new int[plan.arms().size()];
        End end = End.COMPLETED;
        String detail = "";
        String restored;
        try {
            for (int a = 0; a < plan.arms().size(); a++) {
                Path f =
                        outDir.resolve(AbPlan.label(a) + "-" + plan.arms().get(a).name() + ".hlog");
                writers.add(HlogWriter.create(f, header(a, before)));
                files.add(f);
            }
            List<Integer> order = plan.order();
            for (int r = 0; r < order.size() && end == End.COMPLETED; r++) {
                int arm = order.get(r);
                SchedulerChoice choice = plan.arms().get(arm);
                KernelStatus now;
                try {
                    now = sw.switchTo(choice);
                } catch (AbException e) {
                    end = End.FAILED;
                    detail =
                            "round "
                                    + (r + 1)
                                    + ", "
                                    + AbPlan.label(arm)
                                    + " "
                                    + choice.describe()
                                    + ": "
                                    + e.getMessage();
                    break;
                }
                listener.log(
                        "round "
                                + (r + 1)
                                + " of "
                                + order.size()
                                + ": "
                                + AbPlan.label(arm)
                                + " "
                                + choice.describe()
                                + " (sched_ext "
                                + SchedulerSwitch.describe(now)
                                + ")");
                sample(); // the interval that holds the switch goes nowhere
                Optional<End> stop = tick(r, arm, plan.settleSeconds(), true, null, choice);
                if (stop.isEmpty()) {
                    sample();
                    HlogWriter w = writers.get(arm);
                    w.statement("round", roundLine(r, arm, now));
                    session.recordTo(new Counting(w, arm));
                    rounds[arm]++;
                    stop = tick(r, arm, plan.roundSeconds(), false, w, choice);
                    sample(); // the round's last partial second still belongs to it
                    session.recordTo(null);
                }
                if (stop.isPresent()) {
                    end = stop.get();
                    detail = endDetail(end);
                }
            }
        } finally {
            session.recordTo(null);
            restored = restore(before);
            IOException closing = null;
            for (HlogWriter w : writers) {
                try {
                    w.close();
                } catch (IOException e) {
                    closing = e;
                }
            }
            if (closing != null) {
                throw closing;
            }
        }
        List<Integer> perArm = new ArrayList<>();
        for (int c : rounds) {
            perArm.add(c);
        }
        return new Result(plan, List.copyOf(files), List.copyOf(perArm), end, detail, restored);
    }

    /**
     * Waits out {@code seconds}, sampling once a second (into whatever records now), with progress;
     * ends early on stop, the game's exit, the agent's death, or the scheduler changing under the
     * round (marked in {@code writer}: that round ends there, the next round switches again).
     *
     * @return why the whole test ends, empty to go on
     */
    private Optional<End> tick(
            int round,
            int arm,
            double seconds,
            boolean settling,
            HlogWriter writer,
            SchedulerChoice choice)
            throws InterruptedException {
        long endNs = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            long left = endNs - System.nanoTime();
            progress(round, arm, settling, left / 1e9);
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                CompletableFuture.anyOf(stopped, session.agentExit())
                        .get(Math.min(1000, left / 1_000_000 + 1), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // a tick without news
            }
            if (stopped.isDone()) {
                return Optional.of(End.STOPPED);
            }
            if (session.agentExit().isDone()) {
                return Optional.of(End.AGENT_DIED);
            }
            if (!gameRunning.getAsBoolean()) {
                return Optional.of(End.GAME_EXITED);
            }
            if (!settling) {
                sample();
                KernelStatus k = KernelStatus.current();
                if (!choice.matches(k.schedExtState(), k.schedExtOps())) {
                    Map<String, String> mark = new LinkedHashMap<>();
                    mark.put("round", Integer.toString(round + 1));
                    mark.put("why", "the scheduler changed under the round: " + k.schedulerLabel());
                    writer.statement("round_end", mark);
                    listener.log(
                            "round "
                                    + (round + 1)
                                    + ": the scheduler changed under the round (sched_ext "
                                    + SchedulerSwitch.describe(k)
                                    + "); the round ends here");
                    return Optional.empty();
                }
            }
        }
    }

    private void sample() {
        listener.sampled(session.sample());
    }

    private void progress(int round, int arm, boolean settling, double roundLeftS) {
        int remaining = plan.rounds() - round - 1;
        double total =
                Math.max(0, roundLeftS)
                        + (settling ? plan.roundSeconds() : 0)
                        + remaining * (plan.roundSeconds() + plan.settleSeconds());
        List<Long> s = new ArrayList<>();
        for (int i = 0; i < samples.length(); i++) {
            s.add(samples.get(i));
        }
        listener.progress(
                new Progress(
                        round + 1,
                        plan.rounds(),
                        arm,
                        plan.arms().get(arm).describe(),
                        settling,
                        Math.max(0, roundLeftS),
                        total,
                        s));
    }

    private String endDetail(End end) {
        return switch (end) {
            case AGENT_DIED -> session.agentDeath().orElse("the agent ended");
            case GAME_EXITED -> "the game exited";
            case STOPPED -> "stopped";
            default -> "";
        };
    }

    /**
     * Puts back the scheduler that ran before the test; says what runs now, or why it could not.
     */
    private String restore(SchedulerChoice before) {
        if (session.agentExit().isDone() && before.isGamer()) {
            return "not restored: the agent died (gamer ran before the test)";
        }
        try {
            KernelStatus k = sw.switchTo(before);
            return "restored: " + SchedulerSwitch.describe(k);
        } catch (AbException e) {
            return "not restored to " + before.describe() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not restored to " + before.describe() + ": interrupted";
        }
    }

    private Map<String, String> header(int arm, SchedulerChoice before) {
        Map<String, String> m = session.recordingContext("ab");
        m.put("ab_arm", AbPlan.label(arm));
        m.put("ab_scheduler", plan.arms().get(arm).name());
        m.put(
                "ab_plan",
                plan.arms().size()
                        + "x"
                        + plan.rounds()
                        + "r"
                        + fmt(plan.roundSeconds())
                        + "s_settle"
                        + fmt(plan.settleSeconds())
                        + "s");
        m.put("ab_order", plan.order().stream().map(AbPlan::label).collect(Collectors.joining()));
        m.put("ab_before", before.name());
        game.forEach((k, v) -> m.put("game_" + k, v));
        return m;
    }

    private static Map<String, String> roundLine(int round, int arm, KernelStatus k) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("round", Integer.toString(round + 1));
        m.put("arm", AbPlan.label(arm));
        m.put("state", k.schedExtState());
        m.put("ops", k.schedExtOps());
        return m;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** An arm's writer that also counts the plan's kind for the progress line. */
    private final class Counting implements Sampler.IntervalSink {
        private final HlogWriter writer;
        private final int arm;

        Counting(HlogWriter writer, int arm) {
            this.writer = writer;
            this.arm = arm;
        }

        @Override
        public void onInterval(Kind kind, int ring, Histogram interval) {
            writer.onInterval(kind, ring, interval);
            if (kind == plan.kind()) {
                samples.addAndGet(arm, interval.getTotalCount());
            }
        }

        @Override
        public void onSampleEnd() {
            writer.onSampleEnd();
        }
    }
}
