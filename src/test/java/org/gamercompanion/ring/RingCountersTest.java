package org.gamercompanion.ring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.gamercompanion.sys.Bpf;
import org.gamercompanion.sys.Fds;
import org.gamercompanion.sys.KernelMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RingCountersTest {
    static int[] allRings() {
        return MappedRingTest.allRings();
    }

    @ParameterizedTest
    @MethodSource("allRings")
    void eachRingReadsItsOwnSixtyFourByteSlot(int ring) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(EventLayout.RING_COUNTERS_ARRAY);
            memory.set(JAVA_LONG, ring * 64L, 1000L + ring);
            memory.set(JAVA_LONG, ring * 64L + 8, 7L * ring);
            RingCounters counters = RingCounters.over(memory);

            assertThat(counters.emitted(ring)).isEqualTo(1000L + ring);
            assertThat(counters.lost(ring)).isEqualTo(7L * ring);
            assertThat(counters.emittedTotal()).isEqualTo(1000L + ring);
            assertThat(counters.lostTotal()).isEqualTo(7L * ring);
        }
    }

    @ParameterizedTest
    @MethodSource("allRings")
    void valuesWrittenToTheKernelMapAreReadThroughTheMapping(int ring) throws Exception {
        int fd = KernelMaps.mmapableArray(64, EventLayout.RING_COUNT, "ring_counters");
        try (Arena arena = Arena.ofShared()) {
            RingCounters counters = RingCounters.map(fd, arena);
            assertThat(counters.emittedTotal()).isZero();

            setCounters(fd, ring, 123_456_789_012L, 42);

            assertThat(counters.emitted(ring)).isEqualTo(123_456_789_012L);
            assertThat(counters.lost(ring)).isEqualTo(42);
            assertThat(counters.emittedTotal()).isEqualTo(123_456_789_012L);
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void mapRefusesAnArrayOfTheWrongShape() throws Exception {
        int fd = KernelMaps.mmapableArray(8, EventLayout.RING_COUNT, "not_counters");
        try (Arena arena = Arena.ofShared()) {
            assertThatThrownBy(() -> RingCounters.map(fd, arena))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("is not an mmapable array of 16 x 64 bytes");
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void ringIndexOutsideZeroToFifteenIsRejected() {
        try (Arena arena = Arena.ofConfined()) {
            RingCounters counters =
                    RingCounters.over(arena.allocate(EventLayout.RING_COUNTERS_ARRAY));
            assertThatThrownBy(() -> counters.emitted(16))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    /**
     * Sets one ring's counters through BPF_MAP_UPDATE_ELEM, as the agent's programs would change
     * them.
     */
    static void setCounters(int countersFd, int ring, long emitted, long lost) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(JAVA_INT, ring);
            MemorySegment value = arena.allocate(EventLayout.GC_RING_COUNTERS);
            value.set(JAVA_LONG, 0, emitted);
            value.set(JAVA_LONG, 8, lost);
            Bpf.mapUpdate(countersFd, key, value);
        }
    }
}
