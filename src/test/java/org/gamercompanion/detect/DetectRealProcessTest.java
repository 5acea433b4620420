package org.gamercompanion.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gamercompanion.agent.NativeBinaries;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.capture.LiveCapture;
import org.gamercompanion.profile.Profile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection against real processes started with chosen names, command lines and environments, with
 * the EXEC lines of the real agent: each is matched, and watched, within 1 s of its exec.
 */
class DetectRealProcessTest {
    static final long MATCH_DEADLINE_NS = 1_000_000_000L;

    @TempDir Path tmp;

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void killStarted() {
        for (Process p : started) {
            p.descendants()
                    .forEach(ProcessHandle::destroyForcibly); // the launcher's background children
            p.destroyForcibly();
        }
    }

    private Process start(ProcessBuilder pb) throws Exception {
        Process p =
                pb.redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        started.add(p);
        return p;
    }

    /** Records when each pid was matched; also applies, so a match really WATCHes the pid. */
    static final class Recorder implements GameDetector.Listener {
        final Map<Long, Long> matchedAtNs = new ConcurrentHashMap<>();
        final Map<Long, ProfileMatcher.Hit> hits = new ConcurrentHashMap<>();
        final List<String> log = new CopyOnWriteArrayList<>();
        final ProfileApplier applier;

        Recorder(ProfileApplier applier) {
            this.applier = applier;
        }

        @Override
        public void started(ProfileMatcher.Hit hit) {
            matchedAtNs.putIfAbsent(hit.process().pid(), System.nanoTime());
            hits.put(hit.process().pid(), hit);
            applier.started(hit);
        }

        @Override
        public void exited(ProfileMatcher.Hit hit) {
            applier.exited(hit);
        }

        Optional<ProfileMatcher.Hit> await(long pid, long sinceNs) throws InterruptedException {
            while (System.nanoTime() - sinceNs < 3 * MATCH_DEADLINE_NS) {
                Long at = matchedAtNs.get(pid);
                if (at != null) {
                    assertThat(at - sinceNs)
                            .as("ns from start of pid %d to its match", pid)
                            .isLessThan(MATCH_DEADLINE_NS);
                    return Optional.of(hits.get(pid));
                }
                Thread.sleep(5);
            }
            return Optional.empty();
        }
    }

    @Test
    void realProcessesAreMatchedWithinOneSecondOfExec() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN to start gamer-agent");
        assertThat(NativeBinaries.agent()).isExecutable();
        Path bargame = tmp.resolve("bargame");
        Files.copy(Path.of("/bin/sleep"), bargame, StandardCopyOption.COPY_ATTRIBUTES);

        // Started before the detector: found by the /proc scan, not by an EXEC line.
        Process early = start(new ProcessBuilder(bargame.toString(), "30"));

