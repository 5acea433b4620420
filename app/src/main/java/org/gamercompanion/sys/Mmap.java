package org.gamercompanion.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code mmap(2)} of a file descriptor as a {@link MemorySegment} whose size is exactly the mapped
 * length. The mapping belongs to an {@link Arena}: closing the arena runs {@code munmap}, and any
 * later access through the segment fails with {@link IllegalStateException} instead of faulting. A
 * shared arena makes that safe across threads (its close waits until no thread is inside an
 * access).
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofShared()) {
 *     MemorySegment page = Mmap.map(fd, 0, Mmap.pageSize(), Mmap.PROT_READ, arena);
 *     long value = page.get(ValueLayout.JAVA_LONG, 0);
 * } // munmap here
 * }</pre>
 */
public final class Mmap {
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    private static final int MAP_SHARED = 0x01;
    private static final int SC_PAGESIZE = 30;
    private static final long PAGE_SIZE_BYTES = querySystemPageSize();

    private Mmap() {}

    /** The system page size in bytes ({@code sysconf(_SC_PAGESIZE)}), read once. */
    public static long pageSize() {
        return PAGE_SIZE_BYTES;
    }

    /** {@code value} rounded up to a whole number of pages. */
    public static long roundUpToPage(long valueBytes) {
        return (valueBytes + PAGE_SIZE_BYTES - 1) & -PAGE_SIZE_BYTES;
    }

    /**
     * Maps {@code lengthBytes} of {@code fd} at {@code offsetBytes} with {@code MAP_SHARED} and
     * {@code prot} ({@link #PROT_READ}, optionally {@code | }{@link #PROT_WRITE}). The returned
     * segment is {@code lengthBytes} long; {@code arena.close()} unmaps it.
     *
     * @throws ErrnoException naming the call, e.g. {@code mmap(fd 7, offset 4096, 8192 bytes,
     *     PROT_READ|PROT_WRITE): EPERM} for a write mapping of a ring's read-only pages
     */
    @SuppressWarnings(
            "restricted") // the segment is exactly the mapped length and lives as long as the
    // mapping
    public static MemorySegment map(
            int fd, long offsetBytes, long lengthBytes, int prot, Arena arena)
            throws ErrnoException {
        if (lengthBytes <= 0 || offsetBytes < 0 || offsetBytes % PAGE_SIZE_BYTES != 0) {
            throw new IllegalArgumentException(
                    "mmap(fd "
                            + fd
                            + "): offset "
                            + offsetBytes
                            + " must be a page multiple and length "
                            + lengthBytes
                            + " positive");
        }
        long address = Libc.mmap(lengthBytes, prot, MAP_SHARED, fd, offsetBytes);
        if (address < 0) {
            throw Libc.error(
                    (int) -address,
                    "mmap(fd "
                            + fd
                            + ", offset "
                            + offsetBytes
                            + ", "
                            + lengthBytes
                            + " bytes, "
                            + protName(prot)
                            + ")");
        }
        return MemorySegment.ofAddress(address)
                .reinterpret(lengthBytes, arena, s -> Libc.munmap(s.address(), lengthBytes));
    }

    private static String protName(int prot) {
        return switch (prot) {
            case PROT_READ -> "PROT_READ";
            case PROT_READ | PROT_WRITE -> "PROT_READ|PROT_WRITE";
            case PROT_WRITE -> "PROT_WRITE";
            default -> "prot " + prot;
        };
    }

    private static long querySystemPageSize() {
        long size = Libc.sysconf(SC_PAGESIZE);
        if (size <= 0 || Long.bitCount(size) != 1) {
            throw new ExceptionInInitializerError("sysconf(_SC_PAGESIZE) returned " + size);
        }
        return size;
    }
}
