package org.gamercompanion.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.gamercompanion.profile.Profile;
import org.junit.jupiter.api.Test;

/** The precedence rule of docs/PROFILES.md, on made-up process descriptions. */
class ProfileMatcherTest {
    static Profile profile(String name, List<String> exe, long appId, String regex) {
        return Profile.named(name).withMatch(new Profile.Match(exe, appId, regex));
    }

    static ProcessIdentity proc(String exe, long appId, String... argv) {
        return new ProcessIdentity(1234, exe, exe, List.of(argv), appId);
    }

    final ProfileMatcher m =
            ProfileMatcher.of(
                    List.of(
                            profile("Zeta by regex", List.of(), 0, "--map=dust2"),
                            profile("Alpha by regex", List.of(), 0, "dust"),
                            profile("By exe", List.of("cs2", "Game.EXE"), 0, ""),
                            profile("By steam", List.of(), 730, "")));

    @Test
    void steamAppIdBeatsExeBeatsWineExeBeatsRegex() {
        assertThat(m.match(proc("cs2", 730, "cs2", "--map=dust2")).orElseThrow().profile().name())
                .isEqualTo("By steam");
        assertThat(m.match(proc("cs2", 0, "cs2", "--map=dust2")).orElseThrow().rule())
                .isEqualTo(ProfileMatcher.Rule.EXE);
        ProfileMatcher.Hit wine =
                m.match(proc("wine64-preloader", 0, "Z:\\games\\game.exe", "--map=dust2"))
                        .orElseThrow();
        assertThat(wine.profile().name()).isEqualTo("By exe");
        assertThat(wine.rule()).isEqualTo(ProfileMatcher.Rule.WINE_EXE);
    }

    @Test
    void amongEqualRulesTheFirstNameIgnoringCaseWins() {
        ProfileMatcher.Hit h = m.match(proc("hl2", 0, "hl2", "--map=dust2")).orElseThrow();
        assertThat(h.profile().name()).isEqualTo("Alpha by regex");
        assertThat(h.rule()).isEqualTo(ProfileMatcher.Rule.CMDLINE_REGEX);
    }

    @Test
    void exeNamesAreExactForNativeBinaries() {
        assertThat(m.match(proc("CS2", 0, "CS2"))).isEmpty();
        assertThat(m.match(proc("cs2x", 0, "cs2x"))).isEmpty();
        assertThat(m.match(proc("sh", 0, "sh", "-c", "echo cs2"))).isEmpty();
    }

    @Test
    void aProfileWithoutRulesMatchesNothing() {
        ProfileMatcher only =
                ProfileMatcher.of(
                        List.of(
                                new Profile(
                                        "Manual",
                                        Profile.Match.none(),
                                        Profile.Scheduler.defaults(),
                                        Profile.Monitor.defaults(),
                                        Map.of())));
        assertThat(only.match(proc("anything", 1, "anything"))).isEmpty();
    }
}
