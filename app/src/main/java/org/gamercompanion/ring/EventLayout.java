package org.gamercompanion.ring;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Java mirror of {@code native-agent/include/gamer_events.h}: {@code struct gc_event} and
 * {@code struct gc_ring_counters} as one {@link MemoryLayout} each (native byte order), the
 * constants, and plain-read accessors for a {@code gc_event} at an offset of a segment. {@code
 * EventLayoutTest} compares every size, offset and constant with the values the native build
 * extracts from the header, so the two cannot drift apart silently.
 *
 * <p>The C fields are unsigned; the accessors return them in an {@code int}. {@code __u16} fields
 * are zero-extended. {@code __u32} fields (pid, tgid, cpu) are returned as stored: Linux pids are
 * at most 2^22 and CPU numbers far below 2^31, so they are never negative in practice.
 *
 * <p>The accessors are plain reads. They are safe on ring data because the reader's acquire-load of
 * the record header (see {@link MappedRing}) orders them after the producer's commit.
 */
public final class EventLayout {
    /** Number of sample rings; a handler on CPU c writes to ring {@code c % RING_COUNT}. */
    public static final int RING_COUNT = 16;

    public static final int KIND_WAKEUP_TO_RUN = 0;
    public static final int KIND_PREEMPT_TO_RUN = 1;
    public static final int KIND_INPUT_TO_RUN = 2;
    public static final int KIND_COUNT = 3;

    public static final int SRC_NONE = 0;
    public static final int SRC_FENTRY = 1;
    public static final int SRC_KPROBE = 2;
    public static final int SRC_SYNTHETIC = 3;

    public static final int EV_KEY = 0x01;
    public static final int EV_REL = 0x02;
    public static final int EV_ABS = 0x03;

    /** Default, smallest and largest ring data area in bytes (power of two, page multiple). */
    public static final int RING_BYTES_DEFAULT = 512 * 1024;

    public static final int RING_BYTES_MIN = 64 * 1024;
    public static final int RING_BYTES_MAX = 64 * 1024 * 1024;

    /** {@code struct gc_event}: 40 bytes. */
    public static final StructLayout GC_EVENT =
            MemoryLayout.structLayout(
                            ValueLayout.JAVA_LONG.withName("start_ns"),
                            ValueLayout.JAVA_LONG.withName("end_ns"),
                            ValueLayout.JAVA_INT.withName("pid"),
                            ValueLayout.JAVA_INT.withName("tgid"),
                            ValueLayout.JAVA_INT.withName("cpu"),
                            ValueLayout.JAVA_SHORT.withName("ring"),
                            ValueLayout.JAVA_SHORT.withName("kind"),
                            ValueLayout.JAVA_SHORT.withName("source"),
                            ValueLayout.JAVA_SHORT.withName("input_type"),
                            ValueLayout.JAVA_SHORT.withName("input_code"),
                            ValueLayout.JAVA_SHORT.withName("reserved"))
                    .withName("gc_event");

    /** {@code struct gc_ring_counters}: 64 bytes, one cache line per ring. */
    public static final StructLayout GC_RING_COUNTERS =
            MemoryLayout.structLayout(
                            ValueLayout.JAVA_LONG.withName("emitted"),
                            ValueLayout.JAVA_LONG.withName("lost"),
                            MemoryLayout.sequenceLayout(6, ValueLayout.JAVA_LONG)
                                    .withName("reserved"))
                    .withName("gc_ring_counters");

    /** The {@code ring_counters} array map's values: {@link #RING_COUNT} counters back to back. */
    public static final SequenceLayout RING_COUNTERS_ARRAY =
            MemoryLayout.sequenceLayout(RING_COUNT, GC_RING_COUNTERS);

    /** Bytes of one {@code gc_event}: the only record length the reader accepts. */
    public static final int EVENT_BYTES = (int) GC_EVENT.byteSize();

    // Plain (unaligned-layout) handles plus the field offsets taken from GC_EVENT: records are
    // 8-aligned anyway, and the layout's own aligned handles add an alignment check to every field
    // read, which cost about 10% of the drain rate in RingDrainBenchmark.
    private static final VarHandle U64 = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    private static final VarHandle U32 = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final VarHandle U16 = ValueLayout.JAVA_SHORT_UNALIGNED.varHandle();
    private static final long START_NS = offsetOf("start_ns");
    private static final long END_NS = offsetOf("end_ns");
    private static final long PID = offsetOf("pid");
    private static final long TGID = offsetOf("tgid");
    private static final long CPU = offsetOf("cpu");
    private static final long RING = offsetOf("ring");
    private static final long KIND = offsetOf("kind");
    private static final long SOURCE = offsetOf("source");
    private static final long INPUT_TYPE = offsetOf("input_type");
    private static final long INPUT_CODE = offsetOf("input_code");

    private EventLayout() {}

    public static long startNs(MemorySegment seg, long offset) {
        return (long) U64.get(seg, offset + START_NS);
    }

