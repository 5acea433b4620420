package org.gamercompanion.snapshot;

/**
 * Per-ring counters from the kernel (emitted, lost) and the reader (consumed). Thread-safe reads.
 */
public interface RingStats {
    long emitted(int ring);

    long lost(int ring);

    long consumed(int ring);

    /** No rings: everything 0 (replays of recordings). */
    RingStats NONE =
            new RingStats() {
                @Override
                public long emitted(int ring) {
                    return 0;
                }

                @Override
                public long lost(int ring) {
                    return 0;
                }

                @Override
                public long consumed(int ring) {
                    return 0;
                }
            };
}
