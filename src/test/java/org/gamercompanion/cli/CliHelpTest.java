package org.gamercompanion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Issue 11 item 10: {@code record --help} said "Unknown option". Every command and subcommand, as
 * picocli knows them (so one added later is checked too), answers {@code --help} and {@code -h}
 * with its usage on stdout, status 0 and nothing on stderr.
 */
class CliHelpTest {
    static Stream<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        collect(new CommandLine(new Cli()), new ArrayList<>(), all);
        return all.stream();
    }

    private static void collect(CommandLine c, List<String> path, List<List<String>> all) {
        all.add(List.copyOf(path));
        c.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            // Aliases appear under every name; each command once is enough.
                            if (name.equals(sub.getCommandName())) {
                                List<String> p = new ArrayList<>(path);
                                p.add(name);
                                collect(sub, p, all);
                            }
                        });
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersHelp(List<String> command) {
        for (String flag : List.of("--help", "-h")) {
            List<String> args = new ArrayList<>(command);
            args.add(flag);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream o = System.out;
            PrintStream e = System.err;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status;
            try {
                status = Cli.run(args.toArray(String[]::new));
            } finally {
                System.setOut(o);
                System.setErr(e);
            }
            String usage = ("Usage: gamer-companion " + String.join(" ", command)).strip();
            assertThat(status).as("%s: status; stderr: %s", args, err).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as("%s", args).startsWith(usage);
            assertThat(err.toString(StandardCharsets.UTF_8)).as("%s: stderr", args).isEmpty();
        }
    }
}
