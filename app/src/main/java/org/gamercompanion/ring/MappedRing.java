package org.gamercompanion.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.gamercompanion.sys.Bpf;
import org.gamercompanion.sys.Mmap;

/**
 * The consumer side of one BPF ring buffer ({@code BPF_MAP_TYPE_RINGBUF}), read in place with the
 * kernel's protocol (kernel/bpf/ringbuf.c, libbpf's ringbuf.c). The memory, as the kernel maps it:
 *
 * <pre>
 *  fd offset 0          consumer page   read-write  consumer_pos (u64) at offset 0
 *  fd offset pagesize   producer page   read-only   producer_pos (u64) at offset 0
 *  + pagesize           data area       read-only   ringBytes, then the same pages again
 * </pre>
 *
 * The data pages are mapped twice back to back, so a record that wraps past the end of the area is
 * contiguous in memory and is read without any special case.
 *
 * <p>Each record is an 8-byte header ({@code u32 len}, {@code u32 pg_off}) and {@code len} bytes,
 * padded to 8. The producer reserves by advancing {@code producer_pos} with a release store and
 * writes the header with {@link #BUSY_BIT} set; the commit clears BUSY (and sets {@link
 * #DISCARD_BIT} for a discarded record) with an atomic exchange. So {@link #drain}:
 *
 * <ol>
 *   <li>acquire-loads {@code consumer_pos} from the consumer page (never a cached copy: another
 *       consumer of the same fd, such as the agent's libbpf benchmark, may have moved it, and
 *       writing back a stale position would move it backwards and make the kernel see a full ring
 *       forever),
 *   <li>acquire-loads {@code producer_pos} (everything up to it is reserved),
 *   <li>at {@code consumer_pos}, acquire-loads the length word: BUSY means not committed yet, so
 *       the drain stops there (records after it may be committed but must wait: order is kept); the
 *       acquire orders the payload reads after the commit,
 *   <li>skips a DISCARD record, hands a 40-byte record to the handler, counts any other length as
 *       {@link #malformed()} and skips it,
 *   <li>advances by {@code roundup(len + 8, 8)} and finally release-stores {@code consumer_pos}, so
 *       the kernel reuses the space only after our reads.
 * </ol>
 *
 * libbpf release-stores {@code consumer_pos} after every record; this reader publishes it once at
 * the end of a drain, and early whenever a quarter of the ring has been consumed since the last
 * store, so a long drain still frees space for the producer. Why: every reservation on every
 * producing CPU reads that cache line, so a store per record would pull the line back and forth.
 *
 * <p>Speed: about 3.4 ns per record on this 2-core VM (RingDrainBenchmark, handler reading two
 * fields), against 3.3 ns for libbpf's {@code ring_buffer__consume}; keep the handler a single
 * class at the call site so the JIT inlines it into the loop.
 *
 * <p>A length word that would run past {@code producer_pos} cannot come from the kernel; it is
 * counted as malformed and the reader resynchronises at {@code producer_pos} rather than crash or
 * push {@code consumer_pos} past the producer.
 *
 * <p>Threads: {@link #drain} must only ever be called by one thread (the consumer); {@link
 * #consumed()}, {@link #malformed()} and {@link #consumerPosition()} may be read from any thread.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofShared()) {
 *     MappedRing ring = MappedRing.map(ringFd, 512 * 1024, arena);
 *     int records = ring.drain((data, offset, index) -> {
 *         long latencyNs = EventLayout.endNs(data, offset) - EventLayout.startNs(data, offset);
 *     }, 0, Integer.MAX_VALUE);
 * }
 * }</pre>
 */
final class MappedRing {
    /** Header bit: the record is reserved but not committed yet. */
    public static final int BUSY_BIT = 1 << 31;

    /** Header bit: the record was discarded; skip it. */
    public static final int DISCARD_BIT = 1 << 30;

