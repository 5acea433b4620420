package org.gamercompanion.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.gamercompanion.sys.Fds;
import org.gamercompanion.sys.KernelMaps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RingReader over 16 real kernel ring buffers and a real counters map, with records written by the
 * kernel's bpf_ringbuf_output (no wake-up, as the agent submits them). Generous waits only guard
 * against hangs; nothing here asserts on timing.
 */
class RingReaderTest {
    private static final int RING_BYTES = 64 * 1024;
    private static final long DRAIN_INTERVAL_MS = 2;
    private static final long HANG_GUARD_MS = 30_000;

    private final int[] ringFds = new int[EventLayout.RING_COUNT];
    private int countersFd = -1;
    private final List<BpfRingWriter> writers = new ArrayList<>();
    private RingReader reader;

    @BeforeEach
    void createMaps() throws Exception {
        Arrays.fill(ringFds, -1);
        for (int ring = 0; ring < ringFds.length; ring++) {
            ringFds[ring] = KernelMaps.ringbuf(RING_BYTES, "rb_" + ring);
        }
        countersFd = KernelMaps.mmapableArray(64, EventLayout.RING_COUNT, "ring_counters");
    }

    @AfterEach
    void closeEverything() {
        if (reader != null) {
            reader.close();
        }
        writers.forEach(BpfRingWriter::close);
        Arrays.stream(ringFds).forEach(Fds::close);
        Fds.close(countersFd);
    }

    static int[] allRings() {
        return MappedRingTest.allRings();
    }

    @ParameterizedTest
    @MethodSource("allRings")
    void eventsOfEveryRingReachTheHandlerOnTheReaderThreadInOrder(int ring) throws Exception {
        int events = 500;
        emit(ring, events);
        Recorder recorder = new Recorder();
        reader = RingReader.open(ringFds, countersFd, RING_BYTES, recorder, DRAIN_INTERVAL_MS);

        reader.start();

        assertThat(reader.awaitCaughtUp(HANG_GUARD_MS)).isTrue();
        assertThat(recorder.sequences(ring)).isEqualTo(range(events));
        assertThat(recorder.threads).containsOnly("ring-reader");
        assertThat(reader.consumed(ring)).isEqualTo(events);
        assertThat(reader.consumedTotal()).isEqualTo(events);
        assertThat(reader.malformed()).isZero();
    }

    @Test
    void timerDrainPicksUpNoWakeupSubmitsWhileRunning() throws Exception {
        CountDownLatch allSeen = new CountDownLatch(EventLayout.RING_COUNT * 10);
        reader =
                RingReader.open(
                        ringFds,
                        countersFd,
                        RING_BYTES,
                        (data, offset, ring) -> allSeen.countDown(),
                        DRAIN_INTERVAL_MS);
        reader.start();

        for (int ring = 0; ring < EventLayout.RING_COUNT; ring++) {
            emit(ring, 10);
        }

        assertThat(allSeen.await(HANG_GUARD_MS, TimeUnit.MILLISECONDS)).isTrue();
        // A drain publishes its count when it ends (after its last record's handler): closing
        // joins the reader thread, so every drain has ended and published.
        reader.close();
        assertThat(reader.consumedTotal()).isEqualTo(EventLayout.RING_COUNT * 10);
    }

    @Test
    void awaitCaughtUpIsFalseWhileTheCountersAreAheadOfTheRings() throws Exception {
        reader =
                RingReader.open(
                        ringFds,
                        countersFd,
                        RING_BYTES,
                        (data, offset, ring) -> {},
                        DRAIN_INTERVAL_MS);
        reader.start();
        RingCountersTest.setCounters(countersFd, 3, 5, 0);

        assertThat(reader.awaitCaughtUp(20)).isFalse();
        writer(3).write(1, 2, 0, 0, 3, 3, 0);
        assertThat(reader.awaitCaughtUp(20)).isFalse();
        for (int i = 0; i < 4; i++) {
            writer(3).write(1, 2, 0, 0, 3, 3, 0);
        }
        assertThat(reader.awaitCaughtUp(HANG_GUARD_MS)).isTrue();
    }

    @Test
    void handlerExceptionsGoToTheExceptionHandlerAndTheLoopGoesOn() throws Exception {
        emit(7, 100);
        ConcurrentLinkedQueue<String> reported = new ConcurrentLinkedQueue<>();
        Recorder recorder = new Recorder();
        RingEventHandler failOnOdd =
                (data, offset, ring) -> {
                    if (EventLayout.startNs(data, offset) % 2 == 1) {
                        throw new IllegalArgumentException(
                                "odd " + EventLayout.startNs(data, offset));
                    }
                    recorder.onEvent(data, offset, ring);
                };
        reader =
                RingReader.open(
                        ringFds,
                        countersFd,
                        RING_BYTES,
                        failOnOdd,
                        DRAIN_INTERVAL_MS,
                        (failure, ring) -> reported.add(ring + ":" + failure.getMessage()));

        reader.start();

        assertThat(reader.awaitCaughtUp(HANG_GUARD_MS)).isTrue();
        assertThat(reported).hasSize(50).contains("7:odd 1", "7:odd 99");
        assertThat(recorder.sequences(7)).hasSize(50).startsWith(0L, 2L, 4L);
        assertThat(reader.handlerExceptions()).isEqualTo(50);
        assertThat(reader.consumed(7)).isEqualTo(100);
    }

