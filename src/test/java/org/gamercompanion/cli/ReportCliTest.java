package org.gamercompanion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gamercompanion.recording.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} and {@code compare} as a player meets them (issue 10 item 1, issue 11 item 4): the
 * context first, and every bad file an error that names the file, line and field, rc 1, no stack
 * trace.
 */
class ReportCliTest {
    @TempDir Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A copy of the quiet fixture with one line of its header replaced. */
    private Path withLine(String startsWith, String replacement) throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.QUIET, StandardCharsets.ISO_8859_1);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(startsWith)) {
                lines.set(
                        i,
                        replacement.isEmpty()
                                ? lines.get(i)
                                : lines.get(i)
                                        .replaceAll(
                                                replacement.split("->")[0],
                                                replacement.split("->")[1]));
                found = true;
            }
        }
        assertThat(found).as(startsWith).isTrue();
        return Files.write(tmp.resolve("edited.hlog"), lines, StandardCharsets.ISO_8859_1);
    }

    private static int lineOf(Path f, String startsWith) throws Exception {
        List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(startsWith)) {
                return i + 1;
            }
        }
        throw new AssertionError(startsWith);
    }

    @Test
    void theReportStartsWithWhatTheRecordingMeasured() {
        CliRun r = run("report", Fixtures.QUIET.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .contains("written by record at ")
                .contains("  machine: kernel ")
                .contains("  scheduler: default (EEVDF)")
                .contains("  game: gamer-selftest (pid ")
                .contains("input_to_run");
        CliRun j = run("report", Fixtures.QUIET.toString(), "--json");
        assertThat(j.out())
                .contains("\"recording\"")
                .contains("\"scheduler_label\" : \"default (EEVDF)\"");
    }

    /** The header that made report run 60 s into an OutOfMemoryError. */
    @Test
    void anImpossibleCpuListIsAnErrorNamingFileLineAndField() throws Exception {
        Path f = withLine("#gamer-companion record=context", "cpus=0,1->cpus=0-2147483647");
        CliRun r = run("report", f.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo(
                        "gamer-companion: "
                                + f
                                + " line "
                                + lineOf(f, "#gamer-companion record=context")
                                + ": field cpus: CPU 2147483647 is out of range (0..8191)\n");
    }

    @Test
    void aBadCountIsAnErrorNamingItsField() throws Exception {
        Path f = withLine("#gamer-companion record=end", "ring_lost=0,->ring_lost=abc,");
        CliRun r = run("report", f.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err())
                .contains(
                        f
                                + " line "
                                + lineOf(f, "#gamer-companion record=end")
                                + ": field ring_lost: ring 0: 'abc' is not a count")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void emptyAndForeignFilesAreErrorsNotEmptyReports() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.hlog"));
        CliRun r = run("report", empty.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("gamer-companion: " + empty + ": the file is empty: not a recording\n");
        Path junk =
                Files.write(
                        tmp.resolve("junk.bin"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, '\n'});
        CliRun j = run("report", junk.toString());
        assertThat(j.status()).isEqualTo(1);
        assertThat(j.err())
                .startsWith("gamer-companion: " + junk + " line 1: not an HdrHistogram log");
    }

    @Test
    void salvageSkipsACorruptLineAndSaysSo() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.QUIET, StandardCharsets.ISO_8859_1);
        int at = lineOf(Fixtures.QUIET, "Tag=") - 1;
        lines.set(at, lines.get(at).substring(0, lines.get(at).length() - 8));
        Path f = Files.write(tmp.resolve("cut-line.hlog"), lines, StandardCharsets.ISO_8859_1);
        CliRun strict = run("report", f.toString());
        assertThat(strict.status()).isEqualTo(1);
        assertThat(strict.err())
                .contains(f + " line " + (at + 1) + ": ")
                .contains("report --salvage skips such lines");
        CliRun salvaged = run("report", f.toString(), "--salvage");
        assertThat(salvaged.status()).isZero();
        assertThat(salvaged.out())
                .contains("1 corrupt lines skipped, the first at line " + (at + 1));
    }

    @Test
    void compareTextAndJsonAgree() throws Exception {
        CliRun t = run("compare", Fixtures.QUIET.toString(), Fixtures.HOGS.toString());
        assertThat(t.status()).isZero();
        String verdict =
                t.out()
                        .lines()
                        .filter(l -> l.startsWith("verdict: "))
                        .findFirst()
                        .orElseThrow()
                        .substring(9);
        CliRun j = run("compare", Fixtures.QUIET.toString(), Fixtures.HOGS.toString(), "--json");
        var json = new ObjectMapper().readTree(j.out());
        assertThat(json.get("verdict").asText()).isEqualTo(verdict);
        CliRun bad =
                run("compare", Fixtures.QUIET.toString(), tmp.resolve("missing.hlog").toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err())
                .isEqualTo("gamer-companion: " + tmp.resolve("missing.hlog") + ": no such file\n");
    }
}
