package org.gamercompanion.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.cli.Cli;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run [--profile NAME] -- CMD...}: through a running app's socket, and headless. */
class WrapperTest {
    @TempDir Path tmp;

    record Request(long pid, Optional<String> profile) {}

    private static String stderrOf(Runnable r) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunningAppIsAskedToWatchTheChildAndTheExitStatusIsTheChilds() throws Exception {
        Path profiles = tmp.resolve("profiles");
        ProfileStore.open(profiles).save(Profile.named("Bar Game"), null);
        Path socket = tmp.resolve("rt").resolve("wrapper.sock");
        List<Request> seen = new CopyOnWriteArrayList<>();
        try (WrapperServer server =
                WrapperServer.start(
                        socket,
                        (pid, name) -> {
                            seen.add(new Request(pid, name));
                            // The child must exist while the app is asked about it.
                            return ProcessHandle.of(pid).isPresent()
                                    ? null
                                    : "no such process " + pid;
                        })) {
            assertThat(Files.getPosixFilePermissions(socket.getParent()).toString())
                    .isEqualTo("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
            int[] status = new int[1];
            String err =
                    stderrOf(
                            () ->
                                    status[0] =
                                            Cli.run(
                                                    new String[] {
                                                        "run",
                                                        "--socket",
                                                        socket.toString(),
                                                        "--profiles-dir",
                                                        profiles.toString(),
                                                        "--profile",
                                                        "Bar Game",
                                                        "--",
                                                        "sh",
                                                        "-c",
                                                        "sleep 0.2; exit 7"
                                                    }));
            assertThat(status[0]).isEqualTo(7);
            assertThat(seen)
                    .singleElement()
                    .satisfies(r -> assertThat(r.profile()).contains("Bar Game"));
            assertThat(err).contains("OK watching " + seen.get(0).pid());

            err =
                    stderrOf(
                            () ->
                                    status[0] =
                                            Cli.run(
                                                    new String[] {
                                                        "run",
                                                        "--socket",
                                                        socket.toString(),
                                                        "--profiles-dir",
                                                        profiles.toString(),
                                                        "--",
                                                        "true"
                                                    }));
            assertThat(status[0]).isZero();
            assertThat(seen.get(1).profile()).isEmpty();
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void anUnknownProfileIsRefusedBeforeTheCommandStarts() {
        Path marker = tmp.resolve("ran");
        int[] status = new int[1];
        String err =
                stderrOf(
                        () ->
                                status[0] =
                                        Cli.run(
                                                new String[] {
                                                    "run",
                                                    "--socket",
                                                    tmp.resolve("none.sock").toString(),
                                                    "--profiles-dir",
                                                    tmp.resolve("empty").toString(),
                                                    "--profile",
                                                    "Nope",
                                                    "--",
                                                    "touch",
                                                    marker.toString()
                                                }));
        assertThat(status[0]).isEqualTo(1);
        assertThat(err).contains("run --profile: no profile named \"Nope\"");
        assertThat(marker).doesNotExist();
    }

    @Test
    void badRequestsOnTheSocketAreAnsweredNotObeyed() {
        List<Long> watched = new CopyOnWriteArrayList<>();
        WrapperServer.Handler h =
                (pid, name) -> {
                    watched.add(pid);
                    return null;
                };
        assertThat(WrapperServer.answer("WATCH 0 -", h)).startsWith("ERR");
        assertThat(WrapperServer.answer("WATCH -1 -", h)).startsWith("ERR");
        assertThat(WrapperServer.answer("WATCH 12 a b", h)).startsWith("ERR");
        assertThat(WrapperServer.answer(null, h)).startsWith("ERR");
        assertThat(WrapperServer.answer("WATCH 12 Bar\\x20Game", (pid, name) -> name.orElseThrow()))
                .isEqualTo("ERR Bar Game");
        assertThat(watched).isEmpty();
    }

    @Test
    void withNoAppRunningTheChildIsRecordedHeadless() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN to record headless");
        Path profiles = tmp.resolve("profiles");
        ProfileStore.open(profiles)
                .save(
                        Profile.named("Session Game")
                                .withMonitor(new Profile.Monitor(Profile.KINDS, true)),
                        null);
        Path sessions = tmp.resolve("sessions");
        int[] status = new int[1];
        String err =
                stderrOf(
                        () ->
                                status[0] =
                                        Cli.run(
                                                new String[] {
                                                    "run",
                                                    "--socket",
                                                    tmp.resolve("none.sock").toString(),
                                                    "--profiles-dir",
                                                    profiles.toString(),
                                                    "--sessions-dir",
                                                    sessions.toString(),
                                                    "--profile",
                                                    "Session Game",
                                                    "--",
                                                    "sh",
                                                    "-c",
                                                    "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.02; done; exit 3"
                                                }));
        try (var s = Files.list(sessions)) {
            Path hlog = s.findFirst().orElseThrow();
            assertThat(hlog.getFileName().toString()).startsWith("session-game-").endsWith(".hlog");
            assertThat(Files.readString(hlog))
                    .contains("profile=Session%20Game", "Tag=wakeup_to_run.ring");
        }
        assertThat(status[0]).isEqualTo(3);
        assertThat(err).contains("recording", "headless", "wakeup_to_run");
        String line =
                err.lines().filter(l -> l.contains("wakeup_to_run")).findFirst().orElseThrow();
        assertThat(Long.parseLong(line.trim().split("\\s+")[1])).as(line).isPositive();
    }
}
