package org.gamercompanion.ring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A ring buffer in plain memory with the kernel's exact layout (consumer page; producer page then
 * the data area twice), plus a producer that follows kernel/bpf/ringbuf.c: reserve checks the space
 * against an acquire-load of consumer_pos, writes the header with BUSY and release-stores
 * producer_pos; commit exchanges the header for the length (with DISCARD if discarded). The
 * kernel's second mapping of the data pages is emulated by writing every byte through both halves.
 * The producer methods must be called from one thread.
 */
final class InMemoryRing implements AutoCloseable {
    static final long PAGE_BYTES = 4096;
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    final long ringBytes;
    final MemorySegment consumerPage;
    final MemorySegment producerPageAndData;
    final MemorySegment data;
    private final Arena arena = Arena.ofShared();
    private final long mask;
    private long producerPosition;

    InMemoryRing(long ringBytes) {
        this(ringBytes, 0);
    }

    /**
     * A ring whose consumer and producer positions both start at {@code startPosition} (8-aligned).
     */
    InMemoryRing(long ringBytes, long startPosition) {
        this.ringBytes = ringBytes;
        this.mask = ringBytes - 1;
        this.consumerPage = arena.allocate(PAGE_BYTES, PAGE_BYTES);
        this.producerPageAndData = arena.allocate(PAGE_BYTES + 2 * ringBytes, PAGE_BYTES);
        this.data = producerPageAndData.asSlice(PAGE_BYTES, 2 * ringBytes);
        this.producerPosition = startPosition;
        consumerPage.set(JAVA_LONG, 0, startPosition);
        producerPageAndData.set(JAVA_LONG, 0, startPosition);
    }

    MappedRing reader() {
        return MappedRing.over(consumerPage, producerPageAndData, PAGE_BYTES, ringBytes);
    }

    long consumerPosition() {
        return (long) LONG.getAcquire(consumerPage, 0L);
    }

    long producerPosition() {
        return producerPosition;
    }

    /**
     * Reserves a record of {@code lengthBytes}; returns its position, or -1 when the ring is full.
     */
    long reserve(int lengthBytes) {
        long recordBytes = (lengthBytes + MappedRing.HEADER_BYTES + 7L) & ~7L;
        long consumer = (long) LONG.getAcquire(consumerPage, 0L);
        long next = producerPosition + recordBytes;
        if (next - consumer > mask) {
            return -1;
        }
        long position = producerPosition;
        putInt(position, lengthBytes | MappedRing.BUSY_BIT);
        putInt(position + 4, 0);
        producerPosition = next;
        LONG.setRelease(producerPageAndData, 0L, next);
        return position;
    }

    /** Writes a gc_event payload into the record reserved at {@code position}. */
    void putEvent(
            long position,
            long startNs,
            long endNs,
            int pid,
            int tgid,
            int cpu,
            int ring,
            int kind,
            int source,
            int inputType,
            int inputCode) {
        long p = position + MappedRing.HEADER_BYTES;
        putLong(p, startNs);
        putLong(p + 8, endNs);
        putInt(p + 16, pid);
        putInt(p + 20, tgid);
        putInt(p + 24, cpu);
        putShort(p + 28, ring);
        putShort(p + 30, kind);
        putShort(p + 32, source);
        putShort(p + 34, inputType);
        putShort(p + 36, inputCode);
        putShort(p + 38, 0);
    }

    /** Fills a payload of any length with a pattern (for records that are not gc_events). */
    void putBytes(long position, int lengthBytes, byte value) {
        for (int i = 0; i < lengthBytes; i++) {
            long q = (position + MappedRing.HEADER_BYTES + i) & mask;
            data.set(JAVA_BYTE, q, value);
            data.set(JAVA_BYTE, q + ringBytes, value);
        }
    }

    /**
     * Commits the record at {@code position}: clears BUSY (sets DISCARD if asked) with a release.
     */
    void commit(long position, boolean discard) {
        long q = position & mask;
        int length = data.get(JAVA_INT, q) & ~MappedRing.BUSY_BIT;
        int committed = discard ? length | MappedRing.DISCARD_BIT : length;
        data.set(JAVA_INT, q + ringBytes, committed);
        INT.getAndSet(data, q, committed);
    }

    /** Writes a raw header word (for garbage tests) and release-stores producer_pos as given. */
    void putRawRecord(int headerWord, long advanceBytes) {
        putInt(producerPosition, headerWord);
        producerPosition += advanceBytes;
        LONG.setRelease(producerPageAndData, 0L, producerPosition);
    }

    /**
     * reserve + putEvent + commit of an event with sequence number {@code sequence} in start_ns.
     */
    long offer(long sequence, int ring) {
        long position = reserve(EventLayout.EVENT_BYTES);
        if (position >= 0) {
            putEvent(
                    position,
                    sequence,
                    sequence + 1000,
                    100,
                    200,
                    ring,
                    ring,
                    EventLayout.KIND_WAKEUP_TO_RUN,
                    EventLayout.SRC_NONE,
                    0,
                    0);
            commit(position, false);
        }
        return position;
    }

    private void putLong(long position, long value) {
        long q = position & mask;
        data.set(JAVA_LONG, q, value);
        data.set(JAVA_LONG, q + ringBytes, value);
    }

    private void putInt(long position, int value) {
        long q = position & mask;
        data.set(JAVA_INT, q, value);
        data.set(JAVA_INT, q + ringBytes, value);
    }

    private void putShort(long position, int value) {
        long q = position & mask;
        data.set(JAVA_SHORT, q, (short) value);
        data.set(JAVA_SHORT, q + ringBytes, (short) value);
    }

    @Override
    public void close() {
        arena.close();
    }
}
