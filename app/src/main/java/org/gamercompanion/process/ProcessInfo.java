package org.gamercompanion.process;

import java.util.Locale;

/**
 * One running process as the target picker lists it.
 *
 * @param pid the process id (tgid)
 * @param name the kernel's short name ({@code comm}, at most 15 bytes)
 * @param threads number of threads
 * @param commandLine the full command line, arguments joined with spaces (empty for kernel threads)
 */
public record ProcessInfo(long pid, String name, int threads, String commandLine) {
    /** True if {@code query} (case-insensitive) occurs in the name, the command line or the pid. */
    public boolean matches(String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String q = query.trim().toLowerCase(Locale.ROOT);
        return name.toLowerCase(Locale.ROOT).contains(q)
                || commandLine.toLowerCase(Locale.ROOT).contains(q)
                || Long.toString(pid).startsWith(q);
    }

    /** How the picker shows it: {@code name (pid) · N threads}. */
    public String label() {
        return name + " (" + pid + ") \u00b7 " + threads + (threads == 1 ? " thread" : " threads");
    }
}
