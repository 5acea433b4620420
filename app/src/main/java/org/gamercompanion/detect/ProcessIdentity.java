package org.gamercompanion.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What detection reads about one process from /proc: the basename of {@code /proc/PID/exe}, the
 * command line, {@code comm} and the SteamAppId environment variable. Fields the kernel does not
 * let us read (another user's environ, a kernel thread's exe) are empty.
 *
 * @param exe basename of the executable, without a " (deleted)" suffix; "" when unreadable
 * @param argv the command line ({@code /proc/PID/cmdline} split at NUL); empty for kernel threads
 * @param steamAppId the SteamAppId environment variable, or the reaper's {@code AppId=} argument; 0
 *     if none
 */
public record ProcessIdentity(
        long pid, String exe, String comm, List<String> argv, long steamAppId) {
    public ProcessIdentity {
        argv = List.copyOf(argv);
    }

    /** Reads /proc/PID; empty if the process is gone or is a kernel thread. */
    public static Optional<ProcessIdentity> read(long pid) {
        return read(Path.of("/proc"), pid);
    }

    static Optional<ProcessIdentity> read(Path proc, long pid) {
        Path d = proc.resolve(Long.toString(pid));
        List<String> argv;
        String comm;
        try {
            argv = splitNul(Files.readAllBytes(d.resolve("cmdline")));
            comm = Files.readString(d.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        if (argv.isEmpty()) {
            return Optional.empty(); // kernel thread or a zombie
        }
        String exe = "";
        try {
            String target = Files.readSymbolicLink(d.resolve("exe")).toString();
            if (target.endsWith(" (deleted)")) {
                target = target.substring(0, target.length() - " (deleted)".length());
            }
            exe = basename(target);
        } catch (IOException | SecurityException e) {
            // another user's process without CAP_SYS_PTRACE: match on the command line only
        }
        long appId = 0;
        try {
            for (String kv : splitNul(Files.readAllBytes(d.resolve("environ")))) {
                if (kv.startsWith("SteamAppId=")) {
                    appId = parseAppId(kv.substring("SteamAppId=".length()));
                    break;
                }
            }
        } catch (IOException | SecurityException e) {
            // not ours to read
        }
        if (appId == 0) {
            for (String a : argv) {
                if (a.startsWith("AppId=")) {
                    appId = parseAppId(a.substring("AppId=".length()));
                    break;
                }
            }
        }
        return Optional.of(new ProcessIdentity(pid, exe, comm, argv, appId));
    }

    /**
     * The command line as one string, arguments joined by single spaces (what cmdline_regex sees).
     */
    public String commandLine() {
        return String.join(" ", argv);
    }

    /**
     * The Windows executables this process runs under wine/proton: every argument that ends in
     * {@code .exe} (ignoring case), as a basename after the last {@code /} or {@code \}.
     */
    public List<String> windowsExes() {
        List<String> out = new ArrayList<>();
        for (String a : argv) {
            if (a.length() > 4 && a.regionMatches(true, a.length() - 4, ".exe", 0, 4)) {
                out.add(basename(a));
            }
        }
        return out;
    }

    static String basename(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }

    private static long parseAppId(String s) {
        try {
            long v = Long.parseLong(s.strip());
            return v > 0 && v <= 4_294_967_295L ? v : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String> splitNul(byte[] b) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < b.length) {
            out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }
}
