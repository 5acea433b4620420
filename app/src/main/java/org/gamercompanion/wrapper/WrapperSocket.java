package org.gamercompanion.wrapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.gamercompanion.files.UserDirs;

/**
 * Where a running Gamer Companion listens for the launch wrapper: {@code
 * $XDG_RUNTIME_DIR/gamer-companion/wrapper.sock}, or {@code /tmp/gamer-companion-UID/wrapper.sock}
 * when XDG_RUNTIME_DIR is unset. The directory is 0700 and the server also checks the peer's user
 * with SO_PEERCRED, so only the same user can ask it to watch a process.
 */
public final class WrapperSocket {
    private WrapperSocket() {}

    public static Path defaultPath() {
        return UserDirs.current().runtime().resolve("wrapper.sock");
    }

    /**
     * The wire form of a profile name: the agent's escaping (bytes outside 0x21..0x7e and {@code \}
     * as \xHH).
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
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
