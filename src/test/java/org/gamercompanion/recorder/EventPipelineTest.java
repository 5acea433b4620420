package org.gamercompanion.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gamercompanion.ring.EventLayout;
import org.gamercompanion.snapshot.RingStats;
import org.gamercompanion.snapshot.Sampler;
import org.gamercompanion.snapshot.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventPipelineTest {
    /** Writes a gc_event at offset the way the BPF side lays it out. */
    static void put(
            MemorySegment s,
            long off,
            long start,
            long end,
            int pid,
            int ring,
            int kind,
            int source) {
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, off + EventLayout.offsetOf("start_ns"), start);
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, off + EventLayout.offsetOf("end_ns"), end);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, off + EventLayout.offsetOf("pid"), pid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, off + EventLayout.offsetOf("tgid"), pid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, off + EventLayout.offsetOf("cpu"), ring);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, off + EventLayout.offsetOf("ring"), (short) ring);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, off + EventLayout.offsetOf("kind"), (short) kind);
        s.set(
                ValueLayout.JAVA_SHORT_UNALIGNED,
                off + EventLayout.offsetOf("source"),
                (short) source);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyEventIsRecordedUnderItsRingAndKind(Kind kind) {
        LatencyRecorders rec = new LatencyRecorders(16);
        List<Long> seen = new ArrayList<>();
        try (Arena arena = Arena.ofConfined();
                EventPipeline p = EventPipeline.start(rec, e -> seen.add(e.latencyNs()))) {
            MemorySegment s = arena.allocate(EventLayout.EVENT_BYTES);
            for (int ring = 0; ring < 16; ring++) {
                for (int i = 0; i <= ring; i++) {
                    put(
                            s,
                            0,
                            1_000,
                            1_000 + 1_000L * (ring + 1),
                            100 + ring,
                            ring,
                            kind.wireId(),
                            EventLayout.SRC_SYNTHETIC);
                    p.onEvent(s, 0, ring);
                }
            }
            p.onBatchEnd();
            assertThat(p.awaitProcessed(10_000)).isTrue();
            assertThat(p.recorded()).isEqualTo(136);
            assertThat(p.rejected()).isZero();
            Snapshot snap = new Sampler(rec, RingStats.NONE, Sampler.IntervalSink.NONE).sample();
            for (int ring = 0; ring < 16; ring++) {
                assertThat(snap.kind(kind).ringInterval().get(ring).count()).isEqualTo(ring + 1);
                assertThat(snap.kind(kind).ringInterval().get(ring).maxNs())
                        .isBetween(999L * (ring + 1), 1001L * (ring + 1));
            }
            assertThat(snap.kind(kind).mergedInterval().count()).isEqualTo(136);
            for (Kind other : Kind.values()) {
                if (other != kind) {
                    assertThat(snap.kind(other).mergedInterval().count()).isZero();
                }
            }
            assertThat(seen).hasSize(136);
            assertThat(p.inputSourcesSeen() != 0).isEqualTo(kind == Kind.INPUT_TO_RUN);
        }
    }

    @Test
    void eventsWithEndBeforeStartOrUnknownKindAreRejectedNotRecorded() {
        LatencyRecorders rec = new LatencyRecorders(16);
        try (Arena arena = Arena.ofConfined();
                EventPipeline p = EventPipeline.start(rec, null)) {
            MemorySegment s = arena.allocate(EventLayout.EVENT_BYTES);
            put(s, 0, 2_000, 1_000, 1, 0, 0, 0);
            p.onEvent(s, 0, 0);
            put(s, 0, 1_000, 2_000, 1, 0, 7, 0);
            p.onEvent(s, 0, 0);
            put(s, 0, 1_000, 2_000, 1, 0, 0, 0);
            p.onEvent(s, 0, 0);
            p.onBatchEnd();
            assertThat(p.awaitProcessed(10_000)).isTrue();
            assertThat(p.rejected()).isEqualTo(2);
            assertThat(p.recorded()).isEqualTo(1);
        }
    }

    @Test
    void moreEventsThanTheDisruptorHoldsInOneBatchAllArrive() {
        LatencyRecorders rec = new LatencyRecorders(16);
        Random rnd = new Random(42);
        long n = 300_000;
        try (Arena arena = Arena.ofConfined();
                EventPipeline p = EventPipeline.start(rec, null)) {
            MemorySegment s = arena.allocate(EventLayout.EVENT_BYTES);
            for (long i = 0; i < n; i++) {
                int ring = rnd.nextInt(16);
                put(s, 0, 0, 1 + rnd.nextInt(1_000_000), 5, ring, Kind.WAKEUP_TO_RUN.wireId(), 0);
                p.onEvent(s, 0, ring);
            }
            p.onBatchEnd();
            assertThat(p.awaitProcessed(30_000)).isTrue();
            assertThat(p.recorded()).isEqualTo(n);
        }
    }
}
