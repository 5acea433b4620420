package org.gamercompanion.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The facts about this machine that a recording states, so that two recordings can be told apart
 * ("same box, same kernel?") before their numbers are compared.
 *
 * @param cpuModel the first {@code model name} of /proc/cpuinfo ({@code unknown} where there is
 *     none)
 * @param cpuCount online CPUs, as the JVM sees them
 */
public record Machine(String cpuModel, int cpuCount) {
    public static Machine current() {
        return new Machine(
                cpuModel(Path.of("/proc/cpuinfo")), Runtime.getRuntime().availableProcessors());
    }

    static String cpuModel(Path cpuinfo) {
        try {
            List<String> lines = Files.readAllLines(cpuinfo);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals("model name")) {
                    String v = line.substring(colon + 1).strip().replaceAll("\\s+", " ");
                    return v.isEmpty() ? "unknown" : v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc hidden: the recording says so instead of guessing
        }
        return "unknown";
    }
}
