package org.gamercompanion.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.Recording;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.session.CaptureSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An A/B test interrupted three ways on the real agent (issue 10, "Done when"): the player's Stop,
 * the game exiting and the agent dying each end it with the rounds recorded so far kept in readable
 * recordings, and the scheduler put back. A/A (default against default): this kernel has no
 * sched_ext, and the interruption is what is tested, not a scheduler.
 */
class AbRunnerRealKernelTest {
    @TempDir Path tmp;

    private final AbPlan plan =
            new AbPlan(
                    List.of(SchedulerChoice.DEFAULT, SchedulerChoice.DEFAULT),
                    4,
                    30,
                    0,
                    Kind.WAKEUP_TO_RUN);

    @BeforeEach
    void needsBpf() {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
    }

    /**
     * Starts the test on its own thread; {@code recording} opens once round 1 has recorded samples.
     */
    private CompletableFuture<AbRunner.Result> start(AbRunner runner) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return runner.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static AbRunner.Listener untilRecording(CountDownLatch recording) {
        return new AbRunner.Listener() {
            @Override
            public void progress(AbRunner.Progress p) {
                if (!p.settling() && p.samples().get(0) > 0) {
                    recording.countDown();
                }
            }
        };
    }

    private static void assertKept(AbRunner.Result r) throws Exception {
        assertThat(r.roundsPerArm().get(0)).isEqualTo(1);
        for (Path f : r.files()) {
            assertThat(f).exists();
        }
        Recording a = Recording.read(r.files().get(0), 16, false);
        assertThat(a.intervals()).isPositive();
        assertThat(a.context().rounds()).hasSize(1);
        assertThat(a.context().context())
                .containsEntry("ab_arm", "A")
                .containsEntry("game_exe", "gamer-selftest");
        assertThat(r.restored()).startsWith("restored: ");
    }

    @Test
    void stopKeepsTheRecordedRoundAndRestores() throws Exception {
        try (CaptureSession s =
                CaptureSession.start(
                        CaptureSession.Options.plain(), new CaptureSession.Listener() {})) {
            SelftestWorkload game = s.startSelftest(SelftestWorkload.Options.forSeconds(120));
            CountDownLatch recording = new CountDownLatch(1);
            AbRunner runner =
                    AbRunner.create(
                                    s,
                                    plan,
                                    tmp.resolve("ab"),
                                    i -> {},
                                    () -> true,
                                    untilRecording(recording))
                            .game(game.pid(), "");
            CompletableFuture<AbRunner.Result> done = start(runner);
            assertThat(recording.await(60, TimeUnit.SECONDS)).as("round 1 records").isTrue();
            runner.stop();
            AbRunner.Result r = done.get(30, TimeUnit.SECONDS);
            assertThat(r.end()).isEqualTo(AbRunner.End.STOPPED);
            assertKept(r);
        }
    }

    @Test
    void theGameExitingEndsTheTestWithWhatItHas() throws Exception {
        try (CaptureSession s =
                CaptureSession.start(
                        CaptureSession.Options.plain(), new CaptureSession.Listener() {})) {
            SelftestWorkload game = s.startSelftest(SelftestWorkload.Options.forSeconds(120));
            ProcessHandle h = ProcessHandle.of(game.pid()).orElseThrow();
            CountDownLatch recording = new CountDownLatch(1);
            AbRunner runner =
                    AbRunner.create(
                                    s,
                                    plan,
                                    tmp.resolve("ab"),
                                    i -> {},
                                    h::isAlive,
                                    untilRecording(recording))
                            .game(game.pid(), "");
            CompletableFuture<AbRunner.Result> done = start(runner);
            assertThat(recording.await(60, TimeUnit.SECONDS)).isTrue();
            s.stopSelftest(game);
            AbRunner.Result r = done.get(30, TimeUnit.SECONDS);
            assertThat(r.end()).isEqualTo(AbRunner.End.GAME_EXITED);
            assertKept(r);
        }
    }

    @Test
    void theAgentDyingEndsTheTestAndSaysHow() throws Exception {
        try (CaptureSession s =
                CaptureSession.start(
                        CaptureSession.Options.plain(), new CaptureSession.Listener() {})) {
            SelftestWorkload game = s.startSelftest(SelftestWorkload.Options.forSeconds(120));
            CountDownLatch recording = new CountDownLatch(1);
            AbRunner runner =
                    AbRunner.create(
                                    s,
                                    plan,
                                    tmp.resolve("ab"),
                                    i -> {},
                                    () -> true,
                                    untilRecording(recording))
                            .game(game.pid(), "");
            CompletableFuture<AbRunner.Result> done = start(runner);
            assertThat(recording.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(
                            new ProcessBuilder("kill", "-9", Long.toString(s.agentPid()))
                                    .start()
                                    .waitFor())
                    .isZero();
            AbRunner.Result r = done.get(30, TimeUnit.SECONDS);
            assertThat(r.end()).isEqualTo(AbRunner.End.AGENT_DIED);
            assertThat(r.why()).isEqualTo("the agent died (signal 9)");
            assertThat(r.roundsPerArm().get(0)).isEqualTo(1);
            assertThat(Recording.read(r.files().get(0), 16, false).intervals()).isPositive();
            assertThat(Files.exists(r.files().get(1))).isTrue();
        }
    }
}
