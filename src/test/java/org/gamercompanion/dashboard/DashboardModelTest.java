package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.process.ProcessInfo;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.snapshot.LatencyBuckets;
import org.gamercompanion.view.HistogramData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The view-model without the toolkit: a fake backend, and "FX thread" work run by the test. */
class DashboardModelTest extends DashboardModelFixture {

    /**
     * Issue 12: a hidden window (iconified, in the tray) gets no snapshot and no live fold, while
     * the recording intervals still close at their own cadence; shown again, it gets a snapshot at
     * once and live ones after it.
     */
    @Test
    void aHiddenWindowGetsNoSnapshotsWhileRecordingIntervalsGoOn() throws Exception {
        ConcurrentLinkedQueue<Runnable> fxWork = new ConcurrentLinkedQueue<>();
        FakeBackend b = new FakeBackend();
        DashboardModel m = new DashboardModel(b, fxWork::add, KERNEL, CpuTopology.ofCount(2), 100);
        try {
            m.start();
            m.awaitIdle(5000);
            FakeBackend.FakeSession s = b.last();
            m.liveView(false);
            m.awaitIdle(5000);
            for (Runnable r; (r = fxWork.poll()) != null; ) {
                r.run(); // what was handed over before: applied, so the hand-off is free again
            }
            int live = s.liveSamples.get();
            int closes = s.samples.get();
            // Three more closes, each on its own tick: the hidden schedule ran for a while.
            awaitOnCaptureThread(m, () -> s.samples.get() >= closes + 3);
            assertThat(s.liveSamples.get()).as("no live fold while hidden").isEqualTo(live);
            assertThat(fxWork).as("nothing handed to the FX thread while hidden").isEmpty();

            m.liveView(true);
            awaitOnCaptureThread(m, () -> s.liveSamples.get() >= live + 3);
            assertThat(fxWork).as("shown again: snapshots reach the view").isNotEmpty();
        } finally {
            m.shutdown(2000);
        }
    }

