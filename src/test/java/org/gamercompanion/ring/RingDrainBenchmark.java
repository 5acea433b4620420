package org.gamercompanion.ring;

import com.sun.management.ThreadMXBean;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.gamercompanion.sys.Fds;
import org.gamercompanion.sys.KernelMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Drain-rate measurements, printed, never asserted (run with {@code -Dgc.bench=true}). The handler
 * reads two fields, like the C reference ({@code BENCH CONSUME 0}: libbpf ring_buffer__consume with
 * a callback that reads two fields). Rates on a shared 2-core VM vary; compare within one run.
 */
@EnabledIfSystemProperty(named = "gc.bench", matches = "true")
class RingDrainBenchmark {
    private static final int RING_BYTES = 4 * 1024 * 1024;

    /** Sums latencies so the JIT cannot drop the reads. */
    static final class TwoFieldReader implements RingEventHandler {
        long sum;

        @Override
        public void onEvent(MemorySegment data, long offset, int ring) {
            sum += EventLayout.endNs(data, offset) - EventLayout.startNs(data, offset);
        }
    }

    @Test
    void inMemoryRingDrainRate() {
        try (InMemoryRing memory = new InMemoryRing(RING_BYTES)) {
            int records = 0;
            while (memory.offer(records, 0) >= 0) {
                records++;
            }
            TwoFieldReader handler = new TwoFieldReader();
            long allocatedBefore = 0;
            for (int round = 0; round < 60; round++) {
                memory.consumerPage.set(ValueLayout.JAVA_LONG, 0, 0L);
                MappedRing ring = memory.reader();
                if (round == 50) {
                    allocatedBefore = allocatedBytes();
                }
                long start = System.nanoTime();
                int drained = ring.drain(handler, 0, Integer.MAX_VALUE);
                long elapsed = System.nanoTime() - start;
                if (round >= 50) {
                    System.out.printf(
                            "in-memory: %d records in %.2f ms = %.1f M records/s (%.2f ns/record)%n",
                            drained,
                            elapsed / 1e6,
                            drained * 1e3 / elapsed,
                            (double) elapsed / drained);
                }
            }
            System.out.printf(
                    "in-memory: %d bytes allocated over the last 10 rounds (incl. 10 MappedRing objects)%n",
                    allocatedBytes() - allocatedBefore);
            System.out.println("checksum " + handler.sum);
        }
    }

    @Test
    void kernelRingsDrainRate() throws Exception {
        int[] ringFds = new int[EventLayout.RING_COUNT];
        Arrays.fill(ringFds, -1);
        int countersFd = -1;
        BpfRingWriter[] writers = new BpfRingWriter[EventLayout.RING_COUNT];
        try {
            for (int ring = 0; ring < ringFds.length; ring++) {
                ringFds[ring] = KernelMaps.ringbuf(RING_BYTES, "rb_" + ring);
                writers[ring] = BpfRingWriter.load(ringFds[ring]);
            }
            countersFd = KernelMaps.mmapableArray(64, EventLayout.RING_COUNT, "ring_counters");
            TwoFieldReader handler = new TwoFieldReader();
            try (RingReader reader = RingReader.open(ringFds, countersFd, RING_BYTES, handler, 5)) {
                for (int round = 0; round < 6; round++) {
                    long fillStart = System.nanoTime();
                    int filled = 0;
                    for (int ring = 0; ring < ringFds.length; ring++) {
                        while (writers[ring].write(filled, filled + 7, 1, 1, ring, ring, 0)) {
                            filled++;
                        }
                    }
                    long fillNs = System.nanoTime() - fillStart;
                    long allocatedBefore = allocatedBytes();
                    long start = System.nanoTime();
                    int drained = reader.drainAllOnce();
                    long elapsed = System.nanoTime() - start;
                    long allocated = allocatedBytes() - allocatedBefore;
                    System.out.printf(
                            "kernel rings: filled %d records (%.0f ns each via BPF_PROG_TEST_RUN); "
                                    + "drained %d in %.2f ms = %.1f M records/s (%.2f ns/record), %d bytes allocated%n",
                            filled,
                            (double) fillNs / filled,
                            drained,
                            elapsed / 1e6,
                            drained * 1e3 / elapsed,
                            (double) elapsed / drained,
                            allocated);
                }
            }
            System.out.println("checksum " + handler.sum);
        } finally {
            Arrays.stream(writers).filter(w -> w != null).forEach(BpfRingWriter::close);
            Arrays.stream(ringFds).forEach(Fds::close);
            Fds.close(countersFd);
        }
    }

    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
