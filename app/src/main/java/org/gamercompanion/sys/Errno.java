package org.gamercompanion.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The errno values this code branches on (Linux generic numbers, the same on x86_64 and aarch64)
 * and their names for messages.
 */
@SuppressWarnings("restricted") // the only foreign calls here are strerror/strerrorname_np
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;
    public static final int ECONNREFUSED = 111;

    // glibc >= 2.32 names errno values itself; looked up once, optional so other libcs still work.
    private static final Optional<MethodHandle> STRERRORNAME_NP =
            Libc.optional(
                    "strerrorname_np",
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR =
            Linker.nativeLinker()
                    .downcallHandle(
                            Libc.symbol("strerror"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Errno() {}

    /** The symbolic name, e.g. {@code EBADF}; {@code errno 4711} for values libc cannot name. */
    public static String name(int errno) {
        String name = STRERRORNAME_NP.map(h -> cString(h, errno)).orElse(null);
        return name != null ? name : "errno " + errno;
    }

    /** Name and libc's text, e.g. {@code EBADF (Bad file descriptor)}. */
    static String describe(int errno) {
        String text = cString(STRERROR, errno);
        return text == null ? name(errno) : name(errno) + " (" + text + ")";
    }

    private static String cString(MethodHandle h, int errno) {
        try {
            MemorySegment p = (MemorySegment) h.invokeExact(errno);
            return p.equals(MemorySegment.NULL) ? null : p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }
}
