package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scheduler switch and the mark action of the model (issue 6), over a fake agent that answers
 * like gamer-agent.
 */
class DashboardSchedulerTest extends DashboardModelFixture {

    private SchedulerState sched() {
        return model.schedulerProperty().get();
    }

    @Test
    void withoutSchedExtTheToggleAsksTheAgentAndShowsItsRefusalStateUnchanged() throws Exception {
        model.start();
        settle();
        assertThat(sched().state()).isEqualTo(SchedulerState.State.ABSENT);
        assertThat(sched().canToggle()).isTrue(); // nobody has heard the agent's reason yet

        model.toggleScheduler();
        settle();
        assertThat(backend.callsSnapshot()).contains("SCHED ON");
        assertThat(sched().state()).isEqualTo(SchedulerState.State.ABSENT);
        assertThat(sched().answers()).isEqualTo(1);
        assertThat(sched().reason()).startsWith("sched_ext is absent");
        assertThat(sched().canToggle()).isFalse();
        assertThat(sched().text()).isEqualTo("absent: monitor only");
        assertThat(sched().detail()).startsWith("sched_ext is absent");
        // A sentence, never the protocol's "STATE sched_ext is absent" (issue 15 item 6).
        assertThat(model.messageProperty().get())
                .startsWith(
                        "This kernel has no sched_ext, so the gamer scheduler" + " cannot run here")
                .doesNotContain("STATE");
        assertThat(model.agentStatusProperty().get().phase()).isEqualTo(AgentStatus.Phase.RUNNING);
    }

    @Test
    void withSchedExtTheToggleTurnsOurSchedulerOnAndOff() throws Exception {
        model.start();
        settle();
        backend.last().kernelSched = "disabled";
        model.toggleScheduler();
        settle();
        assertThat(sched().state()).isEqualTo(SchedulerState.State.ENABLED);
        assertThat(sched().text()).isEqualTo("enabled (gamer)");
        model.toggleScheduler();
        settle();
        assertThat(sched().state()).isEqualTo(SchedulerState.State.DISABLED);
        assertThat(backend.callsSnapshot()).containsSubsequence("SCHED ON", "SCHED OFF");
        assertThat(sched().answers()).isEqualTo(2);
    }

    @Test
    void someoneElsesSchedulerIsNamedAndNotToggleable() throws Exception {
        model.start();
        settle();
        backend.last().kernelSched = "enabled:scx_rusty";
        model.toggleScheduler(); // reads the state first: someone else's is on, so it asks to
        // turn "ours" on
        settle();
        assertThat(sched().state()).isEqualTo(SchedulerState.State.OTHER);
        assertThat(sched().text()).isEqualTo("someone else's scheduler: scx_rusty");
        assertThat(sched().canToggle()).isFalse();
        assertThat(model.messageProperty().get())
                .isEqualTo(
                        "Another scheduler (scx_rusty) is running, and Gamer"
                                + " Companion never replaces one: stop it first (scx_loader, or the program that started it).");
    }

    @Test
    void withoutAnAgentTheSchedulerIsUnknownAndTheToggleSaysWhy() throws Exception {
        model.toggleScheduler();
        settle();
        assertThat(sched()).isEqualTo(SchedulerState.UNKNOWN);
        assertThat(model.messageProperty().get())
                .isEqualTo("the agent is not running: start it to turn the scheduler on");
        model.start();
        settle();
        model.stop();
        settle();
        assertThat(sched()).isEqualTo(SchedulerState.UNKNOWN);
    }

    @Test
    void aMarkWithNothingRecordingSaysSoAndOneWithASessionNamesTheFile() throws Exception {
        model.markMoment("hotkey");
        settle();
        assertThat(model.messageProperty().get())
                .startsWith("nothing is recording (the agent is not running)");
        model.start();
        settle();
        model.markMoment("hotkey");
        settle();
        assertThat(model.messageProperty().get())
                .startsWith("nothing is recording: marks go into the session files");
        backend.last().recording = List.of(Path.of("/tmp/bar-game-20261127-120000.hlog"));
        model.markMoment("hotkey");
        settle();
        assertThat(model.messageProperty().get()).isEqualTo("marked bar-game-20261127-120000.hlog");
        assertThat(backend.callsSnapshot()).contains("mark hotkey");
    }

    @ParameterizedTest
    @CsvSource({
        "absent,none,ABSENT",
        "disabled,none,DISABLED",
        "enabled:gamer,agent,ENABLED",
        "enabled:scx_rusty,other,OTHER",
        "enabling,agent,CHANGING",
        "disabling,other,OTHER",
        "garbage,none,UNKNOWN"
    })
    void statusFieldsMapToOneState(String schedField, String owner, SchedulerState.State expected) {
        assertThat(
                        SchedulerState.UNKNOWN
                                .withStatus(Map.of("sched", schedField, "sched_owner", owner))
                                .state())
                .isEqualTo(expected);
    }
}
