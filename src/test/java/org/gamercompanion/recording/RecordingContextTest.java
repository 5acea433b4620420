package org.gamercompanion.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.HistogramLogReader;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.snapshot.RingStats;
import org.gamercompanion.snapshot.Sampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 1: a recording states what it measured, machine-readably, and stays an interval
 * log.
 */
class RecordingContextTest {
    @TempDir Path tmp;

    private static RecordingContext read(Path f) throws Exception {
        return Recording.read(f, 16, false).context();
    }

    @Test
    void valuesComeBackExactlyWhateverTheyHold() throws Exception {
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("cpu_model", "AMD Ryzen 7 7800X3D 8-Core Processor");
        ctx.put("odd", "a=b %41 100% \t tab\u00e9\u2192 [x] end ");
        ctx.put("empty", "");
        Path f = tmp.resolve("ctx.hlog");
        try (HlogWriter w = HlogWriter.create(f, ctx)) {
            w.statement("end", Map.of("agent_died", "the agent died (signal 9)"));
        }
        RecordingContext c = read(f);
        assertThat(c.format()).isEqualTo(2);
        assertThat(c.context())
                .containsEntry("cpu_model", ctx.get("cpu_model"))
                .containsEntry("odd", ctx.get("odd"))
                .containsEntry("empty", "")
                .containsKey("started");
        assertThat(c.end()).containsEntry("agent_died", "the agent died (signal 9)");
        for (String line : Files.readAllLines(f)) {
            if (line.startsWith("#gamer-companion")) {
                assertThat(line.split(" "))
                        .allMatch(t -> t.startsWith("#gamer") || t.matches("[a-z0-9_]+=[^ =]*"));
            }
        }
    }

    /**
     * A scheduler that changes between two samples is stated before the first interval that ended
     * under it.
     */
    @Test
    void aSchedulerChangeMidRecordingIsMarkedAtItsInterval() throws Exception {
        AtomicReference<KernelStatus> kernel =
                new AtomicReference<>(new KernelStatus(true, "disabled", "", "6.12.0"));
        Path f = tmp.resolve("switch.hlog");
        LatencyRecorders rec = new LatencyRecorders(16);
        try (HlogWriter w = HlogWriter.create(f, Map.of("kernel", "6.12.0"), kernel::get)) {
            Sampler sampler = new Sampler(rec, RingStats.NONE, w);
            for (int tick = 0; tick < 4; tick++) {
                if (tick == 2) {
                    kernel.set(new KernelStatus(true, "enabled", "scx_lavd", "6.12.0"));
                }
                rec.record(0, Kind.WAKEUP_TO_RUN.wireId(), 1000 + tick);
                sampler.sample();
            }
        }
        RecordingContext c = read(f);
        assertThat(c.scheduler())
                .extracting(RecordingContext.Sched::label)
                .containsExactly("default (EEVDF)", "scx_lavd");
        assertThat(c.schedulerChanged()).isTrue();
        assertThat(c.schedulerLabel()).startsWith("default (EEVDF), then scx_lavd at ");
        List<String> lines = Files.readAllLines(f);
        int change = indexOf(lines, "record=sched", 1);
        int intervalsBefore =
                (int) lines.subList(0, change).stream().filter(l -> l.startsWith("Tag=")).count();
        assertThat(intervalsBefore)
                .as("two intervals ended under the default scheduler")
                .isEqualTo(2);
        HistogramLogReader r = new HistogramLogReader(f.toFile());
        int n = 0;
        while (r.nextIntervalHistogram() != null) {
            n++;
        }
        r.close();
        assertThat(n).as("HdrHistogram's reader still reads every interval").isEqualTo(4);
    }

    @Test
    void cfsBeforeSixSixEevdfFromIt() {
        assertThat(KernelStatus.schedulerLabel("disabled", "", "6.5.13"))
                .isEqualTo("default (CFS)");
        assertThat(KernelStatus.schedulerLabel("absent", "", "6.6.0-rc1"))
                .isEqualTo("default (EEVDF)");
        assertThat(KernelStatus.schedulerLabel("enabled", "gamer", "7.2.13")).isEqualTo("gamer");
        assertThat(KernelStatus.schedulerLabel("enabling", "scx_lavd", "7.2.13"))
                .isEqualTo("enabling scx_lavd");
    }

    /**
     * Format 1 (what the VM and older builds wrote) still reads: context, scheduler, rounds, end.
     */
    @Test
    void formatOneStillReads() {
        RecordingContext.Reader r = new RecordingContext.Reader();
        r.accept(
                2,
                "gamer-companion version=1 kernel=7.2.13+deb14-amd64 input_hook=attached:_fentry sched_state=enabled"
                        + " sched_ops=gamer ab_arm=B");
        r.accept(
                5,
                "gamer-companion ab_round=2 ab_arm=B sched_state=enabled sched_ops=gamer at_ms=1");
        r.accept(90, "gamer-companion duration_s=30.5 lost_total=0");
        RecordingContext c = r.result();
        assertThat(c.format()).isEqualTo(1);
        assertThat(c.context())
                .containsEntry("kernel", "7.2.13+deb14-amd64")
                .containsEntry("ab_arm", "B");
        assertThat(c.schedulerLabel()).isEqualTo("gamer");
        assertThat(c.rounds()).hasSize(1);
        assertThat(c.end()).containsEntry("duration_s", "30.5");
        assertThat(c.lineOf("duration_s")).isEqualTo(90);
        assertThat(c.kinds()).containsExactly(Kind.values());
    }

    private static int indexOf(List<String> lines, String needle, int skip) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle) && seen++ == skip) {
                return i;
            }
        }
        throw new AssertionError(needle + " #" + skip + " not found");
    }
}
