package org.gamercompanion.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gamercompanion.ring.MappedRingTest.Collector;
import org.gamercompanion.ring.MappedRingTest.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MappedRing#drainChunks} against {@link MappedRing#drain} on identical rings: the same
 * events in the same order, the same counts and the same published position, for seeded random
 * mixes of committed, discarded, busy, odd-length and garbage records, wrapping around the data
 * area, with and without a bound on the records per drain.
 */
class MappedRingChunksTest {
    private static final long RING_BYTES = 64 * 1024;

    /** Collects chunks: their events and their sizes. */
    static final class ChunkCollector implements RingBatchHandler {
        final List<Event> events = new ArrayList<>();
        final List<Integer> chunkSizes = new ArrayList<>();

        @Override
        public void onEvents(MemorySegment data, long[] offsets, int count, int ring) {
            chunkSizes.add(count);
            for (int i = 0; i < count; i++) {
                events.add(Event.decode(data, offsets[i], ring));
            }
        }

        @Override
        public void onEvent(MemorySegment data, long offset, int ring) {
            onEvents(data, new long[] {offset}, 1, ring);
        }
    }

    /** Writes the same seeded mix into a ring, up to a full ring, a busy or a garbage record. */
    private static void fill(InMemoryRing ring, long seed, int records) {
        Random rnd = new Random(seed);
        for (int i = 0; i < records; i++) {
            int what = rnd.nextInt(100);
            if (what < 85) {
                long p = ring.reserve(EventLayout.EVENT_BYTES);
                if (p < 0) {
                    return;
                }
                ring.putEvent(
                        p,
                        i,
                        i + rnd.nextInt(1 << 20),
                        rnd.nextInt(),
                        rnd.nextInt(),
                        rnd.nextInt(64),
                        rnd.nextInt(16),
                        rnd.nextInt(3),
                        rnd.nextInt(4),
                        rnd.nextInt(4),
                        rnd.nextInt(1 << 16));
                ring.commit(p, false);
            } else if (what < 92) {
                long p = ring.reserve(EventLayout.EVENT_BYTES);
                if (p < 0) {
                    return;
                }
                ring.putEvent(p, -i, -i, 0, 0, 0, 0, 0, 0, 0, 0);
                ring.commit(p, true);
            } else if (what < 97) {
                int length = 1 + rnd.nextInt(100);
                long p = ring.reserve(length);
                if (p < 0) {
                    return;
                }
                ring.putBytes(p, length, (byte) 0x5a);
                ring.commit(p, false);
            } else if (what < 99) {
                // A reserved record that is never committed: everything behind it waits.
                ring.reserve(EventLayout.EVENT_BYTES);
                return;
            } else {
                // Garbage: a length that runs past the producer.
                ring.putRawRecord(1 << 20, 8);
                return;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void chunksDeliverWhatThePerEventDrainDelivers(long seed) {
        Random rnd = new Random(seed * 31);
        long start = (rnd.nextLong(RING_BYTES) & ~7L) + (seed % 3) * RING_BYTES;
        int records = 1 + rnd.nextInt(1500);
        int maxRecords = rnd.nextBoolean() ? Integer.MAX_VALUE : 1 + rnd.nextInt(400);
        try (InMemoryRing a = new InMemoryRing(RING_BYTES, start);
                InMemoryRing b = new InMemoryRing(RING_BYTES, start)) {
            fill(a, seed, records);
            fill(b, seed, records);
            MappedRing perEvent = a.reader();
            MappedRing chunked = b.reader();
            Collector expected = new Collector();
            ChunkCollector actual = new ChunkCollector();

            int n = perEvent.drain(expected, 5, maxRecords);
            int m = chunked.drainChunks(actual, 5, maxRecords);

            assertThat(m).isEqualTo(n);
            assertThat(actual.events).isEqualTo(expected.events);
            assertThat(chunked.consumed()).isEqualTo(perEvent.consumed());
            assertThat(chunked.malformed()).isEqualTo(perEvent.malformed());
            assertThat(b.consumerPosition()).isEqualTo(a.consumerPosition());
            assertThat(actual.chunkSizes)
                    .allSatisfy(c -> assertThat(c).isBetween(1, MappedRing.CHUNK_EVENTS));
        }
    }

    @Test
    void aFullRingComesInFullChunks() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            int offered = 0;
            while (memory.offer(offered, 0) >= 0) {
                offered++;
            }
            ChunkCollector collector = new ChunkCollector();

            assertThat(memory.reader().drainChunks(collector, 0, Integer.MAX_VALUE))
                    .isEqualTo(offered);
            assertThat(collector.events).hasSize(offered);
            // Full chunks, except where the consumer position is published early (every quarter
            // of the ring) and at the end.
            assertThat(collector.chunkSizes.size())
                    .isLessThanOrEqualTo(offered / MappedRing.CHUNK_EVENTS + 1 + 4);
        }
    }

    @Test
    void handlerExceptionConsumesItsChunkAndPublishesThePosition() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            for (int i = 0; i < 100; i++) {
                memory.offer(i, 0);
            }
            MappedRing ring = memory.reader();
            ChunkCollector collector = new ChunkCollector();
            RingBatchHandler failFirstChunk =
                    new RingBatchHandler() {
                        boolean failed;

                        @Override
                        public void onEvents(MemorySegment data, long[] offsets, int count, int r) {
                            if (!failed) {
                                failed = true;
                                throw new IllegalStateException("boom");
                            }
                            collector.onEvents(data, offsets, count, r);
                        }

                        @Override
                        public void onEvent(MemorySegment data, long offset, int r) {
                            onEvents(data, new long[] {offset}, 1, r);
                        }
                    };

            assertThatThrownBy(() -> ring.drainChunks(failFirstChunk, 0, Integer.MAX_VALUE))
                    .hasMessage("boom");
            assertThat(ring.consumed()).isEqualTo(MappedRing.CHUNK_EVENTS);
            assertThat(memory.consumerPosition()).isEqualTo(MappedRing.CHUNK_EVENTS * 48L);

            ring.drainChunks(failFirstChunk, 0, Integer.MAX_VALUE);
            assertThat(collector.events).hasSize(100 - MappedRing.CHUNK_EVENTS);
            assertThat(collector.events.getFirst().startNs()).isEqualTo(MappedRing.CHUNK_EVENTS);
        }
    }
}
