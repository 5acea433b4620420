package org.gamercompanion.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 1 on the real agent and a real process: a profile saved while the game runs applies
 * at once (watched, its tunables pushed), a changed one is applied again, a deleted one is
 * reverted; no agent restart in between.
 */
class ProfileApplyOnSaveTest {
    @TempDir Path tmp;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 10 s waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.sleep(5); // polls a condition: the watcher and detector run on their own threads
        }
    }

    @Test
    void aProfileSavedWhileTheGameRunsAppliesAtOnceAndADeletedOneIsReverted() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        ProfileStore store = ProfileStore.open(tmp.resolve("profiles"));
        Path bargame = tmp.resolve("bargame");
        Files.copy(Path.of("/bin/sleep"), bargame, StandardCopyOption.COPY_ATTRIBUTES);
        AtomicReference<List<ProfileMatcher.Hit>> watched = new AtomicReference<>(List.of());
        AtomicReference<Optional<ProfileMatcher.Hit>> active =
                new AtomicReference<>(Optional.empty());
        Process game = new ProcessBuilder(bargame.toString(), "60").start();
        try (CaptureSession s =
                CaptureSession.start(
                        CaptureSession.Options.plain().withProfiles(store),
                        new CaptureSession.Listener() {
                            @Override
                            public void profileWatched(List<ProfileMatcher.Hit> w) {
                                watched.set(w);
                            }

                            @Override
                            public void activeProfile(Optional<ProfileMatcher.Hit> a) {
                                active.set(a);
                            }
                        })) {
            assertThat(watched.get()).isEmpty();
            String before = status(s, "game_slice_us");
            Profile p =
                    Profile.named("Bar Game")
                            .withMatch(new Profile.Match(List.of("bargame"), 0, ""));
            store.save(p.withScheduler(slice(p, 1500)), null);
            await(
                    "the running game matched by the new profile",
                    () -> watched.get().stream().anyMatch(h -> h.process().pid() == game.pid()));
            await("its tunables pushed", () -> status(s, "game_slice_us").equals("1500"));

            store.save(p.withScheduler(slice(p, 2500)), "Bar Game");
            await(
                    "the changed profile applied again",
                    () -> status(s, "game_slice_us").equals("2500"));
            assertThat(active.get())
                    .hasValueSatisfying(h -> assertThat(h.process().pid()).isEqualTo(game.pid()));

            store.remove("Bar Game");
            await(
                    "the deleted profile reverted",
                    () -> watched.get().isEmpty() && active.get().isEmpty());
            assertThat(status(s, "watched")).isEqualTo("0");
            assertThat(status(s, "game_slice_us"))
                    .as("the agent's own value again")
                    .isEqualTo(before);
        } finally {
            game.destroyForcibly();
        }
    }

    private static Profile.Scheduler slice(Profile p, long gameSliceUs) {
        Profile.Scheduler d = p.scheduler();
        return new Profile.Scheduler(
                d.enabled(), d.boostWindowUs(), gameSliceUs, d.otherSliceUs(), d.preemptOnInput());
    }

    private static String status(CaptureSession s, String key) {
        try {
            return s.status().getOrDefault(key, "");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