    /** Bytes of the record header ({@code struct bpf_ringbuf_hdr}). */
    public static final int HEADER_BYTES = 8;

    /** Bytes of a committed {@code gc_event} record in the ring: header and payload, 8-aligned. */
    private static final long EVENT_RECORD_BYTES =
            (HEADER_BYTES + EventLayout.EVENT_BYTES + 7) & ~7L;

    /** Events per {@link RingBatchHandler#onEvents} call at most (3 KiB of records). */
    public static final int CHUNK_EVENTS = 64;

    private static final int LENGTH_MASK = ~(BUSY_BIT | DISCARD_BIT);
    private static final VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle HEADER = ValueLayout.JAVA_INT.varHandle();

    // drainChunks: plain reads of the headers (no alignment check: headers are 8-aligned by the
    // protocol), made acquire reads by the fence after each chunk's scan.
    private static final VarHandle HEADER_PLAIN = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final VarHandle CONSUMED;
    private static final VarHandle MALFORMED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMED = lookup.findVarHandle(MappedRing.class, "consumed", long.class);
            MALFORMED = lookup.findVarHandle(MappedRing.class, "malformed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long ringBytes;
    private final long mask;
    private final long publishEveryBytes;

    /** drainChunks' event offsets: one chunk at a time, consumer thread only. */
    private final long[] chunk = new long[CHUNK_EVENTS];

    // Written only by the draining thread; release stores so other threads read them with acquire.
    private long consumed;
    private long malformed;

    private MappedRing(
            MemorySegment consumerPage,
            MemorySegment producerPage,
            MemorySegment data,
            long ringBytes) {
        this.consumerPage = consumerPage;
        this.producerPage = producerPage;
        this.data = data;
        this.ringBytes = ringBytes;
        this.mask = ringBytes - 1;
        this.publishEveryBytes = ringBytes / 4;
    }

    /**
     * A ring over any two segments with the kernel's layout: {@code consumerPage} holds {@code
     * consumer_pos} at offset 0; {@code producerPageAndData} is the producer page ({@code
     * producer_pos} at offset 0) followed, at {@code pageSizeBytes}, by the data area twice ({@code
     * 2 * ringBytes}). Reading starts at the {@code consumer_pos} found there. Tests build
     * in-memory rings this way; both segments must be 8-byte aligned (native memory is).
     */
    public static MappedRing over(
            MemorySegment consumerPage,
            MemorySegment producerPageAndData,
            long pageSizeBytes,
            long ringBytes) {
        if (ringBytes <= 0 || Long.bitCount(ringBytes) != 1 || ringBytes % pageSizeBytes != 0) {
            throw new IllegalArgumentException(
                    "ring data area must be a power of two and a page multiple (was "
                            + ringBytes
                            + " bytes)");
        }
        if (producerPageAndData.byteSize() < pageSizeBytes + 2 * ringBytes) {
            throw new IllegalArgumentException(
                    "producer page and double-mapped data need "
                            + (pageSizeBytes + 2 * ringBytes)
                            + " bytes (was "
                            + producerPageAndData.byteSize()
                            + ")");
        }
        return new MappedRing(
                consumerPage.asSlice(0, Long.BYTES),
                producerPageAndData.asSlice(0, Long.BYTES),
                producerPageAndData.asSlice(pageSizeBytes, 2 * ringBytes),
                ringBytes);
    }

    /**
     * Maps ring buffer map {@code ringFd}: the consumer page read-write at offset 0, the producer
     * page and the data area twice read-only at offset pagesize (the kernel refuses write mappings
     * there with EPERM). Checks from the fd itself that it is a ring buffer of {@code ringBytes}.
     * The mappings live until {@code arena} closes; the fd stays the caller's.
     */
    public static MappedRing map(int ringFd, long ringBytes, Arena arena) throws IOException {
        Bpf.MapInfo info = Bpf.mapInfo(ringFd);
        if (info.type() != Bpf.MAP_TYPE_RINGBUF || info.maxEntries() != ringBytes) {
            throw new IOException(
                    "ring fd "
                            + ringFd
                            + " is not a ring buffer of "
                            + ringBytes
                            + " bytes: "
                            + info);
        }
        long page = Mmap.pageSize();
        MemorySegment consumer = Mmap.map(ringFd, 0, page, Mmap.PROT_READ | Mmap.PROT_WRITE, arena);
        MemorySegment producerAndData =
                Mmap.map(ringFd, page, page + 2 * ringBytes, Mmap.PROT_READ, arena);
        return over(consumer, producerAndData, page, ringBytes);
    }

    /**
     * Consumes committed records, in order, up to the first not-yet-committed one or until {@code
     * maxRecords} records were consumed; hands each 40-byte record to {@code handler}. Returns the
     * number of records consumed (delivered or malformed; discarded ones do not count). If the
     * handler throws, the record is still consumed, {@code consumer_pos} is published and the
     * exception propagates. Single consumer thread only.
     *
     * @param ringIndex passed to the handler as its {@code ring} argument
     */
    public int drain(RingEventHandler handler, int ringIndex, int maxRecords) {
        final MemorySegment data = this.data;
        final long mask = this.mask;
        long position = (long) POSITION.getAcquire(consumerPage, 0L);
        long published = position;
        long producerPosition = position;
        int records = 0;
        long malformedRecords = 0;
        try {
            drain:
            while (records < maxRecords) {
                if (position >= producerPosition) {
                    producerPosition = (long) POSITION.getAcquire(producerPage, 0L);
                    if (position >= producerPosition) {
                        break;
                    }
                }
                // One bound for the inner loop: the producer position or the next early
                // publication.
                long stop = Math.min(producerPosition, published + publishEveryBytes);
                while (position < stop) {
                    long at = position & mask;
                    int header = (int) HEADER.getAcquire(data, at);
                    if ((header & BUSY_BIT) != 0) {
                        break drain;
                    }
                    long recordBytes = ((header & LENGTH_MASK) + (long) HEADER_BYTES + 7) & ~7L;
                    if (recordBytes > producerPosition - position) {
                        malformedRecords++;
                        position = producerPosition;
                        break drain;
                    }
                    position += recordBytes;
                    if ((header & DISCARD_BIT) == 0) {
                        records++;
                        if ((header & LENGTH_MASK) == EventLayout.EVENT_BYTES) {
                            handler.onEvent(data, at + HEADER_BYTES, ringIndex);
                        } else {
                            malformedRecords++;
                        }
                        if (records >= maxRecords) {
                            break drain;
                        }
                    }
                }
                if (position - published >= publishEveryBytes) {
                    POSITION.setRelease(consumerPage, 0L, position);
                    published = position;
                }
            }
        } finally {
            finish(position, published, records, malformedRecords);
        }
        return records;
    }

    /**
     * {@link #drain} for a {@link RingBatchHandler}: the same protocol and result, with the events
     * handed over in chunks of up to {@value #CHUNK_EVENTS}. Per chunk, the headers are read with
     * plain loads and then one {@link VarHandle#acquireFence()} orders them before every payload
     * read of the chunk: a load followed by an acquire fence is an acquire load (each header is
     * read once per drain, so a plain load cannot be served from an older one). With one barrier
     * per chunk instead of one per record the JIT keeps the segment's bounds and liveness state in
     * registers across both loops, and the header loads need no alignment check (the protocol
     * aligns them to 8). If the handler throws, the whole chunk counts as consumed, {@code
     * consumer_pos} is published and the exception propagates.
     */
    public int drainChunks(RingBatchHandler handler, int ringIndex, int maxRecords) {
        final MemorySegment data = this.data;
        final long mask = this.mask;
        final long[] offsets = this.chunk;
        long position = (long) POSITION.getAcquire(consumerPage, 0L);
        long published = position;
        long producerPosition = position;
        int records = 0;
        long malformedRecords = 0;
        try {
            while (records < maxRecords) {
                if (position >= producerPosition) {
                    producerPosition = (long) POSITION.getAcquire(producerPage, 0L);
                    if (position >= producerPosition) {
                        break;
                    }
                }
                long stop = Math.min(producerPosition, published + publishEveryBytes);
                int count = 0;
                boolean busy = false;
                while (position < stop && count < CHUNK_EVENTS && records < maxRecords) {
                    long at = position & mask;
                    int header = (int) HEADER_PLAIN.get(data, at);
                    // The common record first, with its size as a constant: the next header's
                    // address then waits for this header's load only through a predicted branch,
                    // not through the loaded length, so the CPU reads ahead several records.
                    if (header == EventLayout.EVENT_BYTES
                            && EVENT_RECORD_BYTES <= producerPosition - position) {
                        position += EVENT_RECORD_BYTES;
                        records++;
                        offsets[count++] = at + HEADER_BYTES;
                        continue;
                    }
                    if ((header & BUSY_BIT) != 0) {
                        busy = true;
                        break;
                    }
                    long recordBytes = ((header & LENGTH_MASK) + (long) HEADER_BYTES + 7) & ~7L;
                    if (recordBytes > producerPosition - position) {
                        malformedRecords++;
                        position = producerPosition;
                        busy = true; // resynchronised at the producer: nothing more this drain
                        break;
                    }
                    position += recordBytes;
                    if ((header & DISCARD_BIT) == 0) {
                        records++;
                        if ((header & LENGTH_MASK) == EventLayout.EVENT_BYTES) {
                            offsets[count++] = at + HEADER_BYTES;
                        } else {
                            malformedRecords++;
                        }
                    }
                }
                VarHandle.acquireFence();
                if (count != 0) {
                    handler.onEvents(data, offsets, count, ringIndex);
                }
                if (position - published >= publishEveryBytes) {
                    POSITION.setRelease(consumerPage, 0L, position);
                    published = position;
                }
                if (busy) {
                    break;
                }
            }
        } finally {
            finish(position, published, records, malformedRecords);
        }
        return records;
    }

    /**
     * The end of a drain, normal or by a handler's exception: frees what was read for the producer
     * (release: the records' reads happen before the producer may reuse their bytes) and publishes
     * the counters (release: {@link #consumed()} and {@link #malformed()} are read by other
     * threads).
     */
    private void finish(long position, long published, long records, long malformedRecords) {
        if (position != published) {
            POSITION.setRelease(consumerPage, 0L, position);
        }
        if (records != 0) {
            CONSUMED.setRelease(this, consumed + records);
        }
        if (malformedRecords != 0) {
            MALFORMED.setRelease(this, malformed + malformedRecords);
        }
    }

    /** Records consumed so far (delivered plus malformed), acquire load: any thread. */
    public long consumed() {
        return (long) CONSUMED.getAcquire(this);
    }

    /**
     * Records skipped because their length was not {@link EventLayout#EVENT_BYTES}, or garbage; any
     * thread.
     */
    public long malformed() {
        return (long) MALFORMED.getAcquire(this);
    }

    /** The published {@code consumer_pos}, acquire load: any thread. */
    long consumerPosition() {
        return (long) POSITION.getAcquire(consumerPage, 0L);
    }

    /** The kernel's producer position, acquire load: any thread. */
    long producerPosition() {
        return (long) POSITION.getAcquire(producerPage, 0L);
    }

    /** Bytes of the data area (the map's {@code max_entries}). */
    public long ringBytes() {
        return ringBytes;
    }

    /**
     * Committed or reserved bytes not consumed yet (producer minus consumer position); any thread.
     */
    long pendingBytes() {
        return producerPosition() - consumerPosition();
    }
}
