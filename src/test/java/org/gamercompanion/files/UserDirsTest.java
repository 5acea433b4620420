package org.gamercompanion.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The XDG rules: a variable counts only when set to an absolute path; otherwise the spec's default.
 */
class UserDirsTest {
    private static final Path HOME = Path.of("/home/p");
    private static final Path TMP = Path.of("/tmp");

    @Test
    void defaultsUnderHomeWhenNothingIsSet() {
        UserDirs d = UserDirs.of(Map.of(), HOME, TMP, 1000);
        assertThat(d.config()).isEqualTo(Path.of("/home/p/.config/gamer-companion"));
        assertThat(d.configHome()).isEqualTo(Path.of("/home/p/.config"));
        assertThat(d.cache()).isEqualTo(Path.of("/home/p/.cache/gamer-companion"));
        assertThat(d.state()).isEqualTo(Path.of("/home/p/.local/state/gamer-companion"));
        assertThat(d.runtime()).isEqualTo(Path.of("/tmp/gamer-companion-1000"));
    }

    @Test
    void absoluteVariablesWin() {
        UserDirs d =
                UserDirs.of(
                        Map.of(
                                "XDG_CONFIG_HOME",
                                "/c",
                                "XDG_CACHE_HOME",
                                "/k",
                                "XDG_STATE_HOME",
                                "/s",
                                "XDG_RUNTIME_DIR",
                                "/run/user/1000"),
                        HOME,
                        TMP,
                        1000);
        assertThat(d.config()).isEqualTo(Path.of("/c/gamer-companion"));
        assertThat(d.cache()).isEqualTo(Path.of("/k/gamer-companion"));
        assertThat(d.state()).isEqualTo(Path.of("/s/gamer-companion"));
        assertThat(d.runtime()).isEqualTo(Path.of("/run/user/1000/gamer-companion"));
    }

    @Test
    void relativeOrEmptyVariablesAreIgnoredAsTheSpecSays() {
        UserDirs d =
                UserDirs.of(
                        Map.of(
                                "XDG_CONFIG_HOME",
                                "rel/conf",
                                "XDG_CACHE_HOME",
                                "",
                                "XDG_STATE_HOME",
                                "./s",
                                "XDG_RUNTIME_DIR",
                                "run"),
                        HOME,
                        TMP,
                        7);
        assertThat(d.config()).isEqualTo(Path.of("/home/p/.config/gamer-companion"));
        assertThat(d.cache()).isEqualTo(Path.of("/home/p/.cache/gamer-companion"));
        assertThat(d.state()).isEqualTo(Path.of("/home/p/.local/state/gamer-companion"));
        assertThat(d.runtime()).isEqualTo(Path.of("/tmp/gamer-companion-7"));
    }
}
