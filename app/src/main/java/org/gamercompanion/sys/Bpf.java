package org.gamercompanion.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The few {@code bpf(2)} commands the app needs, through {@code syscall(SYS_bpf, ...)} (libc has no
 * wrapper). {@link #mapInfo} lets the ring reader check a ring's size from its fd instead of
 * trusting the agent's line; {@link #mapCreate} and {@link #mapUpdate} let tests build real maps.
 * Needs CAP_BPF (or root) except {@link #mapInfo} on an fd already held.
 */
public final class Bpf {
    public static final int MAP_TYPE_ARRAY = 2;
    public static final int MAP_TYPE_RINGBUF = 27;

    /** {@code BPF_F_MMAPABLE}: an array map whose values user space can mmap. */
    public static final int F_MMAPABLE = 1 << 10;

    public static final int CMD_MAP_CREATE = 0;
    public static final int CMD_MAP_UPDATE_ELEM = 2;
    public static final int CMD_PROG_LOAD = 5;
    public static final int CMD_PROG_TEST_RUN = 10;
    public static final int CMD_OBJ_GET_INFO_BY_FD = 15;

    /**
     * Bytes of {@code union bpf_attr} passed to the kernel: larger than any command here uses and
     * zero-filled, as the kernel requires of tail bytes it does not know.
     */
    public static final int ATTR_BYTES = 160;

    private static final int MAP_INFO_BYTES = 256;
    private static final int OBJ_NAME_BYTES = 16;
    private static final long SYS_BPF = sysBpfNumber();

    private Bpf() {}

    /** What the kernel says about a map ({@code struct bpf_map_info}). */
    public record MapInfo(
            int type,
            int id,
            int keySizeBytes,
            int valueSizeBytes,
            int maxEntries,
            int flags,
            String name) {}

    /**
     * {@code bpf(cmd, attr, sizeof attr)} as is: returns the kernel's non-negative result.
     *
     * @param what names the operation in the error, e.g. {@code "BPF_MAP_CREATE(ringbuf)"}
     */
    public static long call(int command, MemorySegment attr, String what) throws ErrnoException {
        return Libc.check(Libc.syscall3(SYS_BPF, command, attr.address(), attr.byteSize()), what);
    }

    /**
     * {@code BPF_MAP_CREATE}; returns the new map's fd (close-on-exec, as the kernel always sets
     * it). For a ring buffer: type {@link #MAP_TYPE_RINGBUF}, key and value size 0, {@code
     * maxEntries} = data bytes (a power-of-two multiple of the page size).
     */
    static int mapCreate(
            int mapType,
            int keySizeBytes,
            int valueSizeBytes,
            int maxEntries,
            int mapFlags,
            String name)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
            attr.set(JAVA_INT, 0, mapType);
            attr.set(JAVA_INT, 4, keySizeBytes);
            attr.set(JAVA_INT, 8, valueSizeBytes);
            attr.set(JAVA_INT, 12, maxEntries);
            attr.set(JAVA_INT, 16, mapFlags);
            byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(
                    nameBytes,
                    0,
                    attr,
                    JAVA_BYTE,
                    28,
                    Math.min(nameBytes.length, OBJ_NAME_BYTES - 1));
            return (int)
                    call(
                            CMD_MAP_CREATE,
                            attr,
                            "BPF_MAP_CREATE("
                                    + name
                                    + ", type "
                                    + mapType
                                    + ", max_entries "
                                    + maxEntries
                                    + ")");
        }
    }

    /** {@code BPF_MAP_UPDATE_ELEM} with {@code BPF_ANY}. */
    public static void mapUpdate(int mapFd, MemorySegment key, MemorySegment value)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
            attr.set(JAVA_INT, 0, mapFd);
            attr.set(JAVA_LONG, 8, key.address());
            attr.set(JAVA_LONG, 16, value.address());
            call(CMD_MAP_UPDATE_ELEM, attr, "BPF_MAP_UPDATE_ELEM(fd " + mapFd + ")");
        }
    }

    /** {@code BPF_OBJ_GET_INFO_BY_FD} for a map fd. */
    public static MapInfo mapInfo(int mapFd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(MAP_INFO_BYTES, 8);
            MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
            attr.set(JAVA_INT, 0, mapFd);
            attr.set(JAVA_INT, 4, MAP_INFO_BYTES);
            attr.set(JAVA_LONG, 8, info.address());
            call(CMD_OBJ_GET_INFO_BY_FD, attr, "BPF_OBJ_GET_INFO_BY_FD(fd " + mapFd + ")");
            return new MapInfo(
                    info.get(JAVA_INT, 0),
                    info.get(JAVA_INT, 4),
                    info.get(JAVA_INT, 8),
                    info.get(JAVA_INT, 12),
                    info.get(JAVA_INT, 16),
                    info.get(JAVA_INT, 20),
                    info.asSlice(24, OBJ_NAME_BYTES).getString(0, StandardCharsets.US_ASCII));
        }
    }

    private static long sysBpfNumber() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 321;
            case "aarch64" -> 280;
            default -> -1;
        };
    }
}
