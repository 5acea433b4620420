package org.gamercompanion.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gamercompanion.agent.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code record --selftest --json --out} and {@code report --json} on the real kernel. */
class RecordCliTest {
    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(Cli.run(args)).as("exit code of %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void selftestRecordingPrintsSixteenBuffersPerKindAndReportReadsItBack(@TempDir Path dir)
            throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        Path hlog = dir.resolve("selftest.hlog");
        JsonNode rec =
                new ObjectMapper()
                        .readTree(
                                run(
                                        "record",
                                        "--selftest",
                                        "--seconds",
                                        "2",
                                        "--json",
                                        "--out",
                                        hlog.toString()));
        List<String> top = new ArrayList<>();
        rec.fieldNames().forEachRemaining(top::add);
        assertThat(top)
                .containsExactly(
                        "duration_s",
                        "input_source",
                        "input_hook",
                        "scheduler",
                        "emitted_total",
                        "consumed_total",
                        "lost_total",
                        "matched_profiles",
                        "kinds",
                        "inputs");
        // The self-test's synthetic inputs go through the same hook; each claimed one is at most
        // one sample.
        assertThat(rec.at("/inputs/seen").asLong()).isPositive();
        assertThat(rec.at("/inputs/claimed").asLong())
                .isBetween(1L, rec.at("/inputs/seen").asLong());
        assertThat(rec.at("/kinds/input_to_run/merged/count").asLong())
                .isLessThanOrEqualTo(rec.at("/inputs/claimed").asLong());
        List<String> sched = new ArrayList<>();
        rec.get("scheduler").fieldNames().forEachRemaining(sched::add);
        assertThat(sched)
                .as("scheduler fields without --scheduler on")
                .containsExactly("state", "ops");
        for (String kind : new String[] {"input_to_run", "wakeup_to_run", "preempt_to_run"}) {
            assertThat(rec.at("/kinds/" + kind + "/buffers")).hasSize(16);
        }
        assertThat(rec.at("/kinds/input_to_run/merged/count").asLong()).isPositive();
        assertThat(rec.get("input_source").asText()).isEqualTo("synthetic");
        assertThat(rec.get("lost_total").asLong()).isZero();
        assertThat(rec.get("consumed_total").asLong()).isEqualTo(rec.get("emitted_total").asLong());

        JsonNode rep = new ObjectMapper().readTree(run("report", hlog.toString(), "--json"));
        for (String kind : new String[] {"input_to_run", "wakeup_to_run", "preempt_to_run"}) {
            for (int i = 0; i < 16; i++) {
                String at = "/kinds/" + kind + "/buffers/" + i;
                assertThat(rep.at(at + "/count").asLong())
                        .as(at)
                        .isEqualTo(rec.at(at + "/count").asLong());
                assertThat(rep.at(at + "/max_us").asDouble())
                        .as(at)
                        .isEqualTo(rec.at(at + "/max_us").asDouble());
            }
        }
        assertThat(rep.get("emitted_total").asLong()).isEqualTo(rec.get("emitted_total").asLong());
        assertThat(rep.get("input_source").asText()).isEqualTo("synthetic");
    }

    @Test
    void untilExitEndsTheRecordingWhenTheWatchedProcessExits() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        Process game = new ProcessBuilder("sleep", "600").start();
        // Progress goes to stderr once a second while recording: the first line says the watch is
        // on.
        PipedOutputStream errSink = new PipedOutputStream();
        BufferedReader progress =
                new BufferedReader(
                        new InputStreamReader(
                                new PipedInputStream(errSink, 1 << 16), StandardCharsets.UTF_8));
        PrintStream savedErr = System.err;
        System.setErr(new PrintStream(errSink, true, StandardCharsets.UTF_8));
        CompletableFuture<String> out;
        try {
            out =
                    CompletableFuture.supplyAsync(
                            () ->
                                    run(
                                            "record",
                                            "--watch",
                                            Long.toString(game.pid()),
                                            "--seconds",
                                            "600",
                                            "--until-exit"));
            String line;
            do {
                line = progress.readLine();
            } while (line != null && !line.contains("input_to_run"));
            assertThat(line).as("a progress line while recording").isNotNull();
            game.destroy();
            // Without --until-exit this would take 600 s; the bound only keeps a broken build from
            // hanging.
            String report = out.get(120, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("duration ([0-9.]+) s").matcher(report);
            assertThat(m.find()).as("a duration in %s", report).isTrue();
            assertThat(Double.parseDouble(m.group(1)))
                    .as("ended by the exit, not by --seconds")
                    .isLessThan(600);
        } finally {
            System.setErr(savedErr);
            game.destroyForcibly();
            errSink.close();
        }
    }

    @Test
    void untilExitWithoutWatchIsRefused() {
        assertThat(Cli.run(new String[] {"record", "--selftest", "--until-exit", "--seconds", "1"}))
                .isNotZero();
    }
}
