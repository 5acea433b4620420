package org.gamercompanion.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix of issue 4: every broken file is listed with a message naming file, line and
 * field; the good profiles next to it still load; the broken file's bytes are unchanged after
 * listing and after an attempted save over it.
 */
class ProfileStoreTest {
    static final String GOOD =
            """
            name = "Bar Game"
            [match]
            exe = ["bargame"]
            steam_app_id = 730
            [scheduler]
            enabled = true
            boost_window_us = 5000
            """;

    @TempDir Path dir;

    ProfileStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = ProfileStore.open(dir);
        Files.writeString(dir.resolve("a-good.toml"), GOOD);
    }

    static Stream<Arguments> badFiles() {
        byte[] invalidUtf8 =
                "name = \"x\"\n[match]\nexe = [\"caf\u00e9\"]\n".getBytes(StandardCharsets.UTF_8);
        int at = new String(invalidUtf8, StandardCharsets.ISO_8859_1).indexOf('\u00c3');
        invalidUtf8[at] = (byte) 0xff;
        return Stream.of(
                Arguments.of(
                        "malformed TOML",
                        "name = \"X\"\n[scheduler\nenabled = true\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of("malformed.toml line 2:", "TOML syntax")),
                Arguments.of(
                        "unterminated string",
                        "name = \"X\n".getBytes(StandardCharsets.UTF_8),
                        List.of("malformed.toml line 1:")),
                Arguments.of(
                        "wrong type: number as string",
                        "name = \"X\"\n[scheduler]\n\nboost_window_us = \"5000\"\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of(
                                "malformed.toml line 4: scheduler.boost_window_us must be a whole number, 0..1000000 µs",
                                "(was the string \"5000\")")),
                Arguments.of(
                        "wrong type: bool",
                        "name = \"X\"\n[scheduler]\nenabled = 1\n".getBytes(StandardCharsets.UTF_8),
                        List.of("line 3: scheduler.enabled must be true or false (was long 1)")),
                Arguments.of(
                        "wrong type: table",
                        "name = \"X\"\nmatch = 3\n".getBytes(StandardCharsets.UTF_8),
                        List.of("line 2: match must be a table [match]")),
                Arguments.of(
                        "wrong type: exe list",
                        "name = \"X\"\n[match]\nexe = [\"a\", 2]\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of("line 3: match.exe must be a list of strings (entry 2 is long 2)")),
                Arguments.of(
                        "out of range",
                        "name = \"X\"\n[scheduler]\nenabled = true\n\n\n\nboost_window_us = -5\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of(
                                "profile malformed.toml line 7: scheduler.boost_window_us must be 0..1000000 µs (was -5)")),
                Arguments.of(
                        "slice below minimum",
                        "name = \"X\"\n[scheduler]\ngame_slice_us = 99\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of("line 3: scheduler.game_slice_us must be 100..100000 µs (was 99)")),
                Arguments.of(
                        "app id too large",
                        "name = \"X\"\n[match]\nsteam_app_id = 4294967296\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of("line 3: match.steam_app_id must be 0..4294967295")),
                Arguments.of(
                        "bad regex",
                        "name = \"X\"\n[match]\ncmdline_regex = \"(\"\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of("line 3: match.cmdline_regex is not a valid regular expression")),
                Arguments.of(
                        "exe with a directory",
                        "name = \"X\"\n[match]\nexe = [\"/usr/bin/cs2\"]\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of(
                                "line 3: match.exe entries must be file names without a directory")),
                Arguments.of(
                        "unknown kind",
                        "name = \"X\"\n[monitor]\nkinds = [\"fps\"]\n"
                                .getBytes(StandardCharsets.UTF_8),
                        List.of("line 3: monitor.kinds: unknown kind \"fps\"")),
                Arguments.of(
                        "missing name",
                        "[match]\nexe = [\"x\"]\n".getBytes(StandardCharsets.UTF_8),
                        List.of("line 1: name is missing")),
                Arguments.of(
                        "duplicate key",
                        "name = \"X\"\nname = \"Y\"\n".getBytes(StandardCharsets.UTF_8),
                        List.of("malformed.toml line 2:")),
                Arguments.of(
                        "invalid UTF-8",
                        invalidUtf8,
                        List.of(
                                "malformed.toml line 3: not valid UTF-8 (byte 0xff",
                                "save the file as UTF-8")),
                Arguments.of(
                        "huge file",
                        huge(),
                        List.of("malformed.toml: file is ", "over the 1048576-byte limit")));
    }

    private static byte[] huge() {
        StringBuilder b = new StringBuilder("name = \"X\"\n");
        while (b.length() <= ProfileToml.MAX_FILE_BYTES) {
            b.append("# padding padding padding padding padding padding padding padding\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void malformedProfileIsReportedAndKept(String what, byte[] bytes, List<String> expected)
            throws Exception {
        Path bad = dir.resolve("malformed.toml");
        Files.write(bad, bytes);

        ProfileStore.Listing l = store.list();

        assertThat(l.broken()).hasSize(1);
        assertThat(l.broken().get(0).file()).isEqualTo(bad);
        for (String e : expected) {
            assertThat(l.broken().get(0).error()).as(what).contains(e);
        }
        assertThat(l.broken().get(0).error()).startsWith("profile malformed.toml");
        assertThat(l.profiles()).extracting(e -> e.profile().name()).containsExactly("Bar Game");
        assertThat(Files.readAllBytes(bad)).isEqualTo(bytes);
    }

    @Test
    void aBrokenFileIsNeverOverwrittenBySave() throws Exception {
        byte[] bytes =
                "name = \"Other\"\n[scheduler]\nboost_window_us = -5\n"
                        .getBytes(StandardCharsets.UTF_8);
        Path bad = dir.resolve("other.toml");
        Files.write(bad, bytes);

        assertThatThrownBy(() -> store.save(Profile.named("Other"), null))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining(
                        "profile other.toml line 3: scheduler.boost_window_us must be 0..1000000 µs (was -5)")
                .hasMessageContaining("not overwritten");
        assertThat(Files.readAllBytes(bad)).isEqualTo(bytes);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("a-good.toml", "other.toml");
    }

    @Test
    void unknownKeysAreWarnedAboutAndSurviveASave() throws Exception {
        Files.writeString(
                dir.resolve("a-good.toml"),
                """
                name = "Bar Game"
                future_root = "keep me"
                [match]
                exe = ["bargame"]
                launcher = { kind = "lutris", id = 7 }
                [scheduler]
                boost_window_us = 5000
                numa_hint = [1, 2.5, true]
                [overlay]
                corner = "top-left"
                when = 2026-11-27T10:00:00Z
                """);
        ProfileStore.Entry e = store.list().find("bar game").orElseThrow();
        assertThat(e.warnings())
                .anySatisfy(
                        w -> assertThat(w).contains("a-good.toml line 2: unknown key future_root"));
        assertThat(e.warnings())
                .anySatisfy(w -> assertThat(w).contains("line 8: unknown key scheduler.numa_hint"));
        assertThat(e.warnings()).hasSize(4);

        Profile edited =
                e.profile().withScheduler(new Profile.Scheduler(true, 7000, 3000, 9000, false));
        store.save(edited, "Bar Game");

        ProfileStore.Entry again = store.list().find("Bar Game").orElseThrow();
        assertThat(again.file()).isEqualTo(e.file());
        assertThat(again.profile()).isEqualTo(edited);
        assertThat(again.profile().unknown()).isEqualTo(e.profile().unknown());
        String text = Files.readString(e.file());
        assertThat(text)
                .contains(
                        "future_root = \"keep me\"",
                        "numa_hint = [1, 2.5, true]",
                        "[overlay]",
                        "corner = \"top-left\"",
                        "launcher = { kind = \"lutris\", id = 7 }");
    }

    @Test
    void duplicateNamesListTheSecondFileAsBroken() throws Exception {
        byte[] bytes = "name = \"BAR GAME\"\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("b-dup.toml"), bytes);
        ProfileStore.Listing l = store.list();
        assertThat(l.profiles()).hasSize(1);
        assertThat(l.broken())
                .singleElement()
                .satisfies(
                        b ->
                                assertThat(b.error())
                                        .isEqualTo(
                                                "profile b-dup.toml line 1: name \"BAR GAME\" is already used by a-good.toml;"
                                                        + " rename one of them (names are compared ignoring case)"));
        assertThat(Files.readAllBytes(dir.resolve("b-dup.toml"))).isEqualTo(bytes);
        assertThatThrownBy(() -> store.save(Profile.named("bar game"), null))
                .hasMessageContaining("already exists");
    }

    /**
     * Tests run as root, so file permissions cannot make a file unreadable; a directory and a FIFO
     * where a profile file is expected are what stays unreadable for root.
     */
    @Test
    void unreadableFilesAreListedNotFollowed() throws Exception {
        Files.createDirectory(dir.resolve("adir.toml"));
        Path fifo = dir.resolve("fifo.toml");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();

        ProfileStore.Listing l = store.list(); // must not block on the FIFO

        Map<String, String> errors = new HashMap<>();
        l.broken().forEach(b -> errors.put(b.file().getFileName().toString(), b.error()));
        assertThat(errors.get("adir.toml"))
                .isEqualTo(
                        "profile adir.toml: cannot read: it is a directory, not a file; move it out of "
                                + dir);
        assertThat(errors.get("fifo.toml"))
                .startsWith("profile fifo.toml: cannot read: not a regular file");
        assertThat(l.profiles()).hasSize(1);
        assertThat(Files.isDirectory(dir.resolve("adir.toml"))).isTrue();
    }

    @Test
    void saveIsAtomicAndLeavesNoTempFiles() throws Exception {
        Path f =
                store.save(
                        Profile.named("Counter-Strike 2")
                                .withMatch(new Profile.Match(List.of("cs2"), 730, "")),
                        null);
        assertThat(f.getFileName().toString()).isEqualTo("counter-strike-2.toml");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("a-good.toml", "counter-strike-2.toml");
        }
        assertThat(ProfileStore.read(f).profile().match().steamAppId()).isEqualTo(730);
    }

    @Test
    void importKeepsBytesAndExportWritesThemBack(@TempDir Path elsewhere) throws Exception {
        String text = "# my tuning\nname = \"Imported\"\nextra = 1\n[match]\nexe = \"Game.exe\"\n";
        Path src = elsewhere.resolve("in.toml");
        Files.writeString(src, text);
        Path in = store.importFile(src);
        assertThat(Files.readString(in)).isEqualTo(text);
        assertThatThrownBy(() -> store.importFile(src)).hasMessageContaining("already exists");

        Path bad = elsewhere.resolve("bad.toml");
        Files.writeString(bad, "name = 5\n");
        assertThatThrownBy(() -> store.importFile(bad))
                .hasMessage("profile bad.toml line 1: name must be a string (was long 5)");

        Path out = store.exportTo("imported", elsewhere.resolve("out.toml"));
        assertThat(Files.readString(out)).isEqualTo(text);
        store.remove("Imported");
        assertThat(store.list().find("Imported")).isEmpty();
    }

    @Test
    void writeThenParseIsIdentity() throws Exception {
        Profile p =
                new Profile(
                        "Weird \"name\" \\ é",
                        new Profile.Match(List.of("a", "B.exe"), 4_294_967_295L, "--level=\\d+"),
                        new Profile.Scheduler(true, 0, 100, 100_000, false),
                        new Profile.Monitor(List.of("input_to_run"), true),
                        Map.of("x y", "z", "match", Map.of("n", 1L)));
        ProfileToml.Parsed back =
                ProfileToml.parse("t.toml", ProfileToml.write(p).getBytes(StandardCharsets.UTF_8));
        assertThat(back.profile()).isEqualTo(p);
    }
}
