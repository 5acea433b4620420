package org.gamercompanion.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.NativeBinaries;

/**
 * The built-in game-like workload ({@code gamer-selftest}): an injector thread that fires synthetic
 * inputs (the uprobe target {@code gc_synthetic_input}), an input thread woken by each one, a
 * render thread that burns CPU per frame, and a sleeper doing a fixed number of 1 ms sleeps.
 *
 * <p>It starts paused ({@code READY <pid>}) so the caller can watch it before anything happens,
 * then {@link #go} releases it. {@link #awaitResult} returns what it did, for comparing with what
 * was measured.
 */
public final class SelftestWorkload implements AutoCloseable {
    private final Process process;
    private final BufferedReader stdout;
    private final long pid;

    /** What the workload did, from its final JSON line. */
    public record Result(
            long pid,
            long inputsFired,
            long inputReads,
            long frames,
            long sleepsDone,
            double seconds) {}

    /**
     * Knobs; 0 means the helper's default. {@code spread} pins the workload's threads to different
     * CPUs, so its events come from every CPU even on a loaded machine.
     */
    public record Options(
            double seconds, int inputHz, int sleeps, int renderHz, int burnUs, boolean spread) {
        public Options(double seconds, int inputHz, int sleeps, int renderHz, int burnUs) {
            this(seconds, inputHz, sleeps, renderHz, burnUs, false);
        }

        public static Options forSeconds(double seconds) {
            return new Options(seconds, 0, 0, 0, 0);
        }

        /** The same options with the threads spread over the CPUs. */
        public Options spreadOverCpus() {
            return new Options(seconds, inputHz, sleeps, renderHz, burnUs, true);
        }
    }

    private SelftestWorkload(Process process, BufferedReader stdout, long pid) {
        this.process = process;
        this.stdout = stdout;
        this.pid = pid;
    }

    /** Starts the helper and waits for its READY line. */
    public static SelftestWorkload start(Options o) throws AgentException {
        List<String> cmd = new ArrayList<>(List.of(NativeBinaries.selftest().toString()));
        cmd.addAll(List.of("--seconds", Long.toString(Math.max(1, Math.round(o.seconds())))));
        if (o.inputHz() > 0) {
            cmd.addAll(List.of("--input-hz", Integer.toString(o.inputHz())));
        }
        if (o.sleeps() > 0) {
            cmd.addAll(List.of("--sleeps", Integer.toString(o.sleeps())));
        }
        if (o.renderHz() > 0) {
            cmd.addAll(List.of("--render-hz", Integer.toString(o.renderHz())));
        }
        if (o.burnUs() > 0) {
            cmd.addAll(List.of("--burn-us", Integer.toString(o.burnUs())));
        }
        if (o.spread()) {
            cmd.addAll(List.of("--spread", "1"));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AgentException("failed to start " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        try {
            String line = out.readLine();
            if (line == null || !line.startsWith("READY ")) {
                p.destroyForcibly();
                throw new AgentException("gamer-selftest did not report READY (got " + line + ")");
            }
            return new SelftestWorkload(p, out, Long.parseLong(line.substring(6).trim()));
        } catch (IOException | NumberFormatException e) {
            p.destroyForcibly();
            throw new AgentException("gamer-selftest start: " + e.getMessage(), e);
        }
    }

    public long pid() {
        return pid;
    }

    /** Lets the workload run. */
    public void go() throws AgentException {
        try {
            OutputStream in = process.getOutputStream();
            in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            throw new AgentException("gamer-selftest GO: " + e.getMessage(), e);
        }
    }

    /** Waits for the workload to finish its run and returns its summary. */
    public Result awaitResult(long timeoutMillis) throws AgentException {
        try {
            String line = null;
            String l;
            while ((l = stdout.readLine()) != null) {
                if (l.startsWith("{")) {
                    line = l;
                }
            }
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AgentException("gamer-selftest did not exit in time");
            }
            if (line == null) {
                throw new AgentException(
                        "gamer-selftest exited " + process.exitValue() + " without a summary");
            }
            JsonNode j = new ObjectMapper().readTree(line);
            return new Result(
                    j.path("pid").asLong(),
                    j.path("inputs_fired").asLong(),
                    j.path("input_reads").asLong(),
                    j.path("frames").asLong(),
                    j.path("sleeps_done").asLong(),
                    j.path("seconds").asDouble());
        } catch (IOException e) {
            throw new AgentException("gamer-selftest result: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted waiting for gamer-selftest", e);
        }
    }

    /** Ends the workload early (closing its stdin tells it to stop). */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
