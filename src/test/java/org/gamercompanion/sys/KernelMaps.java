package org.gamercompanion.sys;

import org.junit.jupiter.api.Assumptions;

/**
 * Real BPF maps for tests. Creating maps needs CAP_BPF (root here); without it the calling test is
 * skipped with the reason rather than failed, so the suite still runs unprivileged.
 */
public final class KernelMaps {
    private KernelMaps() {}

    /**
     * A BPF_MAP_TYPE_RINGBUF map with a data area of {@code ringBytes}; skips the test when not
     * allowed.
     */
    public static int ringbuf(int ringBytes, String name) throws ErrnoException {
        return createOrSkip(Bpf.MAP_TYPE_RINGBUF, 0, 0, ringBytes, 0, name);
    }

    /**
     * An mmapable array of {@code entries} values of {@code valueBytes}; skips the test when not
     * allowed.
     */
    public static int mmapableArray(int valueBytes, int entries, String name)
            throws ErrnoException {
        return createOrSkip(Bpf.MAP_TYPE_ARRAY, 4, valueBytes, entries, Bpf.F_MMAPABLE, name);
    }

    private static int createOrSkip(
            int type, int keyBytes, int valueBytes, int maxEntries, int flags, String name)
            throws ErrnoException {
        try {
            return Bpf.mapCreate(type, keyBytes, valueBytes, maxEntries, flags, name);
        } catch (ErrnoException e) {
            Assumptions.assumeFalse(
                    e.errno() == Errno.EPERM || e.errno() == Errno.EACCES,
                    () -> "creating BPF maps needs CAP_BPF (run as root): " + e.getMessage());
            throw e;
        }
    }
}
