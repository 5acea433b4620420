package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's backend applies profiles on the real kernel and reports the active one and the
 * processes watched by profile (issue 4).
 */
class ActiveProfileRealKernelTest {
    @TempDir
    Path tmp;

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
    void aGameStartedWhileTheAgentRunsBecomesTheActiveProfileAndIsWatchedUntilItExits() throws Exception {
        assumeTrue(Privileges.canLoadBpf(), "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        Path profiles = tmp.resolve("profiles");
        ProfileStore.open(profiles).save(Profile.named("Bar Game").withMatch(new Profile.Match(List.of("bargame"), 0, "")), null);
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
}
