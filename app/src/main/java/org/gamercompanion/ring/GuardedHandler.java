package org.gamercompanion.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Wraps the user's handler on the reader thread: one bad event never ends the loop, its exception
 * goes to the {@link RingExceptionHandler} and is counted (release store, read with acquire). The
 * reader calls the {@link #delegate}'s {@code onEvent} itself and {@link #report}s what it throws
 * (RingReader.drainGuarded); this class wraps the other callbacks.
 */
final class GuardedHandler {
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

    void onBatchEnd() {
        try {
            delegate.onBatchEnd();
        } catch (Throwable t) {
            report(t, -1);
        }
    }

    void onStart() {
        try {
            delegate.onStart();
        } catch (Throwable t) {
            report(t, -1);
        }
    }

    void onShutdown() {
        try {
            delegate.onShutdown();
        } catch (Throwable t) {
            report(t, -1);
        }
    }

    long exceptions() {
        return (long) EXCEPTIONS.getAcquire(this);
    }

    /** The user's handler, for the drain loop to call directly. */
    RingEventHandler delegate() {
        return delegate;
    }

    /** Counts an exception of the handler and hands it to the exception handler. */
    void report(Throwable t, int ring) {
        EXCEPTIONS.setRelease(this, (long) EXCEPTIONS.getOpaque(this) + 1);
        try {
            exceptionHandler.onHandlerException(t, ring);
        } catch (Throwable ignored) {
            // The exception handler broke its contract; the data path must still go on.
        }
    }
}
