package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.gamercompanion.process.ProcessInfo;
import org.gamercompanion.recorder.Kind;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2, the live numbers are the target's: a new target starts a new session (the old
 * samples are gone from the charts, its recording is closed and kept), Reset starts one by hand,
 * and the charts say in words what they cannot show (no target, no input hook, not live).
 */
class DashboardSessionTest extends DashboardModelFixture {
    private long sessionCount() {
        return model.sessionSummaryProperty().get().count();
    }

    @Test
    void switchingFromTheSelftestToAGameStartsAnEmptySessionUnderTheGamesName() throws Exception {
        model.start();
        model.toggleSelftest();
        settle();
        FakeBackend.FakeSession s = backend.last();
        s.record(0, Kind.INPUT_TO_RUN, 40_000);
        model.applySnapshot(s.sample());
        assertThat(sessionCount()).isEqualTo(1);
        assertThat(model.sessionTextProperty().get())
                .startsWith("Session: gamer-selftest (pid 9000)");

        model.toggleSelftest();
        model.watch(new ProcessInfo(4242, "cs2", 57, "cs2"));
        settle();
        model.applySnapshot(s.sample());
        assertThat(sessionCount()).as("the self-test's sample is not the game's").isZero();
        assertThat(model.sessionTextProperty().get()).startsWith("Session: cs2 (pid 4242) \u00b7 ");
    }

    @Test
    void resetStartsTheNumbersAgainForTheSameTarget() throws Exception {
        model.start();
        model.watch(new ProcessInfo(4242, "cs2", 57, "cs2"));
        settle();
        FakeBackend.FakeSession s = backend.last();
        s.record(0, Kind.WAKEUP_TO_RUN, 3_000);
        model.applySnapshot(s.sample());
        assertThat(
                        model.snapshotProperty()
                                .get()
                                .kind(Kind.WAKEUP_TO_RUN)
                                .mergedCumulative()
                                .count())
                .isEqualTo(1);
        model.resetSession();
        settle();
        model.applySnapshot(s.sample());
        assertThat(
                        model.snapshotProperty()
                                .get()
                                .kind(Kind.WAKEUP_TO_RUN)
                                .mergedCumulative()
                                .count())
                .isZero();
        assertThat(model.messageProperty().get()).startsWith("session reset");
    }

    /** Recording goes on across targets, one file per session; the closed file is announced. */
    @Test
    void aRecordingIsOneFilePerSessionAndEndsWithTheAgent() throws Exception {
        model.start();
        model.watch(new ProcessInfo(4242, "cs2", 57, "cs2"));
        model.toggleRecording();
        settle();
        assertThat(model.sessionProperty().get().recording())
                .hasToString("/fake/cs2-pid-4242-.hlog");
        assertThat(model.sessionTextProperty().get()).contains("recording to cs2-pid-4242-.hlog");
        model.watch(new ProcessInfo(5151, "dota2", 40, "dota2"));
        settle();
        assertThat(backend.callsSnapshot())
                .containsSubsequence(
                        "record /fake/cs2-pid-4242-.hlog",
                        "saved /fake/cs2-pid-4242-.hlog",
                        "record /fake/dota2-pid-5151-.hlog");
        model.stop();
        settle();
        assertThat(backend.callsSnapshot()).contains("saved /fake/dota2-pid-5151-.hlog");
        assertThat(model.sessionProperty().get().recording()).isNull();
    }

    @Test
    void theChartSaysWhatToDoWhyInputStaysEmptyAndWhenItIsNotLive() throws Exception {
        assertThat(model.chartHintProperty().get()).startsWith("Start the agent");
        model.start();
        settle();
        assertThat(model.chartHintProperty().get()).startsWith("Pick your game");
        model.watch(new ProcessInfo(4242, "cs2", 57, "cs2"));
        settle();
        assertThat(model.chartHintProperty().get())
                .startsWith(
                        "No input \u2192 run samples here: this kernel gives no"
                                + " input hook (fentry refused (EPERM); kprobe: ENOENT)")
                .contains("Wake-up \u2192 run still measures");
        model.kindProperty().set(Kind.WAKEUP_TO_RUN);
        assertThat(model.chartHintProperty().get()).isEmpty();
        FakeBackend.FakeSession s = backend.last();
        s.record(0, Kind.WAKEUP_TO_RUN, 3_000);
        model.applySnapshot(s.sample());
        model.stop();
        settle();
        assertThat(model.chartHintProperty().get()).startsWith("stopped: the agent is not running");
    }
}
