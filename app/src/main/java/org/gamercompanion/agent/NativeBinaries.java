package org.gamercompanion.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the native binaries ({@code gamer-agent}, {@code gamer-selftest}).
 *
 * <p>Order: the system property {@code gc.native.dir} (set by {@code ./companion} and the test
 * build to {@code native-agent/build}), then the environment variable {@code GC_NATIVE_DIR}, then
 * the installed location {@code /usr/lib/gamer-companion/agent}.
 */
public final class NativeBinaries {
    static final String INSTALLED_DIR = "/usr/lib/gamer-companion/agent";

    private NativeBinaries() {}

    /** The directory holding the native binaries. */
    public static Path dir() throws AgentException {
        List<String> tried = new ArrayList<>();
        for (String candidate :
                new String[] {
                    System.getProperty("gc.native.dir"),
                    System.getenv("GC_NATIVE_DIR"),
                    INSTALLED_DIR
                }) {
            if (candidate == null || candidate.isBlank()) {
                continue;
            }
            Path p = Path.of(candidate);
            if (Files.isExecutable(p.resolve("gamer-agent"))) {
                return p;
            }
            tried.add(candidate);
        }
        throw new AgentException(
                "gamer-agent not found (looked in "
                        + String.join(", ", tried)
                        + "); build it with ./companion, or set GC_NATIVE_DIR to the folder that holds it");
    }

    public static Path agent() throws AgentException {
        return dir().resolve("gamer-agent");
    }

    public static Path selftest() throws AgentException {
        Path p = dir().resolve("gamer-selftest");
        if (!Files.isExecutable(p)) {
            throw new AgentException(p + " is missing; rebuild with ./companion");
        }
        return p;
    }
}
