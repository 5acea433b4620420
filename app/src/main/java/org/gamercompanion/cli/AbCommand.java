package org.gamercompanion.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.gamercompanion.ab.AbException;
import org.gamercompanion.ab.AbPlan;
import org.gamercompanion.ab.AbRunner;
import org.gamercompanion.ab.SchedulerChoice;
import org.gamercompanion.compare.Comparer;
import org.gamercompanion.compare.Comparison;
import org.gamercompanion.compare.ComparisonJson;
import org.gamercompanion.detect.GameDetector;
import org.gamercompanion.detect.ProfileApplier;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.files.UserDirs;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileException;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.session.CaptureSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ab --a SCHED --b SCHED ...}: an interleaved A/B test of schedulers that ends in a verdict
 * (docs/AB.md).
 */
@Command(
        name = "ab",
        description = {
            "A/B test of two (or three) schedulers on one game: switches them round by round (ABBA...),"
                    + " records each round, restores the scheduler, and ends in compare's verdict.",
            "SCHED: default (the kernel's own), gamer (ours), or a sched_ext scheduler's name (scx_lavd, scx_simple):"
                    + " switched through scx_loader where it runs, else by you when ab asks (press Enter)."
        })
final class AbCommand implements Callable<Integer> {
    @Option(
            names = "--a",
            required = true,
            paramLabel = "SCHED",
            description = "Scheduler A (the baseline).")
    String a;

    @Option(names = "--b", required = true, paramLabel = "SCHED", description = "Scheduler B.")
    String b;

    @Option(
            names = "--c",
            paramLabel = "SCHED",
            description = "A third scheduler (compared with A too).")
    String c;

    @Option(
            names = "--rounds",
            defaultValue = "4",
            description = "Rounds in all (default ${DEFAULT-VALUE}: ABBA).")
    int rounds;

    @Option(
            names = "--seconds",
            defaultValue = "15",
            description = "Recorded seconds per round (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--settle",
            defaultValue = "2",
            description = "Seconds thrown away after each switch (default ${DEFAULT-VALUE}).")
    double settle;

