package org.gamercompanion.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.snapshot.RingStats;
import org.gamercompanion.snapshot.Sampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlogRoundTripTest {
    @Test
    void everyRingAndKindSurvivesWriteAndRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.hlog");
        LatencyRecorders rec = new LatencyRecorders(16);
        Histogram[][] expected = new Histogram[Kind.COUNT][16];
        for (Kind k : Kind.values()) {
            for (int r = 0; r < 16; r++) {
                expected[k.wireId()][r] = LatencyRecorders.newHistogram();
            }
        }
        Random rnd = new Random(7);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("input_hook", "unavailable: fentry refused (EPERM)");
        try (HlogWriter w = HlogWriter.create(file, meta)) {
            Sampler sampler = new Sampler(rec, RingStats.NONE, w);
            for (int interval = 0; interval < 4; interval++) {
                for (int i = 0; i < 2000; i++) {
                    Kind k = Kind.values()[rnd.nextInt(3)];
                    int ring = rnd.nextInt(16);
                    long v = 1 + (long) (Math.exp(rnd.nextDouble() * 16));
                    rec.record(ring, k.wireId(), v);
                    expected[k.wireId()][ring].recordValue(v);
                }
                sampler.sample();
            }
            w.statement("end", Map.of("ring_lost", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"));
        }
        Recording back = Recording.read(file, 16, false);
        for (Kind k : Kind.values()) {
            for (int r = 0; r < 16; r++) {
                assertThat(back.histogram(k, r))
                        .as("%s ring %d", k, r)
                        .isEqualTo(expected[k.wireId()][r]);
            }
        }
        assertThat(back.context().context())
                .containsEntry("input_hook", "unavailable: fentry refused (EPERM)");
        assertThat(back.context().end())
                .containsEntry("ring_lost", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15");
        assertThat(back.foreignIntervals()).isZero();
    }

    @Test
    void hdrHistogramsOwnReaderSeesOurTags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tags.hlog");
        LatencyRecorders rec = new LatencyRecorders(16);
        try (HlogWriter w = HlogWriter.create(file, Map.of())) {
            rec.record(3, Kind.INPUT_TO_RUN.wireId(), 1234);
            new Sampler(rec, RingStats.NONE, w).sample();
        }
        HistogramLogReader r = new HistogramLogReader(file.toFile());
        var h = r.nextIntervalHistogram();
        assertThat(h.getTag()).isEqualTo("input_to_run.ring03");
        assertThat(r.nextIntervalHistogram()).isNull();
        r.close();
    }

    @Test
    void noHalfFileIsLeftUnderTheFinalName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("partial.hlog");
        HlogWriter w = HlogWriter.create(file, Map.of());
        assertThat(file).doesNotExist();
        w.close();
        assertThat(file).exists();
        try (var list = Files.list(dir)) {
            assertThat(list).containsExactly(file);
        }
    }

    @Test
    void aMissingFileIsReportedByName(@TempDir Path dir) {
        assertThatThrownBy(() -> Recording.read(dir.resolve("nope.hlog"), 16, false))
                .hasMessageContaining("nope.hlog");
    }

    @Test
    void tagsOfOtherToolsAreCountedNotMisread() {
        assertThat(Recording.parseTag("input_to_run.ring15", 16))
                .isEqualTo(new Recording.Target(Kind.INPUT_TO_RUN, 15));
        assertThat(Recording.parseTag("input_to_run.ring16", 16)).isNull();
        assertThat(Recording.parseTag("latency", 16)).isNull();
        assertThat(Recording.parseTag(null, 16)).isNull();
    }
}
