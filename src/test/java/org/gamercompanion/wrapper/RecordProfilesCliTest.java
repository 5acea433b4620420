package org.gamercompanion.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.cli.Cli;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's "done when": with a profile whose exe is {@code bargame}, a program named bargame
 * started while {@code record --profiles --json} runs is in {@code matched_profiles} and its
 * latencies are recorded; a command started through {@code run} reaches the same recording.
 */
class RecordProfilesCliTest {
    @Test
    void aProgramNamedBargameIsMatchedAndRecorded(@TempDir Path tmp) throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        Path profiles = tmp.resolve("profiles");
        ProfileStore.open(profiles)
                .save(
                        Profile.named("Bar Game")
                                .withMatch(new Profile.Match(List.of("bargame"), 0, "")),
                        null);
        ProfileStore.open(profiles).save(Profile.named("Wrapped"), null);
        Path bargame = tmp.resolve("bin").resolve("bargame");
        Files.createDirectories(bargame.getParent());
        Files.copy(Path.of("/bin/sh"), bargame, StandardCopyOption.COPY_ATTRIBUTES);
        Path socket = tmp.resolve("rt").resolve("wrapper.sock");

        Thread game =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        awaitServing(socket);
                                        new ProcessBuilder(
                                                        bargame.toString(),
                                                        "-c",
                                                        "for i in $(seq 50); do sleep 0.01; done")
                                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                                .start()
                                                .waitFor();
                                        Cli.run(
                                                new String[] {
                                                    "run",
                                                    "--socket",
                                                    socket.toString(),
                                                    "--profiles-dir",
                                                    profiles.toString(),
                                                    "--profile",
                                                    "Wrapped",
                                                    "--",
                                                    "sh",
                                                    "-c",
                                                    "sleep 0.2"
                                                });
                                    } catch (Exception e) {
                                        throw new RuntimeException(e);
                                    }
                                });
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(
                            Cli.run(
                                    new String[] {
                                        "record",
                                        "--profiles",
                                        "--seconds",
                                        "4",
                                        "--json",
                                        "--profiles-dir",
                                        profiles.toString(),
                                        "--wrapper-socket",
                                        socket.toString()
                                    }))
                    .isZero();
        } finally {
            System.setOut(saved);
            game.join();
        }
        JsonNode rec = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        JsonNode matched = rec.get("matched_profiles");
        assertThat(matched)
                .anySatisfy(
                        m -> {
                            assertThat(m.get("name").asText()).isEqualTo("Bar Game");
                            assertThat(m.get("exe").asText()).isEqualTo("bargame");
                            assertThat(m.get("pid").asLong()).isPositive();
                        });
        assertThat(matched)
                .anySatisfy(m -> assertThat(m.get("name").asText()).isEqualTo("Wrapped"));
        assertThat(rec.at("/kinds/wakeup_to_run/merged/count").asLong()).isPositive();
    }

    @Test
    void aMatchedGameWithRecordSessionGetsItsOwnSessionLogOfItsKinds(@TempDir Path tmp)
            throws Exception {
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
        Path bargame = tmp.resolve("bin").resolve("bargame");
        Files.createDirectories(bargame.getParent());
        Files.copy(Path.of("/bin/sh"), bargame, StandardCopyOption.COPY_ATTRIBUTES);
        Path sessions = tmp.resolve("sessions");

        Thread game =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        awaitServing(tmp.resolve("wrapper.sock"));
                                        new ProcessBuilder(
                                                        bargame.toString(),
                                                        "-c",
                                                        "for i in $(seq 50); do sleep 0.01; done")
                                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                                .start()
                                                .waitFor();
                                    } catch (Exception e) {
                                        throw new RuntimeException(e);
                                    }
                                });
        PrintStream saved = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertThat(
                            Cli.run(
                                    new String[] {
                                        "record",
                                        "--profiles",
                                        "--seconds",
                                        "4",
                                        "--json",
                                        "--profiles-dir",
                                        profiles.toString(),
                                        "--wrapper-socket",
                                        tmp.resolve("wrapper.sock").toString(),
                                        "--sessions-dir",
                                        sessions.toString()
                                    }))
                    .isZero();
        } finally {
            System.setOut(saved);
            game.join();
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
            String log = Files.readString(files.get(0));
            assertThat(log)
                    .contains("profile=Bar%20Game", "exe=bargame", "Tag=wakeup_to_run.ring")
                    .doesNotContain("Tag=input_to_run", "Tag=preempt_to_run");
        }
    }

    /**
     * Waits until the recording serves the wrapper socket: it does so after detection started, so a
     * game started afterwards is seen through its EXEC line.
     */
    private static void awaitServing(Path socket) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the recording never served " + socket);
            }
            Thread.sleep(10);
        }
    }
}
