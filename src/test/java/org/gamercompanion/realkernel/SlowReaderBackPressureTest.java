package org.gamercompanion.realkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.NativeBinaries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 2: a reader that stalls (SIGSTOP) while an exec storm and a flood of its own
 * commands fill the control socket does not kill the agent. After SIGCONT it gets every reply, the
 * watched process's EXITED line and a {@code DROPPED EXEC <n>} line, and STATUS agrees with the
 * DROPPED lines. Every step waits on a condition (the reader's answers, /proc state 'T', process
 * exits), never on a sleep.
 *
 * <p>The reader is {@code src/test/helpers/stall_reader.py}: a raw client, so that it can send
 * commands without reading their replies (the Java client serialises commands).
 */
class SlowReaderBackPressureTest {
    /** More PINGs than the socket and the agent's queue hold together (about 300 + 256 here). */
    private static final int PINGS = 2000;

    /** More execs than the socket and the queue hold: some must be dropped and counted. */
    private static final int EXECS = 3000;

    @TempDir Path tmp;

    @BeforeEach
    void needsBpf() throws Exception {
        RealKernel.assumeBpfAndAgent();
    }

    @Test
    void aStalledReaderGetsEveryReplyTheExitedLineAndACountOfDroppedExecs() throws Exception {
        RawAgent agent = RawAgent.start(tmp);
        Process victim =
                new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process reader =
                new ProcessBuilder(
                                "python3",
                                Path.of("src/test/helpers/stall_reader.py")
                                        .toAbsolutePath()
                                        .toString(),
                                agent.name(),
                                Long.toString(victim.pid()))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try (PrintWriter toReader =
                        new PrintWriter(reader.getOutputStream(), true, StandardCharsets.US_ASCII);
                BufferedReader fromReader =
                        new BufferedReader(
                                new InputStreamReader(
                                        reader.getInputStream(), StandardCharsets.US_ASCII))) {
            assertThat(fromReader.readLine()).isEqualTo("READY");
            toReader.println("FLOOD " + PINGS);
            assertThat(fromReader.readLine()).isEqualTo("FLOODING");

            signal("STOP", reader.pid());
            awaitState(reader.pid(), 'T');

            Process storm =
                    new ProcessBuilder(
                                    "sh",
                                    "-c",
                                    "i=0; while [ $i -lt "
                                            + EXECS
                                            + " ]; do /bin/true; i=$((i+1)); done")
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            assertThat(storm.waitFor(300, TimeUnit.SECONDS)).as("exec storm finished").isTrue();
            // The victim exits after the storm: its EXITED line comes while the queue is full.
            victim.getOutputStream().close();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();

            signal("CONT", reader.pid());
            toReader.println("READ " + PINGS);
            String resultLine = fromReader.readLine();
            Map<String, String> r = fields(resultLine);

            assertThat(r)
                    .as("what the reader got")
                    .containsEntry("end", "ok")
                    .containsEntry("pongs", Integer.toString(PINGS))
                    .containsEntry("other_replies", "0")
                    .containsEntry("exited", "1")
                    .containsEntry("bad_dropped", "0");
            assertThat(Long.parseLong(r.get("dropped_sum")))
                    .as("EXEC lines reported dropped")
                    .isPositive();
            assertThat(r.get("status_exec_dropped"))
                    .as("STATUS exec_dropped = the sum of DROPPED lines")
                    .isEqualTo(r.get("dropped_sum"));
            assertThat(agent.process().isAlive()).as("the agent outlived the stall").isTrue();

            toReader.println("QUIT");
            assertThat(reader.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.process().waitFor(5, TimeUnit.SECONDS))
                    .as("the agent exits once the reader closes")
                    .isTrue();
            assertThat(agent.process().exitValue()).isZero();
        } finally {
            reader.destroyForcibly();
            victim.destroyForcibly();
            agent.process().destroyForcibly();
            agent.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> fields(String line) {
        assertThat(line).as("the reader's result").startsWith("RESULT ");
        Map<String, String> m = new HashMap<>();
        for (String w : line.substring(7).split(" ")) {
            int eq = w.indexOf('=');
            m.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return m;
    }

    static void signal(String name, long pid) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0)
                .as("kill -" + name)
                .isTrue();
    }

    /**
     * Polls /proc/PID/stat until the process state is {@code state} (bounded: fails after 30 s).
     */
    static void awaitState(long pid, char state) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char now = stat.charAt(stat.lastIndexOf(')') + 2);
            if (now == state) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("pid %d reached state %s (is %s)", pid, state, now)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /**
     * The built agent started directly (no Java client): its control socket is for a raw client.
     * stderr goes to a file, so nothing here has to keep draining it.
     */
    record RawAgent(Process process, String name) {
        static RawAgent start(Path tmp) throws Exception {
            Process p =
                    new ProcessBuilder(List.of(NativeBinaries.agent().toString()))
                            .redirectError(tmp.resolve("agent.err").toFile())
                            .start();
            String first =
                    new BufferedReader(
                                    new InputStreamReader(
                                            p.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
            assertThat(first).as("the agent's first line").matches("LISTENING @[0-9a-f]{5}");
            return new RawAgent(p, first.substring("LISTENING @".length()));
        }
    }
}