    /** Lets the capture thread run its ticks until {@code done} holds (10 s at most). */
    private static void awaitOnCaptureThread(DashboardModel m, BooleanSupplier done)
            throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s for the ticks").isLessThan(deadline);
            m.awaitIdle(5000);
        }
    }

    @Test
    void startingShowsTheAgentRunningWithItsPidAndInputHook() throws Exception {
        assertThat(model.agentStatusProperty().get().phase()).isEqualTo(AgentStatus.Phase.STOPPED);
        model.start();
        settle();
        assertThat(model.agentStatusProperty().get()).isEqualTo(AgentStatus.running(1000));
        assertThat(model.inputHookProperty().get())
                .isEqualTo("unavailable: fentry refused (EPERM); kprobe: ENOENT");
        assertThat(model.canStopProperty().get()).isTrue();
        assertThat(model.canStartProperty().get()).isFalse();
    }

    /**
     * docs/DESKTOP.md's known problem: the same message twice ("settings saved to ..." after a
     * second save) changed nothing on screen. A repeat is shown with its count; another message
     * resets it.
     */
    @Test
    void aRepeatedMessageIsShownAgainWithItsCount() {
        List<String> shown = new ArrayList<>();
        model.messageProperty().addListener((o, was, is) -> shown.add(is));
        model.say("settings saved to /x/settings.toml");
        model.say("settings saved to /x/settings.toml");
        model.say("settings saved to /x/settings.toml");
        model.say("nothing is recording");
        model.say("settings saved to /x/settings.toml");
        runFx();
        assertThat(shown)
                .containsExactly(
                        "settings saved to /x/settings.toml",
                        "settings saved to /x/settings.toml (2\u00d7)",
                        "settings saved to /x/settings.toml (3\u00d7)",
                        "nothing is recording",
                        "settings saved to /x/settings.toml");
    }

    @Test
    void aStartThatIsRefusedNamesWhatIsMissing() throws Exception {
        backend.refuseWith =
                "cannot start gamer-agent: loading BPF needs root or CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN";
        model.start();
        settle();
        AgentStatus s = model.agentStatusProperty().get();
        assertThat(s.phase()).isEqualTo(AgentStatus.Phase.FAILED);
        assertThat(s.text()).contains("CAP_BPF");
        assertThat(model.messageProperty().get()).contains("CAP_BPF");
        assertThat(model.canStartProperty().get()).isTrue();
    }

    @Test
    void aStartThroughPkexecSaysItWaitsForAuthorisationUntilTheAgentRuns() throws Exception {
        backend.asksForAuthorisation = true;
        List<String> shown = new ArrayList<>();
        model.agentStatusProperty()
                .addListener((o, was, is) -> shown.add(is.phase() + " " + is.text()));
        model.start();
        settle();
        assertThat(shown)
                .containsExactly(
                        "STARTING waiting for authorisation (polkit)\u2026",
                        "RUNNING running (pid 1000)");
    }

    @Test
    void aCancelledAuthorisationEndsTheWaitWithTheReasonAndAStartAsksAgain() throws Exception {
        backend.asksForAuthorisation = true;
        backend.refuseWith =
                "cannot start gamer-agent: authorisation cancelled; Start agent asks again";
        List<String> shown = new ArrayList<>();
        model.agentStatusProperty()
                .addListener((o, was, is) -> shown.add(is.phase() + " " + is.text()));
        model.start();
        settle();
        assertThat(shown)
                .containsExactly(
                        "STARTING waiting for authorisation (polkit)\u2026",
                        "FAILED could not start: authorisation cancelled; Start agent asks again");
        assertThat(model.canStartProperty().get()).isTrue();
    }

    @Test
    void aDirectStartSaysOnlyStarting() throws Exception {
        List<String> shown = new ArrayList<>();
        model.agentStatusProperty()
                .addListener((o, was, is) -> shown.add(is.phase() + " " + is.text()));
        model.start();
        settle();
        assertThat(shown).containsExactly("STARTING starting\u2026", "RUNNING running (pid 1000)");
    }

    @Test
    void agentDeathShowsTheExitReasonAndRestartStartsANewAgent() throws Exception {
        model.start();
        settle();
        backend.last().die(137);
        settle();
        AgentStatus s = model.agentStatusProperty().get();
        assertThat(s.phase()).isEqualTo(AgentStatus.Phase.EXITED);
        assertThat(s.text()).isEqualTo("died (signal 9): gamer-agent: fatal: ring 3 mmap failed");
        assertThat(backend.sessions.get(0).closed).isTrue();
        assertThat(model.canRestartProperty().get()).isTrue();
        assertThat(model.messageProperty().get()).startsWith("agent died (signal 9)");
        model.restart();
        settle();
        assertThat(model.agentStatusProperty().get()).isEqualTo(AgentStatus.running(1001));
        assertThat(model.canRestartProperty().get()).isFalse();
        assertThat(model.messageProperty().get())
                .as("the old agent's death is not the new one's")
                .isEmpty();
    }

    @Test
    void stoppingOnPurposeIsNotReportedAsADeath() throws Exception {
        model.start();
        settle();
        model.stop();
        settle();
        backend.last().die(0);
        settle();
        assertThat(model.agentStatusProperty().get()).isEqualTo(AgentStatus.STOPPED);
        assertThat(backend.last().closed).isTrue();
    }

    @Test
    void watchingSwitchesTargetsThroughTheAgent() throws Exception {
        model.start();
        ProcessInfo game = new ProcessInfo(4242, "cs2", 57, "cs2");
        ProcessInfo other = new ProcessInfo(5151, "dota2", 40, "dota2");
        model.watch(game);
        model.watch(other);
        model.watch(null);
        settle();
        assertThat(backend.callsSnapshot())
                .containsExactly(
                        "watch 4242",
                        "reset",
                        "unwatch 4242",
                        "watch 5151",
                        "reset",
                        "unwatch 5151",
                        "reset");
        assertThat(model.watchedProperty().get()).isNull();
    }

    @Test
    void aWatchedProcessThatExitsIsNoLongerShownAsWatched() throws Exception {
        model.start();
        model.watch(new ProcessInfo(4242, "cs2", 57, "cs2"));
        settle();
        backend.last().watchedExited.accept(4242);
        settle();
        assertThat(model.watchedProperty().get()).isNull();
        assertThat(model.messageProperty().get()).contains("cs2 (4242) exited");
    }

    @Test
    void processesWatchedByAProfileAreShownAndClearedWhenTheGameExits() throws Exception {
        assertThat(model.watchingProperty().get()).isEqualTo("Watching: nothing");
        model.showProfileWatched(List.of(new DashboardModel.ProfileWatch("Bar Game", 1234)));
        settle();
        assertThat(model.watchingProperty().get())
                .isEqualTo("Watching: Bar Game (pid 1234, by profile)");

        model.start();
        model.watch(new ProcessInfo(4242, "cs2", 57, "cs2"));
        model.showProfileWatched(
                List.of(
                        new DashboardModel.ProfileWatch("Bar Game", 1234),
                        new DashboardModel.ProfileWatch("CS2", 4242)));
        settle();
        // The picked process is listed once, as picked.
        assertThat(model.watchingProperty().get())
                .isEqualTo("Watching: cs2 (4242) + Bar Game (pid 1234, by profile)");

        model.showProfileWatched(List.of()); // the games exited
        model.watch(null);
        settle();
        assertThat(model.watchingProperty().get()).isEqualTo("Watching: nothing");
        assertThat(model.profileWatchedProperty().get()).isEmpty();
    }

    @Test
    void theSelftestIsPartOfTheWatchingLine() {
        assertThat(DashboardModel.watchingText(null, List.of(), true))
                .isEqualTo("Watching: self-test");
        assertThat(
                        DashboardModel.watchingText(
                                new ProcessInfo(7, "bargame", 1, "bargame"),
                                List.of(new DashboardModel.ProfileWatch("Foo", 8)),
                                true))
                .isEqualTo("Watching: bargame (7) + Foo (pid 8, by profile) + self-test");
    }

    @Test
    void selftestStartsTheWorkloadWatchesItAndStopsIt() throws Exception {
        model.toggleSelftest(); // starts the agent too
        settle();
        assertThat(model.agentStatusProperty().get().phase()).isEqualTo(AgentStatus.Phase.RUNNING);
        assertThat(model.selftestRunningProperty().get()).isTrue();
        model.toggleSelftest();
        settle();
        assertThat(model.selftestRunningProperty().get()).isFalse();
        // Each target change starts a new session (issue 15): the self-test's, then an empty one.
        assertThat(backend.callsSnapshot())
                .containsExactly(
                        "selftest 9000",
                        "watch 9000",
                        "go 9000",
                        "reset",
                        "unwatch 9000",
                        "selftest-close 9000",
                        "reset");
    }

    @Test
    void shutdownStopsTheSelftestAndTheAgent() throws Exception {
        model.toggleSelftest();
        settle();
        model.shutdown(2000);
        assertThat(backend.last().closed).isTrue();
        assertThat(backend.callsSnapshot()).contains("selftest-close 9000");
    }

    @Test
    void switchingKindChangesTheDataShown() throws Exception {
        model.start();
        settle();
        FakeBackend.FakeSession s = backend.last();
        s.record(0, Kind.INPUT_TO_RUN, 40_000);
        for (int i = 0; i < 5; i++) {
            s.record(1, Kind.WAKEUP_TO_RUN, 3_000);
        }
        model.applySnapshot(s.sample());
        HistogramData input = model.mergedProperty().get();
        assertThat(input.count()).isEqualTo(1);
        assertThat(input.title()).contains("input \u2192 run");
        model.kindProperty().set(Kind.WAKEUP_TO_RUN);
        HistogramData wakeup = model.mergedProperty().get();
        assertThat(wakeup.count()).isEqualTo(5);
        assertThat(wakeup.title()).contains("wakeup \u2192 run");
        assertThat(wakeup.buckets().count(LatencyBuckets.bucketOf(3_000))).isEqualTo(5);
        assertThat(model.ringProperty(1).get().count()).isEqualTo(5);
        assertThat(model.ringProperty(0).get().count()).isZero();
    }

    @Test
    void intervalModeShowsOnlyTheLastIntervalWhileSessionKeepsEverything() throws Exception {
        model.start();
        settle();
        FakeBackend.FakeSession s = backend.last();
        s.record(0, Kind.INPUT_TO_RUN, 40_000);
        model.applySnapshot(s.sample());
        s.record(0, Kind.INPUT_TO_RUN, 50_000);
        model.applySnapshot(s.sample());
        assertThat(model.mergedProperty().get().count()).isEqualTo(2);
        assertThat(model.sessionSummaryProperty().get().count()).isEqualTo(2);
        assertThat(model.intervalSummaryProperty().get().count()).isEqualTo(1);
        model.modeProperty().set(ViewMode.INTERVAL);
        assertThat(model.mergedProperty().get().count()).isEqualTo(1);
    }

    @Test
    void theSamplerThreadDeliversSnapshotsThroughTheFxExecutor() throws Exception {
        DashboardModel fast = new DashboardModel(backend, fx, KERNEL, CpuTopology.ofCount(2), 10);
        try {
            fast.start();
            fast.awaitIdle(5000);
            backend.last().record(3, Kind.PREEMPT_TO_RUN, 1_000);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (fast.sessionSummaryProperty().get().count() == 0
                    && System.nanoTime() < deadline) {
                fast.awaitIdle(5000);
                fast.kindProperty().set(Kind.PREEMPT_TO_RUN);
                Runnable r;
                while ((r = fxQueue.poll()) != null) {
                    r.run();
                }
                Thread.onSpinWait();
            }
            assertThat(fast.sessionSummaryProperty().get().count()).isEqualTo(1);
            assertThat(fast.snapshotsAppliedProperty().get()).isPositive();
        } finally {
            fast.shutdown(2000);
        }
    }

    @Test
    void idleRingsKeepTheSameDataObjectSoTheyAreNotRedrawn() throws Exception {
        model.start();
        settle();
        FakeBackend.FakeSession s = backend.last();
        s.record(0, Kind.INPUT_TO_RUN, 40_000);
        model.applySnapshot(s.sample());
        HistogramData ring1 = model.ringProperty(1).get();
        s.record(0, Kind.INPUT_TO_RUN, 40_000);
        model.applySnapshot(s.sample());
        assertThat(model.ringProperty(1).get()).isSameAs(ring1);
        assertThat(model.ringProperty(0).get().count()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyKindHasAReadableLabel(Kind k) {
        assertThat(DashboardModel.label(k)).endsWith("\u2192 run");
    }

    @Test
    void ringsAreTitledWithTheirCpusAndUnmappedRingsAreMarked() {
        DashboardModel m =
                new DashboardModel(backend, fx, KERNEL, CpuTopology.ofList("0-33"), 3_600_000);
        try {
            assertThat(m.ringProperty(0).get().title()).isEqualTo("ring 0 \u00b7 CPUs 0,16,32");
            assertThat(m.ringProperty(1).get().title()).isEqualTo("ring 1 \u00b7 CPUs 1,17,33");
            assertThat(m.ringProperty(2).get().title()).isEqualTo("ring 2 \u00b7 CPUs 2,18");
            assertThat(m.ringProperty(2).get().unmapped()).isFalse();
        } finally {
            m.shutdown(1000);
        }
        assertThat(model.ringProperty(1).get().title()).isEqualTo("ring 1 \u00b7 CPU 1");
        assertThat(model.ringProperty(2).get().title()).isEqualTo("ring 2 \u00b7 no CPU");
        assertThat(model.ringProperty(2).get().unmapped()).isTrue();
    }

    @Test
    void exitStatusSpellsOutSignalsAndPlainCodes() {
        assertThat(AgentStatus.exited(137, "").text()).isEqualTo("died (signal 9)");
        assertThat(AgentStatus.exited(1, "\n  agent stderr:\n    failed to attach: EPERM").text())
                .isEqualTo("exited (code 1): failed to attach: EPERM");
    }

    @Test
    void handoffDeliversOnlyTheNewestValueWhenTheConsumerFallsBehind() {
        ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        List<Integer> seen = new ArrayList<>();
        SnapshotHandoff<Integer> h = new SnapshotHandoff<>(queue::add, seen::add);
        h.publish(1);
        h.publish(2);
        h.publish(3);
        assertThat(queue).hasSize(1);
        queue.poll().run();
        h.publish(4);
        queue.poll().run();
        assertThat(seen).containsExactly(3, 4);
    }

    @Test
    void theHelpExplainsThatThreadsThatNeverLeaveTheCpuProduceNoSample() {
        assertThat(MetricsHelp.ENTRIES)
                .anySatisfy(
                        e ->
                                assertThat(e.text())
                                        .contains("never leave the CPU")
                                        .contains("no sample"));
        // Players first (issue 15 item 3): the kernel's words only in the details, units as shown.
        for (MetricsHelp.Entry e : MetricsHelp.ENTRIES) {
            if (!e.details()) {
                assertThat(e.text() + e.heading())
                        .doesNotContain(
                                "fentry",
                                "uprobe",
                                "runqlat",
                                "kprobe",
                                "BPF",
                                "shown in microseconds");
            }
        }
        assertThat(MetricsHelp.ENTRIES)
                .anySatisfy(e -> assertThat(e.text()).contains("p99").contains("16.7 ms"));
        assertThat(MetricsHelp.ENTRIES)
                .extracting(MetricsHelp.Entry::heading)
                .contains(
                        "input \u2192 run (the headline)",
                        "wakeup \u2192 run",
                        "preempt \u2192 run");
    }

    @Test
    void kernelLineNamesBtfAndSchedExtStateWithOps() {
        assertThat(DashboardModel.kernelText(KERNEL)).isEqualTo("BTF yes \u00b7 sched_ext absent");
        assertThat(DashboardModel.kernelText(new KernelStatus(true, "enabled", "gamer", "7.2")))
                .isEqualTo("BTF yes \u00b7 sched_ext enabled (gamer)");
        assertThat(DashboardModel.kernelText(new KernelStatus(false, "disabled", "", "7.2")))
                .isEqualTo("BTF no \u00b7 sched_ext disabled");
    }
}
