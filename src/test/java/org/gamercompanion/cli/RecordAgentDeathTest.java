package org.gamercompanion.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.gamercompanion.agent.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 5: kill -9 of the agent during {@code record} ends the recording at once with "the
 * agent died (signal 9)", prints the summary of what was recorded, keeps the .hlog and exits
 * non-zero (it used to print the same counts until --seconds ran out, then only an EPIPE).
 */
class RecordAgentDeathTest {
    private static final double SECONDS = 60;

    /** A stream that many threads may print to while the test reads it. */
    private static final class Captured {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            synchronized (stream) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static Optional<ProcessHandle> agent() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/gamer-agent")).orElse(false))
                .findFirst();
    }

    private static void waitFor(String what, long seconds, BooleanSupplier ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ok.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(20); // polling a condition with a deadline, not a synchronisation by sleep
        }
    }

    @Test
    void killingTheAgentEndsTheRecordingWithItsSummaryAndANonZeroExit(@TempDir Path dir)
            throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        Path hlog = dir.resolve("cut.hlog");
        Captured out = new Captured();
        Captured err = new Captured();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(out.stream);
        System.setErr(err.stream);
        int status;
        try {
            CompletableFuture<Integer> run =
                    CompletableFuture.supplyAsync(
                            () ->
                                    Cli.run(
                                            new String[] {
                                                "record",
                                                "--selftest",
                                                "--seconds",
                                                Double.toString(SECONDS),
                                                "--out",
                                                hlog.toString()
                                            }));
            // Two progress lines: the self-test runs and samples reach the recording.
            waitFor(
                    "two progress lines",
                    30,
                    () -> err.text().lines().filter(l -> l.contains("input_to_run")).count() >= 2);
            ProcessHandle agent = agent().orElseThrow();
            assertThat(agent.destroyForcibly()).isTrue();
            status = run.get(30, TimeUnit.SECONDS);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertThat(status).isEqualTo(1);
        assertThat(err.text())
                .contains("the agent died (signal 9)", "recording cut short")
                .doesNotContain("EPIPE");
        String report = out.text();
        assertThat(report).contains("input_to_run", "merged", "recording written to " + hlog);
        double duration =
                Double.parseDouble(report.replaceAll("(?s).*?duration ([0-9.]+) s.*", "$1"));
        assertThat(duration)
                .as("the recording ended at the death, not after --seconds")
                .isLessThan(SECONDS - 10);
        assertThat(Files.readString(hlog))
                .contains("agent_died=the%20agent%20died%20(signal%209)", "Tag=wakeup_to_run.ring");
    }
}
