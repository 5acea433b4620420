package org.gamercompanion.ring;

/**
 * Told about an exception thrown by a {@link RingEventHandler} on the ring reader's thread. The
 * reader has already counted the record as consumed and carries on with the next one: one bad event
 * never stops the data path. Must not throw.
 */
@FunctionalInterface
interface RingExceptionHandler {
    /**
     * @param failure what {@code onEvent} (or a hook, then {@code ring} is -1) threw
     * @param ring the ring whose record was being handled, or -1 for a lifecycle hook
     */
    void onHandlerException(Throwable failure, int ring);
}
