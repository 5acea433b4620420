package org.gamercompanion.recorder;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.gamercompanion.ring.EventLayout;
import org.gamercompanion.ring.RingBatchHandler;

/**
 * From the ring reader to the recorders through an LMAX Disruptor ring (single producer).
 *
 * <p>The ring reader thread hands over the records it drains in chunks ({@link #onEvents}): the
 * fields are copied out of the kernel ring into preallocated {@link LatencyEvent} slots, claimed a
 * chunk at a time, and claimed slots are published in chunks (at most {@value #PUBLISH_CHUNK}) and
 * at the end of every drained batch. One handler thread ("latency-recorder") records each event
 * into {@link LatencyRecorders}: it is the single writer of every recorder, in one recorder batch
 * per Disruptor batch (closed after every {@value #RECORDER_BATCH} events too, so the sampler never
 * waits long). Nothing is allocated per event.
 *
 * <p>When the handler falls behind by a whole Disruptor ring, the reader waits; the kernel rings
 * then fill and the BPF side counts lost events. Nothing is dropped silently in Java.
 */
public final class EventPipeline implements RingBatchHandler, AutoCloseable {
    static final int PUBLISH_CHUNK = 256;
    static final int RECORDER_BATCH = 4096;
    private static final int RING_SIZE = 1 << 16;

    private final Disruptor<LatencyEvent> disruptor;
    private final RingBuffer<LatencyEvent> ringBuffer;
    private final RecordingHandler handler;
    private final AtomicLong handlerErrors = new AtomicLong();
    private long firstUnpublished = -1;
    private long lastClaimed = -1;

    /** Receives every event after it is recorded, on the handler thread (e.g. a per-event log). */
    @FunctionalInterface
    public interface Listener {
        void onLatency(LatencyEvent event);
    }

    private EventPipeline(LatencyRecorders recorders, Listener listener) {
        this.disruptor =
                new Disruptor<>(
                        LatencyEvent::new,
                        RING_SIZE,
                        r -> Thread.ofPlatform().daemon().name("latency-recorder").unstarted(r),
                        ProducerType.SINGLE,
                        new BlockingWaitStrategy());
        this.handler = new RecordingHandler(recorders, listener);
        disruptor.handleEventsWith(handler);
        disruptor.setDefaultExceptionHandler(
                new ExceptionHandler<>() {
                    @Override
                    public void handleEventException(
                            Throwable ex, long sequence, LatencyEvent event) {
                        // A bad event must not stop recording; count it and go on.
                        handlerErrors.incrementAndGet();
                    }

                    @Override
                    public void handleOnStartException(Throwable ex) {
                        handlerErrors.incrementAndGet();
                    }

                    @Override
                    public void handleOnShutdownException(Throwable ex) {
                        handlerErrors.incrementAndGet();
                    }
                });
        this.ringBuffer = disruptor.start();
    }

    /** Starts the handler thread. */
    public static EventPipeline start(LatencyRecorders recorders, Listener listener) {
        return new EventPipeline(recorders, listener == null ? e -> {} : listener);
    }

    /** Ring reader thread only: copies one gc_event out of the kernel ring. */
    @Override
    public void onEvent(MemorySegment data, long offset, int ring) {
        long seq = ringBuffer.next();
        if (firstUnpublished < 0) {
            firstUnpublished = seq;
        }
        lastClaimed = seq;
        copy(ringBuffer.get(seq), data, offset, ring);
        if (seq - firstUnpublished + 1 >= PUBLISH_CHUNK) {
            publishClaimed();
        }
    }

    /**
     * Ring reader thread only: copies a chunk of gc_events out of the kernel ring into as many
     * slots, claimed at once.
     */
    @Override
    public void onEvents(MemorySegment data, long[] offsets, int count, int ring) {
        long last = ringBuffer.next(count);
        long seq = last - count + 1;
        if (firstUnpublished < 0) {
            firstUnpublished = seq;
        }
        lastClaimed = last;
        for (int i = 0; i < count; i++) {
            copy(ringBuffer.get(seq + i), data, offsets[i], ring);
        }
        if (last - firstUnpublished + 1 >= PUBLISH_CHUNK) {
            publishClaimed();
        }
    }

    private static void copy(LatencyEvent e, MemorySegment data, long offset, int ring) {
        long pidWord = EventLayout.pidWord(data, offset);
        long cpuWord = EventLayout.cpuWord(data, offset);
        long sourceWord = EventLayout.sourceWord(data, offset);
        e.startNs = EventLayout.startNs(data, offset);
        e.endNs = EventLayout.endNs(data, offset);
        e.pid = EventLayout.pid(pidWord);
        e.tgid = EventLayout.tgid(pidWord);
        e.cpu = EventLayout.cpu(cpuWord);
        e.ring = ring;
        e.kind = EventLayout.kind(cpuWord);
        e.source = EventLayout.source(sourceWord);
        e.inputType = EventLayout.inputType(sourceWord);
        e.inputCode = EventLayout.inputCode(sourceWord);
    }

