package org.gamercompanion.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gamercompanion.wrapper.Wrapper;
import org.gamercompanion.wrapper.WrapperSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run [--profile NAME] -- CMD...}: the launch wrapper (docs/PROFILES.md). */
@Command(name = "run", description = {"Launch wrapper: run CMD and have Gamer Companion watch it.",
    "In Steam: Properties > Launch Options: gamer-companion run -- %command%",
    "A running Gamer Companion (window or 'record --profiles') watches CMD; with none running, CMD is recorded"
            + " headless until it exits (needs root or the BPF capabilities). The exit status is CMD's."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--profile", paramLabel = "NAME", description = "Apply this profile (default: detection decides).")
    String profile;

    @Option(names = "--profiles-dir", paramLabel = "DIR", hidden = true)
    Path profilesDir;

    @Option(names = "--socket", paramLabel = "PATH", hidden = true, description = "Wrapper socket (tests).")
    Path socket;

    @Option(names = "--sessions-dir", paramLabel = "DIR", hidden = true,
            description = "Where record_session profiles write .hlog files (default $XDG_STATE_HOME/gamer-companion/sessions).")
    Path sessionsDir;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        return Wrapper.run(new Wrapper.Request(command, Optional.ofNullable(profile),
                socket != null ? socket : WrapperSocket.defaultPath(), ProfileDetection.store(profilesDir), System.err,
                sessionsDir != null ? sessionsDir : Wrapper.defaultSessionsDir()));
    }
}
