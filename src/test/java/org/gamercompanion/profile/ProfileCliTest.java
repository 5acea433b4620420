package org.gamercompanion.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gamercompanion.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code profile list|show|add|remove|import|export}. */
class ProfileCliTest {
    @TempDir Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void addListShowExportImportRemove() throws Exception {
        String dir = tmp.resolve("p").toString();
        CliRun add =
                run(
                        "profile",
                        "add",
                        "Bar Game",
                        "--dir",
                        dir,
                        "--exe",
                        "bargame",
                        "--exe",
                        "Bar.exe",
                        "--steam-app-id",
                        "730",
                        "--scheduler",
                        "on",
                        "--boost-window-us",
                        "5000");
        assertThat(add.status()).as(add.err()).isZero();
        assertThat(add.out()).contains("created ", "bar-game.toml");

        CliRun list = run("profile", "list", "--dir", dir);
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("Bar Game", "exe bargame,Bar.exe; steam 730; scheduler on");

        CliRun show = run("profile", "show", "bar game", "--dir", dir);
        assertThat(show.out()).contains("boost_window_us = 5000", "steam_app_id = 730");

        Path exported = tmp.resolve("out.toml");
        assertThat(run("profile", "export", "Bar Game", exported.toString(), "--dir", dir).status())
                .isZero();
        assertThat(Files.readString(exported))
                .isEqualTo(Files.readString(Path.of(dir, "bar-game.toml")));

        assertThat(run("profile", "remove", "Bar Game", "--dir", dir).status()).isZero();
        assertThat(run("profile", "list", "--dir", dir).out()).contains("no profiles in");
        assertThat(run("profile", "import", exported.toString(), "--dir", dir).status()).isZero();
        assertThat(run("profile", "list", "--dir", dir).out()).contains("Bar Game");
    }

    /** Issue 11 item 10: a --dir that is a regular file listed as "no profiles", rc 0. */
    @Test
    void aProfileDirThatIsAFileIsAnErrorNamingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        CliRun list = run("profile", "list", "--dir", file.toString());
        assertThat(list.status()).as(list.out() + list.err()).isEqualTo(1);
        assertThat(list.out()).doesNotContain("no profiles");
        assertThat(list.err())
                .contains("profile directory " + file + " is not a directory (a regular file)");
    }

    /**
     * Issue 11 item 10: a profile's name with an ESC reached the terminal as an escape sequence (in
     * the error that quotes it). Control characters from files (a name, an exe, a file name) are
     * printed escaped: {@code \x1b}, {@code \u009b}.
     */
    @Test
    void controlCharactersFromFilesAreEscaped() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("p"));
        // An OSC that retitles the terminal, a bell, a carriage return that would hide what
        // precedes
        // it, a C1 CSI; written as TOML escapes, so the parser hands them over as characters.
        Files.writeString(
                dir.resolve("evil.toml"),
                "name = \"Evil\"\n[match]\nexe = [\"evil\\u001b]0;pwned\\u0007\\rx\\u009b2J\"]\n");
        Files.writeString(dir.resolve("esc.toml"), "name = \"Esc\\u001b[2JGame\"\n");
        Files.write(
                dir.resolve("broken\u001b[2J.toml"), "name = 5\n".getBytes(StandardCharsets.UTF_8));

        CliRun list = run("profile", "list", "--dir", dir.toString());
        assertThat(list.out())
                .contains(
                        "exe evil\\x1b]0;pwned\\x07\\x0dx\\u009b2J",
                        "(was \"Esc\\x1b[2JGame\")",
                        "BROKEN profile broken\\x1b[2J.toml")
                .doesNotContain("\u001b", "\u0007", "\r", "\u009b");
        CliRun missing = run("profile", "show", "Gone\u001b[2J", "--dir", dir.toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err())
                .contains("no profile named \"Gone\\x1b[2J\"")
                .doesNotContain("\u001b");
    }

    @Test
    void badValuesAndBrokenFilesAreReportedWithTheFix() throws Exception {
        String dir = tmp.resolve("p").toString();
        CliRun bad = run("profile", "add", "X", "--dir", dir, "--game-slice-us", "5");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err())
                .contains("--game-slice-us: game_slice_us must be 100..100000 \u00b5s (was 5)");
        CliRun badExe = run("profile", "add", "X", "--dir", dir, "--exe", "/usr/bin/x");
        assertThat(badExe.err())
                .contains(
                        "profile \"X\" not saved: match.exe entries must be file names without a directory");

        Files.createDirectories(Path.of(dir));
        byte[] broken =
                "name = \"B\"\n[scheduler]\nboost_window_us = -5\n"
                        .getBytes(StandardCharsets.UTF_8);
        Files.write(Path.of(dir, "b.toml"), broken);
        CliRun list = run("profile", "list", "--dir", dir);
        assertThat(list.status()).isEqualTo(2);
        assertThat(list.out())
                .contains(
                        "BROKEN profile b.toml line 3: scheduler.boost_window_us must be 0..1000000 \u00b5s (was -5)");
        assertThat(Files.readAllBytes(Path.of(dir, "b.toml"))).isEqualTo(broken);
    }
}
