package org.gamercompanion.ring;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.gamercompanion.sys.Bpf;
import org.gamercompanion.sys.Mmap;

/**
 * The agent's per-ring {@code emitted} and {@code lost} counters, read straight from the mmapped
 * {@code ring_counters} array map ({@code BPF_F_MMAPABLE}, {@link EventLayout#RING_COUNT} values of
 * {@code struct gc_ring_counters}). BPF only adds to them (atomic fetch-add); every read here is an
 * acquire load, so a caller that sees {@code emitted == n} also sees what the program wrote before
 * that increment. Any thread may read. Read-only: the mapping is {@code PROT_READ}.
 */
public final class RingCounters {
    private static final VarHandle COUNTER = ValueLayout.JAVA_LONG.varHandle();
    private static final long SLOT_BYTES = EventLayout.GC_RING_COUNTERS.byteSize();
    private static final long LOST_OFFSET =
            EventLayout.GC_RING_COUNTERS.byteOffset(groupElement("lost"));

    private final MemorySegment counters;

    RingCounters(MemorySegment counters) {
        this.counters = counters;
    }

    /**
     * Counters over any segment with the map's layout (at least 16 * 64 bytes, 8-aligned): for
     * tests.
     */
    public static RingCounters over(MemorySegment counters) {
        if (counters.byteSize() < EventLayout.RING_COUNTERS_ARRAY.byteSize()) {
            throw new IllegalArgumentException(
                    "ring counters need "
                            + EventLayout.RING_COUNTERS_ARRAY.byteSize()
                            + " bytes (was "
                            + counters.byteSize()
                            + ")");
        }
        return new RingCounters(counters);
    }

    /**
     * Maps the {@code ring_counters} map read-only at offset 0 (an mmapable array map's values
     * start there). Checks from the fd that it is an mmapable array of 16 values of 64 bytes; the
     * mapping lives until {@code arena} closes. The fd stays the caller's.
     */
    public static RingCounters map(int countersFd, Arena arena) throws IOException {
        Bpf.MapInfo info = Bpf.mapInfo(countersFd);
        if (info.type() != Bpf.MAP_TYPE_ARRAY
                || (info.flags() & Bpf.F_MMAPABLE) == 0
                || info.valueSizeBytes() != SLOT_BYTES
                || info.maxEntries() != EventLayout.RING_COUNT) {
            throw new IOException(
                    "counters fd "
                            + countersFd
                            + " is not an mmapable array of "
                            + EventLayout.RING_COUNT
                            + " x "
                            + SLOT_BYTES
                            + " bytes: "
                            + info);
        }
        long lengthBytes = Mmap.roundUpToPage(EventLayout.RING_COUNTERS_ARRAY.byteSize());
        return new RingCounters(Mmap.map(countersFd, 0, lengthBytes, Mmap.PROT_READ, arena));
    }

    /** Records submitted to {@code ring} (acquire load). */
    public long emitted(int ring) {
        return (long) COUNTER.getAcquire(counters, slot(ring));
    }

    /** Reservations that failed on {@code ring} because it was full (acquire load). */
    public long lost(int ring) {
        return (long) COUNTER.getAcquire(counters, slot(ring) + LOST_OFFSET);
    }

    /** Sum of {@link #emitted} over all rings (not one atomic snapshot). */
    public long emittedTotal() {
        long total = 0;
        for (int ring = 0; ring < EventLayout.RING_COUNT; ring++) {
            total += emitted(ring);
        }
        return total;
    }

    /** Sum of {@link #lost} over all rings (not one atomic snapshot). */
    public long lostTotal() {
        long total = 0;
        for (int ring = 0; ring < EventLayout.RING_COUNT; ring++) {
            total += lost(ring);
        }
        return total;
    }

    private static long slot(int ring) {
        return Objects.checkIndex(ring, EventLayout.RING_COUNT) * SLOT_BYTES;
    }
}
