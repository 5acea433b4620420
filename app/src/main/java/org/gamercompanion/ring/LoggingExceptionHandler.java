package org.gamercompanion.ring;

import java.lang.System.Logger.Level;

/**
 * The default {@link RingExceptionHandler}: logs the 1st, 2nd, 4th, 8th... exception, so a handler
 * that fails on every event cannot flood the log. Called on the reader thread only.
 */
final class LoggingExceptionHandler implements RingExceptionHandler {
    private static final System.Logger LOG = System.getLogger(RingReader.class.getName());
    private long seen;

    @Override
    public void onHandlerException(Throwable failure, int ring) {
        seen++;
        if (Long.bitCount(seen) == 1) {
            LOG.log(
                    Level.WARNING,
                    "ring event handler threw (ring " + ring + ", " + seen + " so far)",
                    failure);
        }
    }
}
