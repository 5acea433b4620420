package org.gamercompanion.ring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Wraps the user's handler on the reader thread: one bad event never ends the loop, its exception
 * goes to the {@link RingExceptionHandler} and is counted (release store, read with acquire).
 */
final class GuardedHandler implements RingEventHandler {
    private static final VarHandle EXCEPTIONS;

    static {
        try {
            EXCEPTIONS =
                    MethodHandles.lookup()
                            .findVarHandle(GuardedHandler.class, "exceptions", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RingEventHandler delegate;
    private final RingExceptionHandler exceptionHandler;

    @SuppressWarnings("unused") // accessed through EXCEPTIONS
    private long exceptions;

    GuardedHandler(RingEventHandler delegate, RingExceptionHandler exceptionHandler) {
        this.delegate = delegate;
        this.exceptionHandler = exceptionHandler;
    }

    @Override
    public void onEvent(MemorySegment data, long offset, int ring) {
        try {
            delegate.onEvent(data, offset, ring);
        } catch (Throwable t) {
            report(t, ring);
        }
    }

    @Override
    public void onBatchEnd() {
        try {
            delegate.onBatchEnd();
        } catch (Throwable t) {
            report(t, -1);
        }
    }

    @Override
    public void onStart() {
        try {
            delegate.onStart();
        } catch (Throwable t) {
            report(t, -1);
        }
    }

    @Override
    public void onShutdown() {
        try {
            delegate.onShutdown();
        } catch (Throwable t) {
            report(t, -1);
        }
    }

    long exceptions() {
        return (long) EXCEPTIONS.getAcquire(this);
    }

    private void report(Throwable t, int ring) {
        EXCEPTIONS.setRelease(this, (long) EXCEPTIONS.getOpaque(this) + 1);
        try {
            exceptionHandler.onHandlerException(t, ring);
        } catch (Throwable ignored) {
            // The exception handler broke its contract; the data path must still go on.
        }
    }
}
