package org.gamercompanion.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the external tools the package tests drive (dpkg-deb, Xvfb, xdotool, ...). */
final class Commands {
    private Commands() {}

    /** What a finished command printed (stdout and stderr merged) and its exit status. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code command} to completion within {@code timeout}; a command still running then is
     * killed and fails.
     */
    static Result run(Duration timeout, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("gc-cmd", ".log");
        try {
            Process p = pb.redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(
                        -1,
                        "timed out after "
                                + timeout
                                + ": "
                                + String.join(" ", command)
                                + "\n"
                                + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Result run(Duration timeout, String... command)
            throws IOException, InterruptedException {
        return run(timeout, Map.of(), command);
    }

    /** Whether {@code name} is an executable on PATH. */
    static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Pids of the processes whose executable lies under {@code dir}, read from /proc/PID/exe. A
     * process whose file was deleted (a removed package) still counts: the kernel then appends "
     * (deleted)" to the link, which keeps the prefix.
     */
    static List<Long> processesRunningFrom(Path dir) {
        List<Long> pids = new ArrayList<>();
        String prefix = dir.toString() + "/";
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readSymbolicLink(p.resolve("exe")).toString().startsWith(prefix)) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // a kernel thread (no exe) or a process that exited while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }
}
