package org.gamercompanion.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.recording.Fixtures;
import org.gamercompanion.recording.HlogWriter;
import org.gamercompanion.recording.RecordingException;
import org.gamercompanion.snapshot.RingStats;
import org.gamercompanion.snapshot.Sampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 item 2: the verdict, its numbers and its refusals, on the committed real recordings. */
class ComparerTest {
    @TempDir Path tmp;

    private static Histogram merged(Path file, Kind kind) throws Exception {
        return Fixtures.merged(file, kind);
    }

    @Test
    void fourHogsRaiseP99AndTheVerdictSaysSoWithItsInterval() throws Exception {
        Comparison c = Comparer.compare(Fixtures.QUIET, Fixtures.HOGS, Comparer.Options.all());
        Comparison.KindResult in = c.kind(Kind.INPUT_TO_RUN);
        Comparison.Ratio p99 = in.ratio("p99");
        assertThat(p99.hasInterval()).isTrue();
        assertThat(p99.ciLow()).isGreaterThan(1);
        assertThat(p99.ciLow()).isLessThanOrEqualTo(p99.ratio());
        assertThat(p99.ciHigh()).isGreaterThanOrEqualTo(p99.ratio());
        assertThat(c.headline()).isEqualTo(Kind.INPUT_TO_RUN);
        assertThat(c.verdict())
                .startsWith("B raises p99 input->run to ")
                .contains(
                        String.format(
                                Locale.US, "%,d vs %,d samples", in.a().count(), in.b().count()));
        assertThat(in.ratio("p99.9").unavailable())
                .startsWith("Too few samples for p99.9 input->run")
                .contains("needs 10,000 in each")
                .contains("more for A");
        assertThat(c.a().scheduler()).isEqualTo("default (EEVDF)");
    }

    @Test
    void pointEstimatesAreWhatHdrHistogramsOwnReaderGives() throws Exception {
        Comparison c = Comparer.compare(Fixtures.QUIET, Fixtures.HOGS, Comparer.Options.all());
        for (Kind k : Kind.values()) {
            Histogram a = merged(Fixtures.QUIET, k);
            Histogram b = merged(Fixtures.HOGS, k);
            Comparison.KindResult r = c.kind(k);
            assertThat(r.a().count()).isEqualTo(a.getTotalCount());
            assertThat(r.b().percentileNs("p99")).isEqualTo(b.getValueAtPercentile(99));
            assertThat(r.a().percentileNs("p50")).isEqualTo(a.getValueAtPercentile(50));
            assertThat(r.a().maxNs()).isEqualTo(a.getMaxValue());
            if (!Double.isNaN(r.ratio("p99").ratio())) {
                assertThat(r.ratio("p99").ratio())
                        .isEqualTo(
                                (double) b.getValueAtPercentile(99) / a.getValueAtPercentile(99));
            }
        }
    }

    @Test
    void theSameFilesGiveTheSameNumbersWithOrWithoutKind() throws Exception {
        Comparison all = Comparer.compare(Fixtures.QUIET, Fixtures.HOGS, Comparer.Options.all());
        Comparison again = Comparer.compare(Fixtures.QUIET, Fixtures.HOGS, Comparer.Options.all());
        Comparison one =
                Comparer.compare(
                        Fixtures.QUIET,
                        Fixtures.HOGS,
                        Comparer.Options.all().kind(Kind.WAKEUP_TO_RUN));
        assertThat(ComparisonJson.text(again)).isEqualTo(ComparisonJson.text(all));
        assertThat(one.kinds()).hasSize(1);
        assertThat(one.kind(Kind.WAKEUP_TO_RUN).ratios())
                .isEqualTo(all.kind(Kind.WAKEUP_TO_RUN).ratios());
        assertThat(one.verdict()).isEqualTo(all.kind(Kind.WAKEUP_TO_RUN).verdict());
    }

    @Test
    void aRecordingAgainstItselfIsNoClearDifference() throws Exception {
        Comparison c = Comparer.compare(Fixtures.HOGS, Fixtures.HOGS, Comparer.Options.all());
        Comparison.Ratio p99 = c.kind(Kind.WAKEUP_TO_RUN).ratio("p99");
        assertThat(p99.ratio()).isEqualTo(1.0);
        assertThat(p99.ciLow()).isLessThan(1);
        assertThat(p99.ciHigh()).isGreaterThan(1);
        assertThat(c.verdict())
                .startsWith("No clear difference in p99 input->run: B is 1.00x of A");
    }