    @Test
    void chunkHandlerGetsEveryEventAndItsExceptionsGoToTheExceptionHandler() throws Exception {
        emit(3, 1000);
        emit(12, 1000);
        ConcurrentLinkedQueue<String> reported = new ConcurrentLinkedQueue<>();
        List<Long> ring3 = new ArrayList<>();
        List<Long> ring12 = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        RingBatchHandler failFirstChunkOfRing12 =
                new RingBatchHandler() {
                    boolean failed;

                    @Override
                    public void onEvents(MemorySegment data, long[] offsets, int count, int ring) {
                        threads.add(Thread.currentThread().getName());
                        if (ring == 12 && !failed) {
                            failed = true;
                            throw new IllegalStateException("chunk of " + count);
                        }
                        for (int i = 0; i < count; i++) {
                            (ring == 3 ? ring3 : ring12).add(EventLayout.startNs(data, offsets[i]));
                        }
                    }

                    @Override
                    public void onEvent(MemorySegment data, long offset, int ring) {
                        throw new AssertionError("the reader hands a chunk handler chunks");
                    }
                };
        reader =
                RingReader.open(
                        ringFds,
                        countersFd,
                        RING_BYTES,
                        failFirstChunkOfRing12,
                        DRAIN_INTERVAL_MS,
                        (failure, ring) -> reported.add(ring + ":" + failure.getMessage()));

        reader.start();

        assertThat(reader.awaitCaughtUp(HANG_GUARD_MS)).isTrue();
        assertThat(ring3).isEqualTo(range(1000));
        assertThat(reported).containsExactly("12:chunk of " + MappedRing.CHUNK_EVENTS);
        assertThat(ring12).isEqualTo(range(1000).subList(MappedRing.CHUNK_EVENTS, 1000));
        assertThat(reader.consumed(12)).isEqualTo(1000);
        assertThat(reader.handlerExceptions()).isEqualTo(1);
        assertThat(threads).containsOnly("ring-reader");
    }

    @Test
    void lifecycleHooksRunOnTheReaderThreadAndBatchEndFollowsDeliveredEvents() throws Exception {
        emit(0, 3);
        ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        RingEventHandler handler =
                new RingEventHandler() {
                    @Override
                    public void onEvent(MemorySegment data, long offset, int ring) {
                        calls.add("event");
                    }

                    @Override
                    public void onBatchEnd() {
                        calls.add("batchEnd");
                    }

                    @Override
                    public void onStart() {
                        calls.add("start:" + Thread.currentThread().getName());
                    }

                    @Override
                    public void onShutdown() {
                        calls.add("shutdown:" + Thread.currentThread().getName());
                    }
                };
        reader = RingReader.open(ringFds, countersFd, RING_BYTES, handler, DRAIN_INTERVAL_MS);
        reader.start();
        assertThat(reader.awaitCaughtUp(HANG_GUARD_MS)).isTrue();

        reader.close();

        assertThat(calls)
                .containsExactly(
                        "start:ring-reader",
                        "event",
                        "event",
                        "event",
                        "batchEnd",
                        "shutdown:ring-reader");
    }

