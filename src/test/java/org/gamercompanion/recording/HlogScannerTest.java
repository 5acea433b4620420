package org.gamercompanion.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.gamercompanion.recorder.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming reader against HdrHistogram's own reader on real recordings, and against broken
 * files (issue 11 item 4): every problem is a {@link RecordingException} that names the file and,
 * for a line, the line; nothing else escapes, and memory never depends on the file's size.
 */
class HlogScannerTest {
    @TempDir Path tmp;

    static List<Path> fixtures() {
        return Fixtures.all();
    }

    /** HdrHistogram's reader's sums per tag. */
    private static Map<String, Histogram> byTag(Path file) throws Exception {
        Map<String, Histogram> out = new HashMap<>();
        HistogramLogReader r = new HistogramLogReader(file.toFile());
        EncodableHistogram eh;
        while ((eh = r.nextIntervalHistogram()) != null) {
            out.computeIfAbsent(eh.getTag(), t -> new Histogram(1, 60_000_000_000L, 3))
                    .add((Histogram) eh);
        }
        r.close();
        return out;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aRealRecordingReadsAsHdrHistogramReadsIt(Path fixture) throws Exception {
        Map<String, Histogram> expected = byTag(fixture);
        Recording rec = Recording.read(fixture, 16, false);
        assertThat(expected).isNotEmpty();
        for (Kind k : Kind.values()) {
            for (int ring = 0; ring < 16; ring++) {
                Histogram want =
                        expected.getOrDefault(
                                HlogWriter.tag(k, ring), new Histogram(1, 60_000_000_000L, 3));
                assertThat(rec.histogram(k, ring)).as("%s ring %d", k, ring).isEqualTo(want);
            }
        }
        assertThat(rec.context().format()).isEqualTo(RecordingContext.FORMAT);
    }

    /**
     * Issue 11 item 7: HdrHistogram's log processor, with its default range, sees every sample of
     * ours.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void hdrHistogramsLogProcessorCountsEverySample(Path fixture) throws Exception {
        Recording rec = Recording.read(fixture, 16, false);
        for (String tag : byTag(fixture).keySet()) {
            Path out = tmp.resolve(tag.replace('.', '_'));
            new HistogramLogProcessor(
                            new String[] {
                                "-i", fixture.toString(), "-tag", tag, "-o", out.toString()
                            })
                    .run();
            String hgrm = Files.readString(Path.of(out + ".hgrm"));
            long total =
                    Long.parseLong(hgrm.replaceAll("(?s).*Total count\\s*=\\s*(\\d+).*", "$1"));
            Recording.Target t = Recording.parseTag(tag, 16);
            assertThat(total).as(tag).isEqualTo(rec.histogram(t.kind(), t.ring()).getTotalCount());
        }
    }

    @Test
    void anEmptyFileIsAnErrorThatNamesIt() throws Exception {
        Path f = Files.createFile(tmp.resolve("empty.hlog"));
        assertThatThrownBy(() -> Recording.read(f, 16, false))
                .isInstanceOf(RecordingException.class)
                .hasMessage(f + ": the file is empty: not a recording");
    }

    @Test
    void randomBytesAreNotARecording() throws Exception {
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        Path f = Files.write(tmp.resolve("junk.hlog"), junk);
        assertThatThrownBy(() -> Recording.read(f, 16, false))
                .isInstanceOf(RecordingException.class)
                .hasMessageStartingWith(f + " line ")
                .hasMessageContaining("not an HdrHistogram log");
    }

    @Test
    void aTextFileIsNotARecording() throws Exception {
        Path f = Files.writeString(tmp.resolve("notes.hlog"), "# my notes\nnothing here\n");
        assertThatThrownBy(() -> Recording.read(f, 16, false))
                .isInstanceOf(RecordingException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("not an HdrHistogram log");
    }

    /**
     * One flipped bit in one histogram: an error on that line, or with salvage that line skipped
     * and counted.
     */
    @Test
    void aCorruptIntervalNamesItsLineOrIsSkippedAndCounted() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.HOGS, StandardCharsets.ISO_8859_1);
        int target = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Tag=wakeup_to_run")) {
                target = i;
                break;
            }
        }
        String line = lines.get(target);
        int at = line.length() - 20;
        char c = line.charAt(at);
        lines.set(target, line.substring(0, at) + (c == 'A' ? 'B' : 'A') + line.substring(at + 1));
        Path f = Files.write(tmp.resolve("flipped.hlog"), lines, StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Recording.read(f, 16, false))
                .isInstanceOf(RecordingException.class)
                .hasMessageStartingWith(f + " line " + (target + 1) + ": the histogram");
        Recording salvaged = Recording.read(f, 16, true);
        assertThat(salvaged.skippedLines()).isEqualTo(1);
        assertThat(salvaged.firstSkipped()).startsWith("line " + (target + 1) + ":");
        assertThat(salvaged.intervals())
                .isEqualTo(Recording.read(Fixtures.HOGS, 16, false).intervals() - 1);
    }

    @Test
    void aTruncatedRecordingNamesItsLastLine() throws Exception {
        byte[] all = Files.readAllBytes(Fixtures.QUIET);
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int cut = text.lastIndexOf("\nTag=") + 40;
        Path f = Files.write(tmp.resolve("cut.hlog"), Arrays.copyOf(all, cut));
        long lines = text.substring(0, cut).chars().filter(ch -> ch == '\n').count() + 1;
        assertThatThrownBy(() -> Recording.read(f, 16, false))
                .isInstanceOf(RecordingException.class)
                .hasMessageStartingWith(f + " line " + lines + ":");
    }

    @Test
    void aHugeLineIsRefusedWithoutReadingItIntoMemory() throws Exception {
        Path f = tmp.resolve("long.hlog");
        try (var out = Files.newOutputStream(f)) {
            out.write(
                    "#[Histogram log format version 1.3]\nTag=input_to_run.ring00,0.0,1.0,1.0,"
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 16];
            Arrays.fill(chunk, (byte) 'A');
            for (int i = 0; i < 40; i++) {
                out.write(chunk);
            }
        }
        assertThatThrownBy(() -> Recording.read(f, 16, false))
                .isInstanceOf(RecordingException.class)
                .hasMessage(f + " line 2: a line longer than 1 MiB: not an HdrHistogram log");
    }

    /**
     * Mutated real recordings (seeded: bytes flipped, lines cut, duplicated and dropped, 400
     * variants): each reads, or fails with a RecordingException; nothing else ever escapes.
     */
    @Test
    void mutatedRealRecordingsReadOrFailCleanly() throws Exception {
        Random rnd = new Random(2026);
        int failed = 0;
        for (int n = 0; n < 400; n++) {
            byte[] b = Files.readAllBytes(Fixtures.all().get(n % 2));
            switch (n % 4) {
                case 0 -> {
                    for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
                case 2 -> {
                    int from = rnd.nextInt(b.length);
                    int len = rnd.nextInt(Math.min(2000, b.length - from));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, from + len);
                    System.arraycopy(b, from, out, from + len, b.length - from);
                    b = out;
                }
                default -> {
                    int from = rnd.nextInt(b.length);
                    int len = rnd.nextInt(Math.min(2000, b.length - from));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, from);
                    System.arraycopy(b, from + len, out, from, b.length - from - len);
                    b = out;
                }
            }
            Path f = Files.write(tmp.resolve("m" + n + ".hlog"), b);
            try {
                Recording.read(f, 16, n % 8 < 4);
            } catch (RecordingException e) {
                assertThat(e.getMessage()).startsWith(f.toString());
                failed++;
            }
            Files.delete(f);
        }
        assertThat(failed).as("some mutations must be caught").isPositive();
    }
}
