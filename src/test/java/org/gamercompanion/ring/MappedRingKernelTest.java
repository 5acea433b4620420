package org.gamercompanion.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.stream.LongStream;
import org.gamercompanion.sys.Fds;
import org.gamercompanion.sys.KernelMaps;
import org.gamercompanion.sys.Mmap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MappedRing over a real kernel ring buffer, filled by the kernel's bpf_ringbuf_output. */
class MappedRingKernelTest {
    private int ringFd = -1;

    @AfterEach
    void closeRing() {
        Fds.close(ringFd);
    }

    @BeforeEach
    void createSmallestRing() throws Exception {
        ringFd = KernelMaps.ringbuf((int) Mmap.pageSize(), "test_rb");
    }

    @Test
    void kernelRecordsDecodeIncludingOnesThatWrapPastTheEndOfTheDataArea() throws Exception {
        long ringBytes = Mmap.pageSize();
        int perFill = (int) (ringBytes / 48) - 1;
        try (Arena arena = Arena.ofShared();
                BpfRingWriter writer = BpfRingWriter.load(ringFd)) {
            MappedRing ring = MappedRing.map(ringFd, ringBytes, arena);
            MappedRingTest.Collector collector = new MappedRingTest.Collector();
            long sequence = 0;
            // Three fills of a one-page ring: positions wrap twice, some records straddle the end.
            for (int fill = 0; fill < 3; fill++) {
                for (int i = 0; i < perFill; i++, sequence++) {
                    assertThat(
                                    writer.write(
                                            sequence,
                                            sequence + 5,
                                            1,
                                            2,
                                            3,
                                            4,
                                            EventLayout.KIND_PREEMPT_TO_RUN))
                            .isTrue();
                }
                assertThat(ring.drain(collector, 4, Integer.MAX_VALUE)).isEqualTo(perFill);
            }

            assertThat(collector.sequences())
                    .hasSize(3 * perFill)
                    .isEqualTo(LongStream.range(0, sequence).boxed().toList());
            assertThat(collector.events)
                    .allSatisfy(
                            e -> {
                                assertThat(e.endNs() - e.startNs()).isEqualTo(5);
                                assertThat(e.kind()).isEqualTo(EventLayout.KIND_PREEMPT_TO_RUN);
                                assertThat(e.ring()).isEqualTo(4);
                            });
            assertThat(ring.consumerPosition())
                    .isEqualTo(3L * perFill * 48)
                    .isGreaterThan(2 * ringBytes);
            assertThat(ring.pendingBytes()).isZero();
            assertThat(ring.malformed()).isZero();
        }
    }

    @Test
    void fullRingLosesRecordsUntilTheReaderPublishesItsPosition() throws Exception {
        long ringBytes = Mmap.pageSize();
        try (Arena arena = Arena.ofShared();
                BpfRingWriter writer = BpfRingWriter.load(ringFd)) {
            MappedRing ring = MappedRing.map(ringFd, ringBytes, arena);
            int written = 0;
            while (writer.write(written, written, 0, 0, 0, 0, 0)) {
                written++;
            }

            assertThat(written).isEqualTo((int) (ringBytes / 48));
            assertThat(ring.drain(new MappedRingTest.Collector(), 0, Integer.MAX_VALUE))
                    .isEqualTo(written);
            assertThat(writer.write(0, 0, 0, 0, 0, 0, 0)).isTrue();
        }
    }

    @Test
    void mapRefusesARingOfAnotherSizeThanAnnounced() {
        try (Arena arena = Arena.ofShared()) {
            assertThatThrownBy(() -> MappedRing.map(ringFd, 2 * Mmap.pageSize(), arena))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(
                            "is not a ring buffer of " + 2 * Mmap.pageSize() + " bytes");
        }
    }
}