    @Override
    public void onBatchEnd() {
        publishClaimed();
    }

    private void publishClaimed() {
        if (firstUnpublished >= 0) {
            ringBuffer.publish(firstUnpublished, lastClaimed);
            firstUnpublished = -1;
        }
    }

    /** Events recorded so far (handler thread's count, read with acquire semantics). */
    public long recorded() {
        return handler.recorded();
    }

    /** Events the recorders rejected (unknown kind, ring out of range, end before start). */
    public long rejected() {
        return handler.rejected();
    }

    /** Bit (1 << source) is set for every {@code GC_SRC_*} seen in an input_to_run event. */
    public int inputSourcesSeen() {
        return handler.inputSourcesSeen();
    }

    /** Exceptions thrown by the handler or listener. */
    public long handlerErrors() {
        return handlerErrors.get();
    }

    /**
     * Waits until the handler has processed everything published so far, up to timeoutMillis. Call
     * from the producer side after the reader stopped or caught up.
     */
    public boolean awaitProcessed(long timeoutMillis) {
        long target = ringBuffer.getCursor();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (disruptor.getSequenceValueFor(handler) < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** Stops the handler after it processed what was published. */
    @Override
    public void close() {
        disruptor.shutdown();
    }

    private static final class RecordingHandler implements EventHandler<LatencyEvent> {
        private static final VarHandle RECORDED;
        private static final VarHandle REJECTED;
        private static final VarHandle SOURCES;

        static {
            try {
                var l = MethodHandles.lookup();
                RECORDED = l.findVarHandle(RecordingHandler.class, "recorded", long.class);
                REJECTED = l.findVarHandle(RecordingHandler.class, "rejected", long.class);
                SOURCES = l.findVarHandle(RecordingHandler.class, "sources", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final LatencyRecorders recorders;
        private final Listener listener;

        /** The newest kernel end time stamp of the open recorder batch (handler thread only). */
        private long batchNewestEndNs;

        @SuppressWarnings("unused") // accessed through RECORDED
        private long recorded;

        @SuppressWarnings("unused") // accessed through REJECTED
        private long rejected;

        @SuppressWarnings("unused") // accessed through SOURCES
        private int sources;

        RecordingHandler(LatencyRecorders recorders, Listener listener) {
            this.recorders = recorders;
            this.listener = listener;
        }

        @Override
        public void onBatchStart(long batchSize, long queueDepth) {
            // One writer critical section per Disruptor batch, not per event (LatencyRecorders).
            recorders.beginBatch();
        }

        @Override
        public void onEvent(LatencyEvent e, long sequence, boolean endOfBatch) {
            try {
                record(e);
            } finally {
                // After a throwing event mid-batch the Disruptor starts a new batch with the rest:
                // beginBatch() then finds this one open and keeps it.
                if (endOfBatch) {
                    endRecorderBatch();
                } else if ((sequence & (RECORDER_BATCH - 1)) == RECORDER_BATCH - 1) {
                    endRecorderBatch();
                    recorders.beginBatch();
                }
            }
        }

        private void record(LatencyEvent e) {
            long latencyNs = e.endNs - e.startNs;
            if (e.kind < 0
                    || e.kind >= Kind.COUNT
                    || e.ring < 0
                    || e.ring >= recorders.ringCount()
                    || latencyNs < 0) {
                // Release store: readers on other threads see a count no older than the last event.
                REJECTED.setRelease(this, (long) REJECTED.get(this) + 1);
                return;
            }
            recorders.record(e.ring, e.kind, latencyNs);
            // Rings are drained one after the other, so the last event is not always the newest.
            batchNewestEndNs = Math.max(batchNewestEndNs, e.endNs);
            if (e.kind == Kind.INPUT_TO_RUN.wireId() && e.source >= 0 && e.source < 31) {
                SOURCES.setRelease(this, (int) SOURCES.get(this) | (1 << e.source));
            }
            listener.onLatency(e);
            RECORDED.setRelease(this, (long) RECORDED.get(this) + 1);
        }

        /** Closes the recorder batch with the newest end time stamp it recorded. */
        private void endRecorderBatch() {
            recorders.noteNewestEndNs(batchNewestEndNs);
            batchNewestEndNs = 0;
            recorders.endBatch();
        }

        @Override
        public void onShutdown() {
            endRecorderBatch();
        }

        long recorded() {
            return (long) RECORDED.getAcquire(this);
        }

        long rejected() {
            return (long) REJECTED.getAcquire(this);
        }

        int inputSourcesSeen() {
            return (int) SOURCES.getAcquire(this);
        }
    }
}
