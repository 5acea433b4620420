package org.gamercompanion.wrapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a running Gamer Companion listens for the launch wrapper: {@code
 * $XDG_RUNTIME_DIR/gamer-companion/wrapper.sock}, or {@code /tmp/gamer-companion-UID/wrapper.sock}
 * when XDG_RUNTIME_DIR is unset. The directory is 0700 and the server also checks the peer's user
 * with SO_PEERCRED, so only the same user can ask it to watch a process.
 */
public final class WrapperSocket {
    private WrapperSocket() {}

    public static Path defaultPath() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        Path dir = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg, "gamer-companion")
                : Path.of(System.getProperty("java.io.tmpdir"), "gamer-companion-" + uid());
        return dir.resolve("wrapper.sock");
    }

    static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** The wire form of a profile name: the agent's escaping (bytes outside 0x21..0x7e and {@code \} as \xHH). */
    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int u = c & 0xff;
            if (u < 0x21 || u > 0x7e || u == '\\') {
                b.append(String.format("\\x%02x", u));
            } else {
                b.append((char) u);
            }
        }
        return b.toString();
    }
}
