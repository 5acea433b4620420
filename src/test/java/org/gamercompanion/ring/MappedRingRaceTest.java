package org.gamercompanion.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A producer thread that follows the kernel's protocol exactly races the reader over a small ring
 * that wraps thousands of times: every committed event arrives exactly once and in order.
 */
class MappedRingRaceTest {
    private static final int EVENTS = 1_000_000;
    private static final long RING_BYTES = 16 * 1024;
    private static final long HANG_GUARD_SECONDS = 60;

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 0x5eed})
    void everyCommittedRecordIsSeenExactlyOnceInOrder(long seed) throws Exception {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            MappedRing ring = memory.reader();
            long[] producerCounts = new long[2]; // {odd-length records, discarded records}
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread producer =
                    Thread.ofPlatform()
                            .name("test-producer")
                            .start(
                                    () -> {
                                        try {
                                            produce(
                                                    memory,
                                                    new SplittableRandom(seed),
                                                    producerCounts);
                                        } catch (Throwable t) {
                                            failure.set(t);
                                        }
                                    });
            OrderChecker checker = new OrderChecker();
            long hangGuardNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);

            while (checker.next < EVENTS
                    && failure.get() == null
                    && System.nanoTime() < hangGuardNanos) {
                if (ring.drain(checker, 5, 1024) == 0) {
                    Thread.onSpinWait();
                }
            }
            producer.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));

            assertThat(failure.get()).isNull();
            assertThat(producer.isAlive()).isFalse();
            ring.drain(checker, 5, Integer.MAX_VALUE);
            assertThat(checker.outOfOrder).isZero();
            assertThat(checker.next).isEqualTo(EVENTS);
            assertThat(ring.malformed()).isEqualTo(producerCounts[0]);
            assertThat(ring.consumed()).isEqualTo(EVENTS + producerCounts[0]);
            assertThat(memory.consumerPosition()).isEqualTo(memory.producerPosition());
            assertThat(producerCounts[1]).isPositive();
        }
    }

    /**
     * Kernel-shaped producer: mostly 40-byte events carrying their sequence number, some discarded
     * records, some records of other lengths, and pairs committed in reverse order as two CPUs
     * would, so the reader meets BUSY records while racing. Spins while the ring is full.
     */
    private static void produce(InMemoryRing memory, SplittableRandom random, long[] counts) {
        long sequence = 0;
        while (sequence < EVENTS) {
            int dice = random.nextInt(100);
            if (dice < 10) {
                int length =
                        random.nextBoolean() ? EventLayout.EVENT_BYTES : 1 + random.nextInt(200);
                long position = reserveSpinning(memory, length);
                memory.commit(position, true);
                counts[1]++;
            } else if (dice < 11) {
                int length = 1 + random.nextInt(300);
                if (length == EventLayout.EVENT_BYTES) {
                    length++;
                }
                long position = reserveSpinning(memory, length);
                memory.putBytes(position, length, (byte) 0x77);
                memory.commit(position, false);
                counts[0]++;
            } else if (dice < 20 && sequence + 1 < EVENTS) {
                long first = reserveSpinning(memory, EventLayout.EVENT_BYTES);
                long second = reserveSpinning(memory, EventLayout.EVENT_BYTES);
                writeEvent(memory, second, sequence + 1);
                memory.commit(second, false);
                writeEvent(memory, first, sequence);
                memory.commit(first, false);
                sequence += 2;
            } else {
                long position = reserveSpinning(memory, EventLayout.EVENT_BYTES);
                writeEvent(memory, position, sequence);
                memory.commit(position, false);
                sequence++;
            }
        }
    }

    private static long reserveSpinning(InMemoryRing memory, int length) {
        long position;
        while ((position = memory.reserve(length)) < 0) {
            Thread.onSpinWait();
        }
        return position;
    }

    private static void writeEvent(InMemoryRing memory, long position, long sequence) {
        memory.putEvent(
                position,
                sequence,
                ~sequence,
                (int) sequence,
                1,
                5,
                5,
                EventLayout.KIND_WAKEUP_TO_RUN,
                EventLayout.SRC_NONE,
                0,
                0);
    }

    private static final class OrderChecker implements RingEventHandler {
        long next;
        long outOfOrder;

        @Override
        public void onEvent(MemorySegment data, long offset, int ring) {
            long sequence = EventLayout.startNs(data, offset);
            if (sequence != next
                    || EventLayout.endNs(data, offset) != ~sequence
                    || EventLayout.pid(data, offset) != (int) sequence
                    || ring != 5) {
                outOfOrder++;
            }
            next = sequence + 1;
        }
    }
}
