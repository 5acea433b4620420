package org.gamercompanion.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the running processes from {@code /proc}: name from {@code comm}, threads from {@code
 * status}, command line from {@code cmdline}. Kernel threads (empty command line) are left out:
 * they are never game targets. Processes that exit while being read are skipped.
 *
 * <p>Blocking file I/O: call it off the FX thread.
 *
 * <pre>{@code
 * List<ProcessInfo> all = ProcessList.system().read();
 * }</pre>
 */
public final class ProcessList {
    private final Path proc;

    private ProcessList(Path proc) {
        this.proc = proc;
    }

    /** The real {@code /proc}. */
    public static ProcessList system() {
        return new ProcessList(Path.of("/proc"));
    }

    /** A {@code /proc}-shaped directory (tests). */
    public static ProcessList at(Path procRoot) {
        return new ProcessList(procRoot);
    }

    /** All user-space processes, sorted by name then pid. */
    public List<ProcessInfo> read() {
        List<ProcessInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path d : dirs) {
                readOne(d).ifPresent(out::add);
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort(
                Comparator.comparing((ProcessInfo p) -> p.name().toLowerCase(Locale.ROOT))
                        .thenComparingLong(ProcessInfo::pid));
        return out;
    }

    /** One process by pid, if it exists and is not a kernel thread. */
    public Optional<ProcessInfo> read(long pid) {
        return readOne(proc.resolve(Long.toString(pid)));
    }

    private static Optional<ProcessInfo> readOne(Path dir) {
        try {
            long pid = Long.parseLong(dir.getFileName().toString());
            String cmdline =
                    new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ')
                            .trim();
            if (cmdline.isEmpty()) {
                return Optional.empty();
            }
            String comm = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).trim();
            return Optional.of(new ProcessInfo(pid, comm, threads(dir.resolve("status")), cmdline));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static int threads(Path status) throws IOException {
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        return 1;
    }

    private static boolean isPid(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
