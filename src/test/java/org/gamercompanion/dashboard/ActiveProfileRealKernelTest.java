package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's backend applies profiles on the real kernel and reports the active one and the
 * processes watched by profile, and writes the session file of {@code monitor.record_session}
 * (issue 4).
 */
class ActiveProfileRealKernelTest {
    @TempDir Path tmp;

    @AfterEach
    void clearProperty() {
        System.clearProperty("gc.profiles.dir");
    }

    private static <T> void await(List<T> seen, T value) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!seen.contains(value) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(seen).contains(value);
    }

    @Test
    void aGameStartedWhileTheAgentRunsBecomesTheActiveProfileAndIsWatchedUntilItExits()
            throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        Path profiles = tmp.resolve("profiles");
        ProfileStore.open(profiles)
                .save(
                        Profile.named("Bar Game")
                                .withMatch(new Profile.Match(List.of("bargame"), 0, "")),
                        null);
        System.setProperty("gc.profiles.dir", profiles.toString());
        Path bargame = tmp.resolve("bargame");
        Files.copy(Path.of("/bin/sleep"), bargame, StandardCopyOption.COPY_ATTRIBUTES);

        List<String> seen = new CopyOnWriteArrayList<>();
        LiveCaptureBackend backend = new LiveCaptureBackend();
        backend.onActiveProfile(seen::add);
        List<List<DashboardModel.ProfileWatch>> watched = new CopyOnWriteArrayList<>();
        backend.onProfileWatched(watched::add);
        CaptureBackend.Session session = backend.start(tgid -> {});
        Process game = null;
        try {
            game = new ProcessBuilder(bargame.toString(), "30").start();
            await(seen, "Bar Game (pid " + game.pid() + ")");
            await(watched, List.of(new DashboardModel.ProfileWatch("Bar Game", game.pid())));
            game.destroy();
            game.waitFor();
            await(seen, "");
            await(watched, List.of());
        } finally {
            if (game != null) {
                game.destroyForcibly();
            }
            session.close();
        }
    }

    @Test
    void aMatchedGameWithRecordSessionGetsOneSessionLogOfItsKindsOnly() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        Path profiles = tmp.resolve("profiles");
        ProfileStore.open(profiles)
                .save(
                        Profile.named("Bar Game")
                                .withMatch(new Profile.Match(List.of("bargame"), 0, ""))
                                .withMonitor(new Profile.Monitor(List.of("wakeup_to_run"), true)),
                        null);
        System.setProperty("gc.profiles.dir", profiles.toString());
        Path bargame = tmp.resolve("bargame");
        Files.copy(Path.of("/bin/sh"), bargame, StandardCopyOption.COPY_ATTRIBUTES);
        Path sessions = tmp.resolve("sessions");

        LiveCaptureBackend backend = new LiveCaptureBackend();
        backend.sessionsDir(sessions);
        List<List<DashboardModel.ProfileWatch>> watched = new CopyOnWriteArrayList<>();
        backend.onProfileWatched(watched::add);
        CaptureBackend.Session session = backend.start(tgid -> {});
        Process game = null;
        try {
            game =
                    new ProcessBuilder(
                                    bargame.toString(),
                                    "-c",
                                    "for i in $(seq 200); do sleep 0.01; done")
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            await(watched, List.of(new DashboardModel.ProfileWatch("Bar Game", game.pid())));
            // This thread stands in for the window's capture thread: it samples while the game
            // runs.
            while (!game.waitFor(50, TimeUnit.MILLISECONDS)) {
                session.sample();
            }
            session.sample();
            await(watched, List.of());
        } finally {
            if (game != null) {
                game.destroyForcibly();
            }
            session.close();
        }
        try (var s = Files.list(sessions)) {
            List<Path> files = s.toList();
            assertThat(files)
                    .singleElement()
                    .satisfies(
                            f ->
                                    assertThat(f.getFileName().toString())
                                            .startsWith("bar-game-")
                                            .endsWith(".hlog"));
            assertThat(Files.readString(files.get(0)))
                    .contains("profile=Bar%20Game", "exe=bargame", "Tag=wakeup_to_run.ring")
                    .doesNotContain("Tag=input_to_run", "Tag=preempt_to_run");
        }
    }
}
