package org.gamercompanion.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MappedRingTest {
    private static final long RING_BYTES = 64 * 1024;
    private static final int RECORD_BYTES = 48;

    /** One decoded event, as a test handler sees it. */
    record Event(
            long startNs,
            long endNs,
            int pid,
            int tgid,
            int cpu,
            int ring,
            int kind,
            int source,
            int inputType,
            int inputCode,
            int deliveredRing) {
        static Event decode(MemorySegment data, long offset, int deliveredRing) {
            return new Event(
                    EventLayout.startNs(data, offset),
                    EventLayout.endNs(data, offset),
                    EventLayout.pid(data, offset),
                    EventLayout.tgid(data, offset),
                    EventLayout.cpu(data, offset),
                    EventLayout.ring(data, offset),
                    EventLayout.kind(data, offset),
                    EventLayout.source(data, offset),
                    EventLayout.inputType(data, offset),
                    EventLayout.inputCode(data, offset),
                    deliveredRing);
        }
    }

    /** Collects decoded events. */
    static final class Collector implements RingEventHandler {
        final List<Event> events = new ArrayList<>();

        @Override
        public void onEvent(MemorySegment data, long offset, int ring) {
            events.add(Event.decode(data, offset, ring));
        }

        List<Long> sequences() {
            return events.stream().map(Event::startNs).toList();
        }
    }

    static int[] allRings() {
        int[] rings = new int[EventLayout.RING_COUNT];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = i;
        }
        return rings;
    }

    @ParameterizedTest
    @MethodSource("allRings")
    void committedEventDecodesWithEveryField(int ring) {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            long position = memory.reserve(EventLayout.EVENT_BYTES);
            memory.putEvent(
                    position,
                    1_000_000_007L,
                    1_000_123_456L,
                    4242,
                    4200,
                    ring + 16,
                    ring,
                    EventLayout.KIND_INPUT_TO_RUN,
                    EventLayout.SRC_SYNTHETIC,
                    EventLayout.EV_KEY,
                    0xfffe);
            memory.commit(position, false);
            Collector collector = new Collector();

            int records = memory.reader().drain(collector, ring, Integer.MAX_VALUE);

            assertThat(records).isEqualTo(1);
            assertThat(collector.events)
                    .containsExactly(
                            new Event(
                                    1_000_000_007L,
                                    1_000_123_456L,
                                    4242,
                                    4200,
                                    ring + 16,
                                    ring,
                                    EventLayout.KIND_INPUT_TO_RUN,
                                    EventLayout.SRC_SYNTHETIC,
                                    EventLayout.EV_KEY,
                                    0xfffe,
                                    ring));
        }
    }

    @ParameterizedTest
    @ValueSource(
            longs = {
                RING_BYTES - 8,
                RING_BYTES - 16,
                RING_BYTES - 40,
                5 * RING_BYTES - 24,
                (1L << 40) - 32
            })
    void recordStraddlingTheEndOfTheDataAreaIsReadThroughTheSecondMapping(long startPosition) {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES, startPosition)) {
            memory.offer(7, 3);
            memory.offer(8, 3);
            Collector collector = new Collector();

            memory.reader().drain(collector, 3, Integer.MAX_VALUE);

            assertThat(collector.sequences()).containsExactly(7L, 8L);
            assertThat(collector.events.getFirst().endNs()).isEqualTo(1007L);
            assertThat(memory.consumerPosition()).isEqualTo(startPosition + 2 * RECORD_BYTES);
        }
    }

    @Test
    void busyRecordStopsTheDrainAndIsReadAfterItIsCommitted() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            long first = memory.reserve(EventLayout.EVENT_BYTES);
            long second = memory.reserve(EventLayout.EVENT_BYTES);
            memory.putEvent(second, 2, 3, 1, 1, 0, 0, 0, 0, 0, 0);
            memory.commit(second, false);
            MappedRing ring = memory.reader();
            Collector collector = new Collector();

            assertThat(ring.drain(collector, 0, Integer.MAX_VALUE)).isZero();
            assertThat(memory.consumerPosition()).isZero();

            memory.putEvent(first, 1, 3, 1, 1, 0, 0, 0, 0, 0, 0);
            memory.commit(first, false);
            assertThat(ring.drain(collector, 0, Integer.MAX_VALUE)).isEqualTo(2);
            assertThat(collector.sequences()).containsExactly(1L, 2L);
            assertThat(memory.consumerPosition()).isEqualTo(2 * RECORD_BYTES);
        }
    }

    @Test
    void discardedRecordsAreSkippedButAdvanceTheConsumerPosition() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            long discarded = memory.reserve(EventLayout.EVENT_BYTES);
            memory.commit(discarded, true);
            long discardedOdd = memory.reserve(13);
            memory.commit(discardedOdd, true);
            memory.offer(5, 0);
            Collector collector = new Collector();
            MappedRing ring = memory.reader();

            int records = ring.drain(collector, 0, Integer.MAX_VALUE);

            assertThat(records).isEqualTo(1);
            assertThat(collector.sequences()).containsExactly(5L);
            assertThat(ring.malformed()).isZero();
            assertThat(memory.consumerPosition()).isEqualTo(RECORD_BYTES + 24 + RECORD_BYTES);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 39, 41, 48, 100, 4000})
    void recordOfAnyOtherLengthIsCountedAsMalformedAndSkipped(int lengthBytes) {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            long odd = memory.reserve(lengthBytes);
            memory.putBytes(odd, lengthBytes, (byte) 0x5a);
            memory.commit(odd, false);
            memory.offer(9, 0);
            Collector collector = new Collector();
            MappedRing ring = memory.reader();

            int records = ring.drain(collector, 0, Integer.MAX_VALUE);

            assertThat(records).isEqualTo(2);
            assertThat(collector.sequences()).containsExactly(9L);
            assertThat(ring.malformed()).isEqualTo(1);
            assertThat(ring.consumed()).isEqualTo(2);
            assertThat(memory.consumerPosition())
                    .isEqualTo(((lengthBytes + 8 + 7) & ~7L) + RECORD_BYTES);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3fff_ffff, 1 << 20, 41})
    void lengthRunningPastTheProducerIsMalformedAndTheReaderResynchronises(int garbageLength) {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            memory.putRawRecord(garbageLength, RECORD_BYTES);
            Collector collector = new Collector();
            MappedRing ring = memory.reader();

            ring.drain(collector, 0, Integer.MAX_VALUE);

            assertThat(collector.events).isEmpty();
            assertThat(ring.malformed()).isEqualTo(1);
            assertThat(memory.consumerPosition()).isEqualTo(memory.producerPosition());
            memory.offer(11, 0);
            ring.drain(collector, 0, Integer.MAX_VALUE);
            assertThat(collector.sequences()).containsExactly(11L);
        }
    }

    @Test
    void consumerPositionIsPublishedOncePerDrainWithTheTotalLength() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            for (int i = 0; i < 10; i++) {
                memory.offer(i, 0);
            }
            MappedRing ring = memory.reader();
            long[] publishedDuringDrain = new long[10];
            int[] index = {0};

            ring.drain(
                    (data, offset, r) ->
                            publishedDuringDrain[index[0]++] = memory.consumerPosition(),
                    0,
                    Integer.MAX_VALUE);

            assertThat(publishedDuringDrain).containsOnly(0L);
            assertThat(memory.consumerPosition()).isEqualTo(10 * RECORD_BYTES);
            assertThat(ring.consumerPosition()).isEqualTo(10 * RECORD_BYTES);
            assertThat(ring.pendingBytes()).isZero();
        }
    }

    @Test
    void longDrainPublishesEveryQuarterRingSoTheProducerCanReuseSpace() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            int capacity = (int) (RING_BYTES / RECORD_BYTES);
            for (int i = 0; i < capacity; i++) {
                memory.offer(i, 0);
            }
            MappedRing ring = memory.reader();
            long[] maxPublished = {0};

            ring.drain(
                    (data, offset, r) ->
                            maxPublished[0] = Math.max(maxPublished[0], memory.consumerPosition()),
                    0,
                    Integer.MAX_VALUE);

            assertThat(maxPublished[0])
                    .isGreaterThanOrEqualTo(RING_BYTES / 4)
                    .isLessThan(capacity * RECORD_BYTES);
            assertThat(memory.consumerPosition()).isEqualTo(capacity * RECORD_BYTES);
        }
    }

    @Test
    void maxRecordsBoundsOneDrain() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            for (int i = 0; i < 10; i++) {
                memory.offer(i, 0);
            }
            MappedRing ring = memory.reader();
            Collector collector = new Collector();

            assertThat(ring.drain(collector, 0, 3)).isEqualTo(3);
            assertThat(memory.consumerPosition()).isEqualTo(3 * RECORD_BYTES);
            assertThat(ring.drain(collector, 0, 100)).isEqualTo(7);
            assertThat(collector.sequences())
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void handlerExceptionStillConsumesItsRecordAndPublishesThePosition() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            for (int i = 0; i < 3; i++) {
                memory.offer(i, 0);
            }
            MappedRing ring = memory.reader();
            Collector collector = new Collector();
            RingEventHandler failOnSecond =
                    (data, offset, r) -> {
                        if (EventLayout.startNs(data, offset) == 1) {
                            throw new IllegalStateException("boom");
                        }
                        collector.onEvent(data, offset, r);
                    };

            assertThatThrownBy(() -> ring.drain(failOnSecond, 0, Integer.MAX_VALUE))
                    .hasMessage("boom");
            assertThat(memory.consumerPosition()).isEqualTo(2 * RECORD_BYTES);
            assertThat(ring.consumed()).isEqualTo(2);
            ring.drain(failOnSecond, 0, Integer.MAX_VALUE);
            assertThat(collector.sequences()).containsExactly(0L, 2L);
        }
    }

    @Test
    void readerStartsAtTheConsumerPositionFoundInTheMapping() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES, 4800)) {
            memory.offer(1, 0);
            Collector collector = new Collector();

            memory.reader().drain(collector, 0, Integer.MAX_VALUE);

            assertThat(collector.sequences()).containsExactly(1L);
            assertThat(memory.consumerPosition()).isEqualTo(4800 + RECORD_BYTES);
        }
    }

    @Test
    void positionAdvancedByAnotherConsumerIsRespectedNeverMovedBack() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            for (int i = 0; i < 5; i++) {
                memory.offer(i, 0);
            }
            MappedRing ring = memory.reader();
            Collector collector = new Collector();
            ring.drain(collector, 0, 2);

            // Like the agent's libbpf benchmark consumer, draining the same ring through its own
            // mapping.
            memory.consumerPage.set(ValueLayout.JAVA_LONG, 0, 4L * RECORD_BYTES);
            ring.drain(collector, 0, Integer.MAX_VALUE);

            assertThat(collector.sequences()).containsExactly(0L, 1L, 4L);
            assertThat(memory.consumerPosition()).isEqualTo(5L * RECORD_BYTES);
            assertThat(ring.malformed()).isZero();
        }
    }

    @Test
    void emptyRingDrainsNothingAndLeavesThePositionAlone() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            MappedRing ring = memory.reader();

            assertThat(ring.drain(new Collector(), 0, Integer.MAX_VALUE)).isZero();
            assertThat(memory.consumerPosition()).isZero();
            assertThat(ring.consumed()).isZero();
        }
    }

    @Test
    void ringSizeMustBeAPowerOfTwoPageMultiple() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            assertThatThrownBy(
                            () ->
                                    MappedRing.over(
                                            memory.consumerPage,
                                            memory.producerPageAndData,
                                            InMemoryRing.PAGE_BYTES,
                                            3 * 4096))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("power of two");
        }
    }
}