    @Test
    void closeStopsTheThreadUnmapsAndLeavesTheCallersFdsOpen() throws Exception {
        CountDownLatch shutdown = new CountDownLatch(1);
        reader =
                RingReader.open(
                        ringFds,
                        countersFd,
                        RING_BYTES,
                        new RingEventHandler() {
                            @Override
                            public void onEvent(MemorySegment data, long offset, int ring) {}

                            @Override
                            public void onShutdown() {
                                shutdown.countDown();
                            }
                        },
                        1000);
        reader.start();

        reader.close();

        assertThat(shutdown.getCount()).isZero();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("ring-reader"));
        assertThat(Arrays.stream(ringFds).allMatch(Fds::isOpen)).isTrue();
        assertThat(Fds.isOpen(countersFd)).isTrue();
        assertThatThrownBy(() -> reader.counters().emitted(0))
                .isInstanceOf(IllegalStateException.class);
        reader.close();
    }

    @Test
    void drainAllOnceConsumesOnTheCallersThreadOnlyBeforeStart() throws Exception {
        emit(2, 5);
        emit(9, 6);
        Recorder recorder = new Recorder();
        reader = RingReader.open(ringFds, countersFd, RING_BYTES, recorder, DRAIN_INTERVAL_MS);

        assertThat(reader.drainAllOnce()).isEqualTo(11);
        assertThat(recorder.threads).containsOnly(Thread.currentThread().getName());
        assertThat(reader.awaitCaughtUp(0)).isTrue();

        reader.start();
        assertThatThrownBy(reader::drainAllOnce).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(reader::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openChecksTheMapsAndLeaksNothingWhenOneIsWrong() throws Exception {
        long fdsBefore = openFdCount();
        int[] swapped = ringFds.clone();
        swapped[15] = countersFd;

        assertThatThrownBy(
                        () -> RingReader.open(swapped, countersFd, RING_BYTES, (d, o, r) -> {}, 5))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a ring buffer of 65536 bytes");
        assertThatThrownBy(
                        () -> RingReader.open(ringFds, ringFds[0], RING_BYTES, (d, o, r) -> {}, 5))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not an mmapable array");
        assertThatThrownBy(
                        () ->
                                RingReader.open(
                                        ringFds, countersFd, 2 * RING_BYTES, (d, o, r) -> {}, 5))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(
                        () ->
                                RingReader.open(
                                        Arrays.copyOf(ringFds, 15),
                                        countersFd,
                                        RING_BYTES,
                                        (d, o, r) -> {},
                                        5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 ring fds");
        assertThat(openFdCount()).isEqualTo(fdsBefore);
    }

    @Test
    void steadyStatePassesAllocateNothingOnTheReaderThread() throws Exception {
        long[] sum = {0};
        reader =
                RingReader.open(
                        ringFds,
                        countersFd,
                        RING_BYTES,
                        (data, offset, ring) -> sum[0] += EventLayout.endNs(data, offset),
                        1);
        reader.start();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long readerId = reader.thread().threadId();

        // Interpreted and C1 code allocate a little per pass; once the loop runs C2 code nothing
        // should. Measure 500-pass windows with events flowing until one allocates nothing.
        long allocated = -1;
        for (int window = 0; window < 40 && allocated != 0; window++) {
            long before = threads.getThreadAllocatedBytes(readerId);
            emitMore(window);
            awaitPasses(reader.passes() + 500);
            allocated = threads.getThreadAllocatedBytes(readerId) - before;
        }

        assertThat(allocated).isZero();
        assertThat(reader.consumedTotal()).isPositive();
    }

    private void emitMore(int round) throws Exception {
        for (int ring = 0; ring < EventLayout.RING_COUNT; ring++) {
            for (int i = 0; i < 50; i++) {
                writer(ring).write(round, round + i, 1, 1, ring, ring, 0);
            }
        }
    }

    private void awaitPasses(long passes) {
        long hangGuard = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANG_GUARD_MS);
        while (reader.passes() < passes && System.nanoTime() < hangGuard) {
            Thread.onSpinWait();
        }
        assertThat(reader.passes()).isGreaterThanOrEqualTo(passes);
    }

    /**
     * Writes {@code events} events with sequence numbers 0.. into {@code ring} and sets its emitted
     * counter.
     */
    private void emit(int ring, int events) throws Exception {
        BpfRingWriter writer = writer(ring);
        for (int i = 0; i < events; i++) {
            assertThat(
                            writer.write(
                                    i,
                                    i + 10,
                                    1000 + i,
                                    1000,
                                    ring,
                                    ring,
                                    EventLayout.KIND_WAKEUP_TO_RUN))
                    .isTrue();
        }
        RingCountersTest.setCounters(countersFd, ring, events, 0);
    }

    private BpfRingWriter writer(int ring) throws Exception {
        while (writers.size() <= ring) {
            writers.add(BpfRingWriter.load(ringFds[writers.size()]));
        }
        return writers.get(ring);
    }

    private static List<Long> range(int n) {
        return LongStream.range(0, n).boxed().toList();
    }

    private static long openFdCount() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Records sequence numbers per ring and the threads it was called on. */
    private static final class Recorder implements RingEventHandler {
        final List<List<Long>> byRing = new ArrayList<>();
        final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();

        Recorder() {
            for (int i = 0; i < EventLayout.RING_COUNT; i++) {
                byRing.add(new ArrayList<>());
            }
        }

        @Override
        public void onEvent(MemorySegment data, long offset, int ring) {
            byRing.get(ring).add(EventLayout.startNs(data, offset));
            assertThat(EventLayout.ring(data, offset)).isEqualTo(ring);
            if (threads.isEmpty()) {
                threads.add(Thread.currentThread().getName());
            }
        }

        List<Long> sequences(int ring) {
            return byRing.get(ring);
        }
    }
}
