package org.gamercompanion.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gamercompanion.dashboard.SchedulerState;
import org.junit.jupiter.api.Test;

/** The tray menu built from the app's state, without a display. */
class TrayMenuModelTest {
    private static final String ABSENT_REASON =
            "sched_ext is absent: this kernel has no /sys/kernel/sched_ext (CONFIG_SCHED_CLASS_EXT); the agent runs monitor-only";

    private static SchedulerState state(Map<String, String> status) {
        return SchedulerState.UNKNOWN.withStatus(status);
    }

    private static Map<String, TrayMenuModel.Item> items(
            SchedulerState s,
            boolean agent,
            String active,
            List<String> profiles,
            boolean shown,
            boolean autostart) {
        return TrayMenuModel.build(
                        new TrayMenuModel.State(s, agent, active, profiles, shown, autostart))
                .stream()
                .filter(i -> !i.id().equals(TrayMenuModel.SEPARATOR))
                .collect(Collectors.toMap(TrayMenuModel.Item::id, Function.identity()));
    }

    @Test
    void theMenuHasTheIssuesItemsInOrder() {
        List<String> ids =
                TrayMenuModel.build(
                                new TrayMenuModel.State(
                                        SchedulerState.UNKNOWN, false, "", List.of(), true, false))
                        .stream()
                        .map(TrayMenuModel.Item::id)
                        .toList();
        assertThat(ids)
                .containsExactly(
                        "scheduler",
                        "profile",
                        "profiles",
                        "-",
                        "window",
                        "autostart",
                        "-",
                        "quit");
    }

    @Test
    void theSchedulerItemReflectsTheAgentsState() {
        var off =
                items(
                        state(Map.of("sched", "disabled", "sched_owner", "none")),
                        true,
                        "",
                        List.of(),
                        true,
                        false);
        assertThat(off.get("scheduler").label()).isEqualTo("Turn scheduler on (off)");
        assertThat(off.get("scheduler").enabled()).isTrue();
        assertThat(off.get("scheduler").action()).isEqualTo(TrayMenuModel.Action.TOGGLE_SCHEDULER);

        var on =
                items(
                        state(Map.of("sched", "enabled:gamer", "sched_owner", "agent")),
                        true,
                        "",
                        List.of(),
                        true,
                        false);
        assertThat(on.get("scheduler").label()).isEqualTo("Turn scheduler off (on: gamer)");
        assertThat(on.get("scheduler").enabled()).isTrue();

        var other =
                items(
                        state(Map.of("sched", "enabled:scx_rusty", "sched_owner", "other")),
                        true,
                        "",
                        List.of(),
                        true,
                        false);
        assertThat(other.get("scheduler").label())
                .isEqualTo("Scheduler: scx_rusty runs (not ours)");
        assertThat(other.get("scheduler").enabled()).isFalse();

        var noAgent = items(SchedulerState.UNKNOWN, false, "", List.of(), true, false);
        assertThat(noAgent.get("scheduler").label()).isEqualTo("Scheduler: agent not running");
        assertThat(noAgent.get("scheduler").enabled()).isFalse();
    }

    @Test
    void withoutSchedExtTheItemIsDisabledWithTheAgentsReasonOnceItGaveOne() {
        SchedulerState absent = state(Map.of("sched", "absent", "sched_owner", "none"));
        var before = items(absent, true, "", List.of(), true, false);
        assertThat(before.get("scheduler").label())
                .isEqualTo("Turn scheduler on (sched_ext absent: monitor only)");
        assertThat(before.get("scheduler").enabled()).isTrue();

        var refused = items(absent.answered(ABSENT_REASON), true, "", List.of(), true, false);
        assertThat(refused.get("scheduler").label())
                .isEqualTo("Scheduler unavailable: sched_ext is absent");
        assertThat(refused.get("scheduler").enabled()).isFalse();
    }

    @Test
    void theActiveProfileIsShownAndEveryProfileCanBeChosenWhileTheAgentRuns() {
        var m =
                items(
                        SchedulerState.UNKNOWN,
                        true,
                        "Bar Game (pid 1234)",
                        List.of("Bar Game", "CS2"),
                        true,
                        false);
        assertThat(m.get("profile").label()).isEqualTo("Profile: Bar Game (pid 1234)");
        assertThat(m.get("profile").enabled()).isFalse();
        List<TrayMenuModel.Item> choices = m.get("profiles").children();
        assertThat(choices)
                .extracting(TrayMenuModel.Item::id)
                .containsExactly("profile:Bar Game", "profile:CS2");
        assertThat(choices)
                .allSatisfy(
                        c -> {
                            assertThat(c.enabled()).isTrue();
                            assertThat(c.action()).isEqualTo(TrayMenuModel.Action.CHOOSE_PROFILE);
                        });
        assertThat(choices.get(1).argument()).isEqualTo("CS2");

        var none = items(SchedulerState.UNKNOWN, false, "", List.of(), true, false);
        assertThat(none.get("profile").label()).isEqualTo("Profile: none active");
        assertThat(none.get("profiles").label()).isEqualTo("Switch profile (no profiles yet)");
        assertThat(none.get("profiles").enabled()).isFalse();
    }

    @Test
    void windowAndAutostartItemsFollowTheirState() {
        var shown = items(SchedulerState.UNKNOWN, false, "", List.of(), true, true);
        assertThat(shown.get("window").label()).isEqualTo("Hide window");
        assertThat(shown.get("autostart").checkbox()).isTrue();
        assertThat(shown.get("autostart").checked()).isTrue();
        var hidden = items(SchedulerState.UNKNOWN, false, "", List.of(), false, false);
        assertThat(hidden.get("window").label()).isEqualTo("Show window");
        assertThat(hidden.get("autostart").checked()).isFalse();
        assertThat(hidden.get("quit").action()).isEqualTo(TrayMenuModel.Action.QUIT);
    }

    @Test
    void theDrawnFallbackIconHasTheSizeAsked() {
        assertThat(TrayIcons.drawn(22).getWidth()).isEqualTo(22);
        assertThat(TrayIcons.drawn(22).getRGB(11, 11) >>> 24).isNotZero();
    }
}
