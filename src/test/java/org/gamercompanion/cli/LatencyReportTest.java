package org.gamercompanion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.junit.jupiter.api.Test;

class LatencyReportTest {
    private static LatencyReport report(Histogram[][] hs, long[] lost) {
        long lostTotal = 0;
        for (long l : lost) {
            lostTotal += l;
        }
        return new LatencyReport(
                new LatencyReport.Header(
                        5.0,
                        "synthetic",
                        "unavailable: fentry refused (EPERM)",
                        "absent",
                        "",
                        100,
                        100,
                        lostTotal),
                new LatencyReport.Source() {
                    @Override
                    public Histogram histogram(Kind kind, int ring) {
                        return hs[kind.wireId()][ring];
                    }

                    @Override
                    public long lost(int ring) {
                        return lost[ring];
                    }
                },
                CpuTopology.ofCount(2),
                16);
    }

    private static Histogram[][] empty() {
        Histogram[][] hs = new Histogram[Kind.COUNT][16];
        for (Kind k : Kind.values()) {
            for (int r = 0; r < 16; r++) {
                hs[k.wireId()][r] = LatencyRecorders.newHistogram();
            }
        }
        return hs;
    }

    @Test
    void jsonHasExactlyTheDesignedFields() {
        ObjectNode o = report(empty(), new long[16]).toJson();
        assertThat(names(o))
                .containsExactly(
                        "duration_s",
                        "input_source",
                        "input_hook",
                        "scheduler",
                        "emitted_total",
                        "consumed_total",
                        "lost_total",
                        "matched_profiles",
                        "kinds");
        assertThat(names(o.get("scheduler"))).containsExactly("state", "ops");
        assertThat(names(o.get("kinds")))
                .containsExactlyInAnyOrder("input_to_run", "wakeup_to_run", "preempt_to_run");
        for (JsonNode kind : o.get("kinds")) {
            assertThat(names(kind)).containsExactly("merged", "buffers");
            assertThat(names(kind.get("merged")))
                    .containsExactly(
                            "cpus", "count", "lost", "p50_us", "p90_us", "p99_us", "p999_us",
                            "max_us");
            assertThat(kind.get("buffers")).hasSize(16);
            for (int i = 0; i < 16; i++) {
                JsonNode b = kind.get("buffers").get(i);
                assertThat(names(b))
                        .containsExactly(
                                "index", "cpus", "count", "lost", "p50_us", "p90_us", "p99_us",
                                "p999_us", "max_us");
                assertThat(b.get("index").asInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void buffersCarryTheirCpuSetAndRingLost() {
        long[] lost = new long[16];
        lost[1] = 4;
        ObjectNode o = report(empty(), lost).toJson();
        JsonNode buffers = o.at("/kinds/input_to_run/buffers");
        assertThat(buffers.get(0).get("cpus").toString()).isEqualTo("[0]");
        assertThat(buffers.get(1).get("cpus").toString()).isEqualTo("[1]");
        assertThat(buffers.get(2).get("cpus").toString()).isEqualTo("[]");
        assertThat(buffers.get(1).get("lost").asLong()).isEqualTo(4);
        assertThat(o.at("/kinds/input_to_run/merged/lost").asLong()).isEqualTo(4);
    }

    @Test
    void percentilesAreMicrosecondsAndNullWithoutSamples() {
        Histogram[][] hs = empty();
        for (int i = 1; i <= 1000; i++) {
            hs[Kind.INPUT_TO_RUN.wireId()][1].recordValue(i * 1000L);
        }
        ObjectNode o = report(hs, new long[16]).toJson();
        JsonNode b1 = o.at("/kinds/input_to_run/buffers/1");
        assertThat(b1.get("count").asLong()).isEqualTo(1000);
        assertThat(b1.get("p50_us").asDouble()).isBetween(499.0, 501.0);
        assertThat(b1.get("p99_us").asDouble()).isBetween(989.0, 991.0);
        assertThat(b1.get("max_us").asDouble()).isBetween(999.0, 1001.0);
        assertThat(o.at("/kinds/input_to_run/merged/count").asLong()).isEqualTo(1000);
        assertThat(o.at("/kinds/input_to_run/buffers/0/p50_us").isNull()).isTrue();
        assertThat(o.at("/scheduler/ops").isNull()).isTrue();
    }

    @Test
    void textReportListsOnlyRingsWithData() {
        Histogram[][] hs = empty();
        hs[Kind.WAKEUP_TO_RUN.wireId()][1].recordValue(50_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report(hs, new long[16]).printText(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("wakeup_to_run").contains("ring 1").doesNotContain("ring 2 ");
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
