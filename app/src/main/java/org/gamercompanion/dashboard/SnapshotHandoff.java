package org.gamercompanion.dashboard;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands the newest immutable value from a producer thread to the FX thread, coalesced: at most one
 * delivery task is queued at a time, and it applies only the newest value. If the FX thread falls
 * behind, older values are dropped, never queued.
 *
 * <p>Memory semantics: {@link #publish} is a volatile write of the value followed by a CAS; the
 * delivery task reads it with a volatile get-and-set, so everything the producer wrote before
 * publishing is visible to the consumer.
 *
 * <pre>{@code
 * SnapshotHandoff<Snapshot> handoff = new SnapshotHandoff<>(Platform::runLater, model::applySnapshot);
 * handoff.publish(capture.sample());   // sampler thread
 * }</pre>
 */
public final class SnapshotHandoff<T> {
    private final Executor consumerThread;
    private final Consumer<T> consumer;
    private final AtomicReference<T> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SnapshotHandoff(Executor consumerThread, Consumer<T> consumer) {
        this.consumerThread = consumerThread;
        this.consumer = consumer;
    }

    /** Offers a new value; any thread. */
    public void publish(T value) {
        latest.set(value);
        if (scheduled.compareAndSet(false, true)) {
            consumerThread.execute(this::deliver);
        }
    }

    private void deliver() {
        scheduled.set(false);
        T v = latest.getAndSet(null);
        if (v != null) {
            consumer.accept(v);
        }
    }
}
