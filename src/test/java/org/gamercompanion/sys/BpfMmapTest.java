package org.gamercompanion.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * mmap of a real BPF ring buffer map: the layout the ring reader relies on, checked on this kernel.
 */
class BpfMmapTest {
    private static final int RING_BYTES = 64 * 1024;
    private int ringFd = -1;

    @BeforeEach
    void createRing() throws Exception {
        ringFd = KernelMaps.ringbuf(RING_BYTES, "test_rb");
    }

    @AfterEach
    void closeRing() {
        Fds.close(ringFd);
    }

    @Test
    void mapInfoReadsTheRingTypeAndSizeFromTheFd() throws Exception {
        Bpf.MapInfo info = Bpf.mapInfo(ringFd);

        assertThat(info.type()).isEqualTo(Bpf.MAP_TYPE_RINGBUF);
        assertThat(info.maxEntries()).isEqualTo(RING_BYTES);
        assertThat(info.name()).isEqualTo("test_rb");
        assertThat(info.id()).isPositive();
    }

    @Test
    void consumerPageIsWritableAndConsumerPositionStartsAtZero() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment consumer =
                    Mmap.map(ringFd, 0, Mmap.pageSize(), Mmap.PROT_READ | Mmap.PROT_WRITE, arena);

            assertThat(consumer.byteSize()).isEqualTo(Mmap.pageSize());
            assertThat(consumer.get(JAVA_LONG, 0)).isZero();
            consumer.set(JAVA_LONG, 0, 0L);
        }
    }

    @Test
    void producerPageAndTheDataAreaTwiceMapReadOnlyWithExactSizes() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            long length = Mmap.pageSize() + 2L * RING_BYTES;
            MemorySegment producer =
                    Mmap.map(ringFd, Mmap.pageSize(), length, Mmap.PROT_READ, arena);

            assertThat(producer.byteSize()).isEqualTo(length);
            assertThat(producer.get(JAVA_LONG, 0)).isZero();
            MemorySegment data = producer.asSlice(Mmap.pageSize());
            assertThat(data.get(JAVA_INT, RING_BYTES - 4))
                    .isEqualTo(data.get(JAVA_INT, 2L * RING_BYTES - 4));
        }
    }

    @Test
    void producerPageCannotBeMappedWritable() {
        try (Arena arena = Arena.ofShared()) {
            assertThatThrownBy(
                            () ->
                                    Mmap.map(
                                            ringFd,
                                            Mmap.pageSize(),
                                            Mmap.pageSize(),
                                            Mmap.PROT_READ | Mmap.PROT_WRITE,
                                            arena))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("mmap(fd " + ringFd + ", offset " + Mmap.pageSize())
                    .hasMessageContaining("PROT_READ|PROT_WRITE): EPERM");
        }
    }

    @Test
    void mappingMoreThanTwiceTheDataAreaIsRefused() {
        try (Arena arena = Arena.ofShared()) {
            assertThatThrownBy(
                            () ->
                                    Mmap.map(
                                            ringFd,
                                            Mmap.pageSize(),
                                            2 * Mmap.pageSize() + 2L * RING_BYTES,
                                            Mmap.PROT_READ,
                                            arena))
                    .isInstanceOf(ErrnoException.class);
        }
    }

    @Test
    void closingTheArenaUnmapsAndLaterAccessFailsCleanly() throws Exception {
        Arena arena = Arena.ofShared();
        MemorySegment consumer = Mmap.map(ringFd, 0, Mmap.pageSize(), Mmap.PROT_READ, arena);
        arena.close();

        assertThatThrownBy(() -> consumer.get(JAVA_LONG, 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pageSizeIsAPowerOfTwo() {
        assertThat(Long.bitCount(Mmap.pageSize())).isEqualTo(1);
        assertThat(Mmap.roundUpToPage(1)).isEqualTo(Mmap.pageSize());
        assertThat(Mmap.roundUpToPage(16 * 64)).isEqualTo(Mmap.pageSize());
    }

    @Test
    void mapInfoOfANonBpfFdIsEinval() throws Exception {
        try (EventFd notAMap = EventFd.create()) {
            assertThatThrownBy(() -> Bpf.mapInfo(notAMap.fd()))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("BPF_OBJ_GET_INFO_BY_FD(fd " + notAMap.fd() + ")")
                    .hasMessageContaining("EINVAL");
        }
    }
}
