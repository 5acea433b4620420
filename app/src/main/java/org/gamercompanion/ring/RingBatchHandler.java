package org.gamercompanion.ring;

import java.lang.foreign.MemorySegment;

/**
 * A {@link RingEventHandler} that takes committed events in chunks of up to {@value
 * MappedRing#CHUNK_EVENTS}, so the per-event loop is its own code: the JIT compiles the decoding
 * and recording into that loop, where a call per event into a handler is often not inlined (a
 * handler that was compiled on its own first is "already compiled into a big method"). The {@link
 * RingReader} uses {@link #onEvents} for a handler of this type and never calls {@link #onEvent}.
 *
 * <pre>{@code
 * public void onEvents(MemorySegment data, long[] offsets, int count, int ring) {
 *     for (int i = 0; i < count; i++) {
 *         long offset = offsets[i];
 *         record(ring, EventLayout.kind(data, offset),
 *                 EventLayout.endNs(data, offset) - EventLayout.startNs(data, offset));
 *     }
 * }
 * }</pre>
 */
public interface RingBatchHandler extends RingEventHandler {
    /**
     * {@code count} committed {@code struct gc_event}s of ring {@code ring}, in ring order, at
     * {@code offsets[0..count-1]} of {@code data}. Their headers were read before this call with
     * acquire ordering, so plain reads of the payload are safe. As with {@link #onEvent}, the data
     * and the offsets are only valid during the call. An exception ends the chunk: the events after
     * the failing one are consumed without being handled, and the reader reports the exception.
     */
    void onEvents(MemorySegment data, long[] offsets, int count, int ring);
}
