package org.gamercompanion.ring;

import java.lang.foreign.MemorySegment;

/**
 * Receives the events of the 16 rings, on the ring reader's thread only (see {@link RingReader}):
 * an implementation needs no synchronisation of its own state and may be the single writer of
 * everything downstream.
 *
 * <p>{@code data} is the ring's mapped data area and is only valid during the call: copy out the
 * fields with the {@link EventLayout} accessors, never keep the segment or the offset: after the
 * call returns the kernel may reuse the record's space for new data.
 */
@FunctionalInterface
public interface RingEventHandler {
    /**
     * One {@code struct gc_event} at {@code offset} of {@code data} (after the 8-byte record
     * header).
     *
     * @param ring the ring index 0..15 the record was read from
     */
    void onEvent(MemorySegment data, long offset, int ring);

    /** After a pass over all rings that delivered at least one event: flush or publish here. */
    default void onBatchEnd() {}

    /** On the reader thread, before its first pass. */
    default void onStart() {}

    /** On the reader thread, after its last pass. */
    default void onShutdown() {}
}