    @Option(
            names = "--kind",
            defaultValue = "input_to_run",
            paramLabel = "KIND",
            description =
                    "What the verdict is about: input_to_run, wakeup_to_run, preempt_to_run (default ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--watch", paramLabel = "PID", description = "The game: a running process.")
    Long watch;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description =
                    "The game: the running process of this profile"
                            + " (its tunables are pushed for gamer).")
    String profile;

    @Option(names = "--profiles-dir", paramLabel = "DIR", hidden = true)
    Path profilesDir;

    @Option(
            names = "--selftest",
            description = "The game: the built-in workload with synthetic inputs.")
    boolean selftest;

    @Option(
            names = "--stop-game",
            description =
                    "With -- CMD: end the command (SIGTERM) when the test ends,"
                            + " instead of waiting for it to exit.")
    boolean stopGame;

    @Option(
            names = "--out-dir",
            paramLabel = "DIR",
            description =
                    "Where the recordings go (default"
                            + " $XDG_STATE_HOME/gamer-companion/ab/<date-time>).")
    Path outDir;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(
            names = {"-v", "--verbose"},
            description = "Show the agent's log.")
    boolean verbose;

    @Parameters(
            arity = "0..*",
            paramLabel = "CMD",
            description = "The game: launch this command (after --).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<SchedulerChoice> arms =
                new ArrayList<>(List.of(SchedulerChoice.parse(a), SchedulerChoice.parse(b)));
        if (c != null) {
            arms.add(SchedulerChoice.parse(c));
        }
        AbPlan plan = new AbPlan(arms, rounds, seconds, settle, Kind.ofId(kind));
        int targets =
                (watch != null ? 1 : 0)
                        + (profile != null ? 1 : 0)
                        + (selftest ? 1 : 0)
                        + (command.isEmpty() ? 0 : 1);
        if (targets != 1) {
            throw new IllegalArgumentException(
                    "give the game once: --watch PID, --profile NAME, --selftest or -- CMD...");
        }
        Path dir =
                outDir != null
                        ? outDir
                        : UserDirs.current()
                                .state()
                                .resolve("ab")
                                .resolve(
                                        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                                                .format(LocalDateTime.now()));
        if (!plan.balanced()) {
            System.err.printf(
                    Locale.US,
                    "gamer-companion: %d rounds of %d schedulers do not cancel a drift exactly;"
                            + " a multiple of %d does%n",
                    rounds,
                    arms.size(),
                    2 * arms.size());
        }
        AbRunner.unavailable(plan)
                .ifPresent(
                        why -> {
                            throw new IllegalStateException(why);
                        });
        try (CaptureSession session =
                CaptureSession.start(
                        CaptureSession.Options.plain().verbose(verbose),
                        new CaptureSession.Listener() {})) {
            Game game = game(session, plan);
            AbRunner runner =
                    AbRunner.create(
                            session,
                            plan,
                            dir,
                            AbCommand::askOnTerminal,
                            game.running(),
                            new AbRunner.Listener() {
                                @Override
                                public void progress(AbRunner.Progress p) {
                                    if (!json || verbose) {
                                        // The carriage return is ours (one line rewritten in
                                        // place); the text is escaped.
                                        Terminal.raw()
                                                .print("\r" + Terminal.escape(p.text()) + "   ");
                                    }
                                }

                                @Override
                                public void log(String line) {
                                    System.err.println("\ngamer-companion: " + line);
                                }
                            });
            runner.game(game.pid(), game.profile());
            CountDownLatch done = new CountDownLatch(1);
            // Ctrl+C: end the test and let it restore the scheduler before the JVM goes.
            Thread hook =
                    Thread.ofPlatform()
                            .unstarted(
                                    () -> {
                                        runner.stop();
                                        try {
                                            done.await(15, TimeUnit.SECONDS);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    });
            Runtime.getRuntime().addShutdownHook(hook);
            AbRunner.Result r;
            try {
                r = runner.run();
            } finally {
                done.countDown();
                removeHook(hook);
            }
            System.err.println();
            ObjectNode out = result(r);
            if (!json) {
                printText(r);
            }
            ArrayNode comparisons = out.putArray("comparisons");
            for (int arm = 1; arm < r.files().size(); arm++) {
                try {
                    Comparison c =
                            Comparer.compare(
                                    r.files().get(0),
                                    r.files().get(arm),
                                    Comparer.Options.all().kind(plan.kind()));
                    comparisons.add(ComparisonJson.of(c));
                    if (arm == 1) {
                        out.put("verdict", c.verdict());
                    }
                    if (!json) {
                        System.out.println();
                        System.out.println(
                                "A ("
                                        + r.plan().arms().get(0).describe()
                                        + ") against "
                                        + AbPlan.label(arm)
                                        + " ("
                                        + r.plan().arms().get(arm).describe()
                                        + "):");
                        CompareCommand.print(c, System.out);
                    }
                } catch (IOException e) {
                    ObjectNode failed = comparisons.addObject();
                    failed.put("error", e.getMessage());
                    System.err.println(
                            "gamer-companion: no comparison of A and "
                                    + AbPlan.label(arm)
                                    + ": "
                                    + e.getMessage());
                }
            }
            if (json) {
                System.out.println(
                        LatencyReport.JSON
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(out));
            }
            game.end(stopGame);
            return r.end() == AbRunner.End.FAILED || r.end() == AbRunner.End.AGENT_DIED ? 1 : 0;
        } catch (AbException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The game under test, watched; how to tell that it runs and how to end it. */
    private record Game(long pid, String profile, BooleanSupplier running, Process launched) {
        void end(boolean stop) throws InterruptedException {
            if (launched == null) {
                return;
            }
            if (stop) {
                launched.destroy();
                if (!launched.waitFor(10, TimeUnit.SECONDS)) {
                    launched.destroyForcibly();
                }
            } else if (launched.isAlive()) {
                System.err.println(
                        "gamer-companion: the test is over; waiting for the game (pid "
                                + launched.pid()
                                + ") to exit");
                launched.waitFor();
            }
        }
    }

    private Game game(CaptureSession session, AbPlan plan) throws Exception {
        if (watch != null) {
            ProcessHandle h =
                    ProcessHandle.of(watch)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "--watch " + watch + ": no such process"));
            session.watch(watch);
            return new Game(watch, "", h::isAlive, null);
        }
        if (selftest) {
            SelftestWorkload w =
                    session.startSelftest(
                            SelftestWorkload.Options.forSeconds(plan.seconds() + 120));
            ProcessHandle h =
                    ProcessHandle.of(w.pid())
                            .orElseThrow(() -> new IllegalStateException("the self-test exited"));
            return new Game(w.pid(), "", h::isAlive, null);
        }
        if (profile != null) {
            ProfileStore store = ProfileDetection.store(profilesDir);
            Profile p =
                    store.list()
                            .find(profile)
                            .map(ProfileStore.Entry::profile)
                            .orElseThrow(
                                    () ->
                                            new ProfileException(
                                                    "ab --profile: no profile named \""
                                                            + profile
                                                            + "\" in "
                                                            + store.dir()));
            List<ProfileMatcher.Hit> hits = GameDetector.running(ProfileMatcher.of(List.of(p)));
            if (hits.isEmpty()) {
                throw new IllegalArgumentException(
                        "ab --profile "
                                + p.name()
                                + ": none of its games runs now; start the"
                                + " game first (or give -- CMD)");
            }
            List<ProcessHandle> handles = new ArrayList<>();
            for (ProfileMatcher.Hit h : hits) {
                session.watch(h.process().pid());
                ProcessHandle.of(h.process().pid()).ifPresent(handles::add);
            }
            // The profile's tunables shape gamer's rounds; its "enabled" is the test's business
            // now.
            session.call(ProfileApplier.tunablesLine(p.scheduler()));
            return new Game(
                    hits.get(0).process().pid(),
                    p.name(),
                    () -> handles.stream().anyMatch(ProcessHandle::isAlive),
                    null);
        }
        // ab may ask on this terminal (a switch by hand): the game gets no stdin of ours. With
        // --json
        // our stdout is the JSON: the game's output is copied to our stderr (a pipe and a thread:
        // /dev/stderr is not on every system, and a second open of a log file would overwrite it).
        Process child =
                new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(
                                json
                                        ? ProcessBuilder.Redirect.PIPE
                                        : ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        if (json) {
            Thread.ofPlatform()
                    .daemon()
                    .name("game-stdout")
                    .start(
                            () -> {
                                try (var in = child.getInputStream()) {
                                    in.transferTo(System.err);
                                } catch (IOException e) {
                                    // the game closed its output
                                }
                            });
        }
        session.watch(child.pid());
        return new Game(child.pid(), "", child::isAlive, child);
    }

    private static final BufferedReader STDIN =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    /**
     * A switch by hand: the instruction on stderr, Enter to go on, "stop" or end of input to stop.
     */
    private static void askOnTerminal(String instruction) throws AbException {
        System.err.println("\ngamer-companion: " + instruction + " (Enter; 'stop' ends the test)");
        try {
            String line = STDIN.readLine();
            if (line == null || line.strip().equalsIgnoreCase("stop")) {
                throw new AbException("stopped at a switch by hand");
            }
        } catch (IOException e) {
            throw new AbException("cannot read the answer: " + e.getMessage());
        }
    }

    private static ObjectNode result(AbRunner.Result r) {
        ObjectNode o = LatencyReport.JSON.createObjectNode();
        o.put("end", r.end().name().toLowerCase(Locale.ROOT));
        o.put("why", r.why());
        o.put("restored", r.restored());
        ObjectNode plan = o.putObject("plan");
        ArrayNode arms = plan.putArray("arms");
        for (int i = 0; i < r.plan().arms().size(); i++) {
            ObjectNode arm = arms.addObject();
            arm.put("label", AbPlan.label(i));
            arm.put("scheduler", r.plan().arms().get(i).name());
            arm.put("file", r.files().get(i).toString());
            arm.put("rounds", r.roundsPerArm().get(i));
        }
        plan.put("rounds", r.plan().rounds());
        plan.put("round_s", r.plan().roundSeconds());
        plan.put("settle_s", r.plan().settleSeconds());
        plan.put("kind", r.plan().kind().id());
        StringBuilder order = new StringBuilder();
        r.plan().order().forEach(i -> order.append(AbPlan.label(i)));
        plan.put("order", order.toString());
        return o;
    }

    private static void printText(AbRunner.Result r) {
        System.out.println(
                "A/B test "
                        + r.end().text()
                        + (r.why().isEmpty() ? "" : ": " + r.why())
                        + "; "
                        + r.restored());
        for (int i = 0; i < r.plan().arms().size(); i++) {
            System.out.printf(
                    Locale.US,
                    "  %s %-16s %d rounds  %s%n",
                    AbPlan.label(i),
                    r.plan().arms().get(i).describe(),
                    r.roundsPerArm().get(i),
                    r.files().get(i));
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already exiting: the hook is running
        }
    }
}