    public static long endNs(MemorySegment seg, long offset) {
        return (long) U64.get(seg, offset + END_NS);
    }

    public static int pid(MemorySegment seg, long offset) {
        return (int) U32.get(seg, offset + PID);
    }

    public static int tgid(MemorySegment seg, long offset) {
        return (int) U32.get(seg, offset + TGID);
    }

    public static int cpu(MemorySegment seg, long offset) {
        return (int) U32.get(seg, offset + CPU);
    }

    public static int ring(MemorySegment seg, long offset) {
        return Short.toUnsignedInt((short) U16.get(seg, offset + RING));
    }

    public static int kind(MemorySegment seg, long offset) {
        return Short.toUnsignedInt((short) U16.get(seg, offset + KIND));
    }

    public static int source(MemorySegment seg, long offset) {
        return Short.toUnsignedInt((short) U16.get(seg, offset + SOURCE));
    }

    public static int inputType(MemorySegment seg, long offset) {
        return Short.toUnsignedInt((short) U16.get(seg, offset + INPUT_TYPE));
    }

    public static int inputCode(MemorySegment seg, long offset) {
        return Short.toUnsignedInt((short) U16.get(seg, offset + INPUT_CODE));
    }

    // The wide reads: five 8-byte loads per record instead of ten field loads. Each load through
    // the memory API carries a bounds check (and, unless the JIT can hoist it out of the caller's
    // loop, a liveness check of the mapping), so fewer loads mean fewer checks. The field's place
    // in its word depends on the byte order, so the shifts are derived from the layout.
    private static final long PID_WORD = PID;
    private static final long CPU_WORD = CPU;
    private static final long SOURCE_WORD = SOURCE;
    private static final int TGID_SHIFT = shift(TGID, PID_WORD, 4);
    private static final int PID_SHIFT = shift(PID, PID_WORD, 4);
    private static final int CPU_SHIFT = shift(CPU, CPU_WORD, 4);
    private static final int RING_SHIFT = shift(RING, CPU_WORD, 2);
    private static final int KIND_SHIFT = shift(KIND, CPU_WORD, 2);
    private static final int SOURCE_SHIFT = shift(SOURCE, SOURCE_WORD, 2);
    private static final int INPUT_TYPE_SHIFT = shift(INPUT_TYPE, SOURCE_WORD, 2);
    private static final int INPUT_CODE_SHIFT = shift(INPUT_CODE, SOURCE_WORD, 2);

    /**
     * pid and tgid in one 8-byte load; take them apart with {@link #pid(long)}, {@link
     * #tgid(long)}.
     */
    public static long pidWord(MemorySegment seg, long offset) {
        return (long) U64.get(seg, offset + PID_WORD);
    }

    /**
     * cpu, ring and kind in one 8-byte load: {@link #cpu(long)}, {@link #ring(long)}, {@link
     * #kind(long)}.
     */
    public static long cpuWord(MemorySegment seg, long offset) {
        return (long) U64.get(seg, offset + CPU_WORD);
    }

    /**
     * source, input_type, input_code (and the reserved field) in one 8-byte load: {@link
     * #source(long)}, {@link #inputType(long)}, {@link #inputCode(long)}.
     */
    public static long sourceWord(MemorySegment seg, long offset) {
        return (long) U64.get(seg, offset + SOURCE_WORD);
    }

    public static int pid(long pidWord) {
        return (int) (pidWord >>> PID_SHIFT);
    }

    public static int tgid(long pidWord) {
        return (int) (pidWord >>> TGID_SHIFT);
    }

    public static int cpu(long cpuWord) {
        return (int) (cpuWord >>> CPU_SHIFT);
    }

    public static int ring(long cpuWord) {
        return (int) (cpuWord >>> RING_SHIFT) & 0xffff;
    }

    public static int kind(long cpuWord) {
        return (int) (cpuWord >>> KIND_SHIFT) & 0xffff;
    }

    public static int source(long sourceWord) {
        return (int) (sourceWord >>> SOURCE_SHIFT) & 0xffff;
    }

    public static int inputType(long sourceWord) {
        return (int) (sourceWord >>> INPUT_TYPE_SHIFT) & 0xffff;
    }

    public static int inputCode(long sourceWord) {
        return (int) (sourceWord >>> INPUT_CODE_SHIFT) & 0xffff;
    }

    /** Bit position in the 8-byte word at {@code word} of the field at {@code field}. */
    private static int shift(long field, long word, int fieldBytes) {
        long at = field - word;
        if (at < 0 || at + fieldBytes > Long.BYTES) {
            throw new AssertionError("field at " + field + " is not in the word at " + word);
        }
        return (int)
                (8
                        * (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                                ? at
                                : Long.BYTES - at - fieldBytes));
    }

    /** Byte offset of a {@code gc_event} field, e.g. {@code offsetOf("kind")} is 30. */
    public static long offsetOf(String field) {
        return GC_EVENT.byteOffset(groupElement(field));
    }
}