        List<Profile> profiles =
                List.of(
                        ProfileMatcherTest.profile("Bar Game", List.of("bargame"), 0, ""),
                        ProfileMatcherTest.profile("Wine Game", List.of("Game.exe"), 0, ""),
                        ProfileMatcherTest.profile("Steam Game", List.of(), 4242, ""),
                        ProfileMatcherTest.profile("Reaper Game", List.of(), 4243, ""),
                        ProfileMatcherTest.profile(
                                "Regex Game", List.of(), 0, "--level=secret\\b"));
        GameDetector detector = GameDetector.create(ProfileMatcher.of(profiles));
        List<Optional<ProfileMatcher.Hit>> actives = new CopyOnWriteArrayList<>();
        try (LiveCapture capture = LiveCapture.start(LiveCapture.Options.defaults(), detector)) {
            Recorder rec =
                    new Recorder(new ProfileApplier(capture.agent(), line -> {}, actives::add));
            long t0 = System.nanoTime();
            detector.start(rec);
            assertThat(rec.await(early.pid(), t0))
                    .get()
                    .extracting(h -> h.profile().name())
                    .isEqualTo("Bar Game");

            long t = System.nanoTime();
            Process renamed = start(new ProcessBuilder(bargame.toString(), "30"));
            ProfileMatcher.Hit h = rec.await(renamed.pid(), t).orElseThrow();
            assertThat(h.rule()).isEqualTo(ProfileMatcher.Rule.EXE);
            assertThat(h.process().exe()).isEqualTo("bargame");

            t = System.nanoTime();
            Process wine =
                    start(
                            new ProcessBuilder(
                                    "bash", "-c", "exec -a 'C:\\Games\\Game.exe' sleep 30"));
            h = rec.await(wine.pid(), t).orElseThrow();
            assertThat(h.profile().name()).isEqualTo("Wine Game");
            assertThat(h.rule()).isEqualTo(ProfileMatcher.Rule.WINE_EXE);

            t = System.nanoTime();
            ProcessBuilder steam = new ProcessBuilder("sleep", "30");
            steam.environment().put("SteamAppId", "4242");
            Process steamGame = start(steam);
            h = rec.await(steamGame.pid(), t).orElseThrow();
            assertThat(h.profile().name()).isEqualTo("Steam Game");
            assertThat(h.rule()).isEqualTo(ProfileMatcher.Rule.STEAM_APP_ID);

            t = System.nanoTime();
            Process reaper =
                    start(
                            new ProcessBuilder(
                                    "sh",
                                    "-c",
                                    "sleep 30",
                                    "reaper",
                                    "SteamLaunch",
                                    "AppId=4243",
                                    "--"));
            assertThat(rec.await(reaper.pid(), t))
                    .get()
                    .extracting(x -> x.profile().name())
                    .isEqualTo("Reaper Game");

            t = System.nanoTime();
            Process regex =
                    start(new ProcessBuilder("sh", "-c", "sleep 30", "game", "--level=secret"));
            assertThat(rec.await(regex.pid(), t))
                    .get()
                    .extracting(x -> x.profile().name())
                    .isEqualTo("Regex Game");

            Process other =
                    start(new ProcessBuilder("sh", "-c", "sleep 30", "game", "--level=secrets"));
            Thread.sleep(300);
            assertThat(rec.matchedAtNs).doesNotContainKey(other.pid());

            assertThat(Long.parseLong(capture.agent().status().get("watched"))).isEqualTo(6);
            assertThat(actives).isNotEmpty();

            renamed.destroy();
            renamed.waitFor();
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (Long.parseLong(capture.agent().status().get("watched")) != 5
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(capture.agent().status().get("watched")).isEqualTo("5");
        } finally {
            detector.close();
        }
    }

    @Test
    void wrapperAdoptionFollowsExecsOfTheAdoptedProcess() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN to start gamer-agent");
        GameDetector detector = GameDetector.create(ProfileMatcher.of(List.of()));
        try (LiveCapture capture = LiveCapture.start(LiveCapture.Options.defaults(), detector)) {
            Recorder rec = new Recorder(new ProfileApplier(capture.agent(), line -> {}, a -> {}));
            detector.start(rec);
            // A launcher script that starts the game as a child, as Steam's %command% often does.
            // The
            // first children exist before the wrapper's request arrives (found by the descendant
            // scan); "sleep 32" is forked after it (inherited through its EXEC line).
            long t = System.nanoTime();
            Process launcher =
                    start(
                            new ProcessBuilder(
                                    "sh", "-c", "sleep 30 & sleep 1; sleep 32 & exec sleep 31"));
            Thread.sleep(300);
            detector.adopt(launcher.pid(), Profile.named("Wrapped"));
            ProfileMatcher.Hit h = rec.await(launcher.pid(), t).orElseThrow();
            assertThat(h.rule()).isEqualTo(ProfileMatcher.Rule.WRAPPER);
            long deadline = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < deadline
                    && !rec.hits.values().stream()
                            .map(x -> String.join(" ", x.process().argv()))
                            .toList()
                            .containsAll(List.of("sleep 30", "sleep 32"))) {
                Thread.sleep(10);
            }
            assertThat(rec.hits.values())
                    .extracting(x -> String.join(" ", x.process().argv()))
                    .contains("sleep 30", "sleep 1", "sleep 32");
            assertThat(detector.everMatched())
                    .allSatisfy(x -> assertThat(x.profile().name()).isEqualTo("Wrapped"));
            assertThat(detector.everMatched())
                    .allSatisfy(x -> assertThat(x.rule()).isEqualTo(ProfileMatcher.Rule.WRAPPER));
        } finally {
            detector.close();
        }
    }
}
