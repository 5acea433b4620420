package org.gamercompanion.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line surface of DESIGN.md section 7. Every subcommand inherits {@code -h/--help} and
 * {@code -V/--version} ({@code scope = INHERIT}; {@code record --help} said "Unknown option").
 */
@Command(
        name = "gamer-companion",
        mixinStandardHelpOptions = true,
        version = "gamer-companion 0.1.0",
        scope = CommandLine.ScopeType.INHERIT,
        description =
                "Measures input-to-schedule latency of games with BPF, from 16 kernel ring buffers.",
        subcommands = {
            StatusCommand.class,
            RecordCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            SelftestCommand.class,
            AbCommand.class,
            ProfileCommand.class,
            RunCommand.class,
            ServeCommand.class
        },
        footer = {
            "",
            "With no command the app window opens.",
            "Docs: docs/METRICS.md (what is measured), docs/PROTOCOL.md, docs/PERFORMANCE.md, docs/PROFILES.md."
        })
public final class Cli implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /**
     * Runs the CLI and returns the exit code. What the commands print goes through {@link Terminal}
     * (control characters from files are escaped); picocli's own help and parse errors, which hold
     * only our texts and the arguments typed, go out as they are (with colours on a terminal).
     */
    public static int run(String[] args) {
        try (Terminal.Installed t = Terminal.install()) {
            CommandLine cl = new CommandLine(new Cli());
            cl.setOut(new PrintWriter(new OutputStreamWriter(t.out(), t.out().charset()), true));
            cl.setErr(new PrintWriter(new OutputStreamWriter(t.err(), t.err().charset()), true));
            cl.setExecutionExceptionHandler(
                    (ex, commandLine, parseResult) -> {
                        // The message may quote a file (a profile's name): the escaping stderr.
                        System.err.println("gamer-companion: " + ex.getMessage());
                        return 1;
                    });
            try {
                return cl.execute(args);
            } catch (OutOfMemoryError | StackOverflowError e) {
                // Never a stack trace for a player; the bound that failed is a bug to report.
                System.err.println("gamer-companion: internal error: " + e + " (please report it)");
                return 70;
            }
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
