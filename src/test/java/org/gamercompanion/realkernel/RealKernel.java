package org.gamercompanion.realkernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.NativeBinaries;
import org.gamercompanion.agent.Privileges;

/** Shared checks for the tests that load real BPF programs into the running kernel. */
final class RealKernel {
    private RealKernel() {}

    /**
     * Skips (with the reason) where this process may not load BPF; fails where it may but the agent
     * was not built, because then the build is broken, not the machine.
     */
    static void assumeBpfAndAgent() throws AgentException {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN to load BPF programs");
        assertThat(NativeBinaries.agent()).isExecutable();
    }

    /** BPF program ids held open by a process, read from its fds' fdinfo (prog_id: lines). */
    static Set<Long> bpfProgramIdsOf(long pid) throws IOException {
        Set<Long> ids = new HashSet<>();
        Path fdinfo = Path.of("/proc", Long.toString(pid), "fdinfo");
        try (var files = Files.list(fdinfo)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    for (String line : Files.readAllLines(p)) {
                        if (line.startsWith("prog_id:")) {
                            ids.add(Long.parseLong(line.substring(8).trim()));
                        }
                    }
                } catch (IOException e) {
                    // the fd closed while we looked
                }
            }
        }
        return ids;
    }

    /**
     * Waits until none of {@code ids} is loaded any more, polling bpftool until the deadline. The
     * kernel frees a program after an RCU grace period once its last fd and link are gone, so
     * "gone" is a condition to wait for, not an instant.
     *
     * @return the ids still loaded at the deadline (empty on success)
     */
    static Set<Long> awaitProgramsGone(Set<Long> ids, long deadlineNanos)
            throws IOException, InterruptedException {
        while (true) {
            Set<Long> left = new HashSet<>(ids);
            left.retainAll(loadedProgramIds());
            if (left.isEmpty() || System.nanoTime() > deadlineNanos) {
                return left;
            }
            Thread.sleep(20);
        }
    }

    /** Ids of every BPF program loaded in the kernel right now (bpftool prog show --json). */
    static Set<Long> loadedProgramIds() throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder("bpftool", "--json", "prog", "show")
                        .redirectErrorStream(false)
                        .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("bpftool prog show failed (exit " + p.exitValue() + ")");
        }
        Set<Long> ids = new HashSet<>();
        for (JsonNode n : new ObjectMapper().readTree(out)) {
            ids.add(n.path("id").asLong());
        }
        return ids;
    }
}
