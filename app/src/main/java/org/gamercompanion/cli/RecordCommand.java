package org.gamercompanion.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.recording.SessionFile;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.wrapper.WrapperSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "record", description = "Record latency histograms headless for a while.")
final class RecordCommand implements Callable<Integer> {
    @Option(
            names = "--seconds",
            defaultValue = "10",
            description = "How long to record (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--watch", paramLabel = "PID", description = "Watch this process (repeatable).")
    List<Long> watch = new ArrayList<>();

    @Option(
            names = "--selftest",
            description = "Run the built-in game-like workload with synthetic inputs and watch it.")
    boolean selftest;

    @Option(
            names = "--out",
            paramLabel = "F.hlog",
            description = "Write an HdrHistogram interval log.")
    Path out;

    @Option(
            names = "--until-exit",
            description =
                    "End as soon as every --watch process has exited (at most"
                            + " --seconds): a game's whole session, or a test's scene, without guessing its length.")
    boolean untilExit;

    @Option(names = "--json", description = "Print one JSON object (DESIGN.md section 7).")
    boolean json;

    @Option(
            names = {"-v", "--verbose"},
            description = "Show the agent's log.")
    boolean verbose;

    @Option(
            names = "--scheduler",
            paramLabel = "on|off",
            defaultValue = "off",
            description =
                    "Run the sched_ext scheduler \"gamer\" while recording (default ${DEFAULT-VALUE}). "
                            + "Refused (and recorded monitor-only) where sched_ext is absent or another scheduler runs.")
    String scheduler;

    @Option(
            names = "--profiles",
            description =
                    "Detect games by their profiles while recording: watch them, apply"
                            + " their scheduler settings, and list them in matched_profiles.")
    boolean profiles;

    @Option(
            names = "--profiles-dir",
            paramLabel = "DIR",
            hidden = true,
            description = "Profile directory (default $XDG_CONFIG_HOME/gamer-companion/profiles).")
    Path profilesDir;

    @Option(
            names = "--wrapper-socket",
            paramLabel = "PATH",
            hidden = true,
            description = "With --profiles: where the launch wrapper finds this recording (tests).")
    Path wrapperSocket;

    @Option(
            names = "--sessions-dir",
            paramLabel = "DIR",
            hidden = true,
            description =
                    "With --profiles: where"
                            + " record_session profiles write .hlog files (default $XDG_STATE_HOME/gamer-companion/sessions).")
    Path sessionsDir;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0 && seconds <= 86_400)) {
            throw new IllegalArgumentException(
                    "--seconds must be in (0, 86400] (was " + seconds + ")");
        }
        if (!scheduler.equals("on") && !scheduler.equals("off")) {
            throw new IllegalArgumentException(
                    "--scheduler must be on or off (was " + scheduler + ")");
        }
        if (untilExit && watch.isEmpty()) {
            throw new IllegalArgumentException("--until-exit needs at least one --watch PID");
        }
        if (out != null) {
            // Before the agent starts: a device or directory here must fail now, not after the
            // recording.
            AtomicFile.checkTarget(out);
        }
        if (watch.isEmpty() && !selftest && !profiles) {
            System.err.println(
                    "gamer-companion: nothing watched: give --watch PID or --selftest (recording counts only)");
        }
        RecordSession.Result r =
                RecordSession.run(
                        new RecordSession.Request(
                                seconds,
                                watch,
                                selftest,
                                SelftestWorkload.Options.forSeconds(seconds),
                                out,
                                verbose,
                                json ? null : System.err,
                                scheduler.equals("on"),
                                profiles ? ProfileDetection.store(profilesDir) : null,
                                profiles
                                        ? (wrapperSocket != null
                                                ? wrapperSocket
                                                : WrapperSocket.defaultPath())
                                        : null,
                                profiles
                                        ? (sessionsDir != null
                                                ? sessionsDir
                                                : SessionFile.defaultDir())
                                        : null,
                                untilExit));
        if (json) {
            ObjectNode o = r.report().toJson();
            // DESIGN.md section 7 fixes scheduler to {state, ops}; the scheduler's own story
            // (requested,
            // refused, exits) is added only to recordings that asked for it or saw it act.
            if (r.scheduler().requested() || !r.scheduler().events().isEmpty()) {
                r.scheduler().addTo((ObjectNode) o.get("scheduler"));
            }
            // Why input_to_run has the count it has (docs/METRICS.md): inputs the hook saw vs
            // inputs
            // a watched thread's wake-up claimed (each claim is one sample when that thread runs).
            ObjectNode inputs = o.putObject("inputs");
            for (String k : List.of("seen", "claimed")) {
                Long v = r.inputs().get(k);
                if (v == null) {
                    inputs.putNull(k);
                } else {
                    inputs.put(k, v);
                }
            }
            r.agentDied().ifPresent(d -> o.put("agent_died", d));
            System.out.println(
                    LatencyReport.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            r.report().printText(System.out);
            if (out != null) {
                System.out.println("\nrecording written to " + out);
            }
        }
        if (r.agentDied().isPresent()) {
            System.err.println(
                    "gamer-companion: recording cut short: "
                            + r.agentDied().get()
                            + (out != null ? "; what was recorded until then is in " + out : ""));
            return 1;
        }
        return 0;
    }
}
