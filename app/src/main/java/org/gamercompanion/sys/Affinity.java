package org.gamercompanion.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * CPU affinity through {@code sched_setaffinity(2)}. Benchmarks use it to run a producer and the
 * consumers they compare on one CPU, so that no consumer finds the data warmer in its cache than
 * another.
 */
public final class Affinity {
    private static final long SYS_SCHED_SETAFFINITY_X86_64 = 203;

    private Affinity() {}

    /**
     * Pins one thread to one CPU.
     *
     * @param tid a thread id, or 0 for the calling thread
     */
    public static void pin(long tid, int cpu) throws ErrnoException {
        if (cpu < 0 || cpu >= 1024) {
            throw new IllegalArgumentException("cpu must be 0..1023 (was " + cpu + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(128, 8);
            mask.set(ValueLayout.JAVA_LONG, (cpu / 64) * 8L, 1L << (cpu % 64));
            Libc.check(
                    Libc.syscall3(
                            SYS_SCHED_SETAFFINITY_X86_64, tid, mask.byteSize(), mask.address()),
                    "sched_setaffinity(" + tid + ", cpu " + cpu + ")");
        }
    }
}