    @Test
    void exportsParse() throws Exception {
        Comparison c = Comparer.compare(Fixtures.QUIET, Fixtures.HOGS, Comparer.Options.all());
        var json = new ObjectMapper().readTree(ComparisonJson.text(c));
        assertThat(json.get("verdict").asText()).isEqualTo(c.verdict());
        assertThat(json.at("/kinds/input_to_run/ratios/p99/ci_low").asDouble()).isGreaterThan(1);
        assertThat(json.at("/a/context/writer").asText()).isEqualTo("record");
        String csv = ComparisonCsv.of(c);
        String[] rows = csv.split("\r\n");
        assertThat(rows[0]).isEqualTo(ComparisonCsv.HEADER);
        assertThat(rows).hasSize(1 + 3 * 9);
        assertThat(rows).allMatch(r -> r.split(",", -1).length >= 8);
    }

    // ---- bad input: every refusal names the file and the reason

    private Path write(String name, String kinds, Kind kind, int ticks) throws Exception {
        Path f = tmp.resolve(name);
        LatencyRecorders rec = new LatencyRecorders(16);
        Random rnd = new Random(name.hashCode());
        try (HlogWriter w =
                HlogWriter.create(f, kinds == null ? Map.of() : Map.of("kinds", kinds))) {
            Sampler s = new Sampler(rec, RingStats.NONE, w);
            for (int t = 0; t < ticks; t++) {
                for (int i = 0; i < 50; i++) {
                    rec.record(rnd.nextInt(2), kind.wireId(), 1000 + rnd.nextInt(100_000));
                }
                s.sample();
            }
        }
        return f;
    }

    @Test
    void twoFilesWithNoKindInCommonAreRefusedNamingBoth() throws Exception {
        Path a = write("a.hlog", "input_to_run", Kind.INPUT_TO_RUN, 3);
        Path b = write("b.hlog", "wakeup_to_run", Kind.WAKEUP_TO_RUN, 3);
        assertThatThrownBy(() -> Comparer.compare(a, b, Comparer.Options.all()))
                .isInstanceOf(CompareException.class)
                .hasMessage(
                        "no kind is recorded in both "
                                + a
                                + " (input_to_run) and "
                                + b
                                + " (wakeup_to_run): nothing to compare");
    }

    @Test
    void aKindTheFileDoesNotRecordIsRefused() throws Exception {
        Path a = write("a.hlog", "input_to_run", Kind.INPUT_TO_RUN, 3);
        assertThatThrownBy(
                        () ->
                                Comparer.compare(
                                        a,
                                        Fixtures.HOGS,
                                        Comparer.Options.all().kind(Kind.PREEMPT_TO_RUN)))
                .isInstanceOf(RecordingException.class)
                .hasMessage(a + ": does not record preempt_to_run (it records input_to_run)");
    }

    @Test
    void emptyTruncatedAndForeignFilesAreRefusedByName() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.hlog"));
        assertThatThrownBy(() -> Comparer.compare(Fixtures.QUIET, empty, Comparer.Options.all()))
                .isInstanceOf(RecordingException.class)
                .hasMessageStartingWith(empty + ": the file is empty");
        byte[] all = Files.readAllBytes(Fixtures.HOGS);
        Path cut = Files.write(tmp.resolve("cut.hlog"), Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> Comparer.compare(cut, Fixtures.QUIET, Comparer.Options.all()))
                .isInstanceOf(RecordingException.class)
                .hasMessageStartingWith(cut + " line ");
        Path text = Files.writeString(tmp.resolve("readme.hlog"), "hello\n");
        assertThatThrownBy(() -> Comparer.compare(text, Fixtures.QUIET, Comparer.Options.all()))
                .isInstanceOf(RecordingException.class)
                .hasMessageContaining(text + " line 1: not an HdrHistogram log");
        Path foreign = tmp.resolve("other-tool.hlog");
        Histogram h = new Histogram(1, 60_000_000_000L, 3);
        h.recordValue(1234);
        h.setTag("latency");
        try (var ps = new PrintStream(Files.newOutputStream(foreign))) {
            org.HdrHistogram.HistogramLogWriter w = new org.HdrHistogram.HistogramLogWriter(ps);
            w.outputLogFormatVersion();
            w.outputIntervalHistogram(h);
        }
        assertThatThrownBy(() -> Comparer.compare(Fixtures.QUIET, foreign, Comparer.Options.all()))
                .isInstanceOf(RecordingException.class)
                .hasMessage(
                        foreign
                                + ": holds no histograms of Gamer Companion (1 intervals tagged by another tool)");
    }

    @Test
    void tooShortRecordingsGetNoIntervalAndSaySo() throws Exception {
        Path a = write("a.hlog", null, Kind.WAKEUP_TO_RUN, 4);
        Path b = write("b.hlog", null, Kind.WAKEUP_TO_RUN, 4);
        Comparison c = Comparer.compare(a, b, Comparer.Options.all().kind(Kind.WAKEUP_TO_RUN));
        assertThat(c.kind(Kind.WAKEUP_TO_RUN).ratio("p50").unavailable())
                .startsWith("Too short for a confidence interval");
        assertThat(c.verdict())
                .startsWith("Too few samples for p99 wakeup->run")
                .contains("800 more for A");
    }
}
