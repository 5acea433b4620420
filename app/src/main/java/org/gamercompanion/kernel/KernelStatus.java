package org.gamercompanion.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the running kernel offers, read from sysfs without privileges: BTF (CO-RE) and sched_ext.
 *
 * @param btf /sys/kernel/btf/vmlinux exists
 * @param schedExtState "absent" (no /sys/kernel/sched_ext), else the content of its state file
 *     ("disabled", "enabled", "enabling", "disabling")
 * @param schedExtOps the loaded scheduler's ops name, empty when none
 * @param release uname -r
 */
public record KernelStatus(boolean btf, String schedExtState, String schedExtOps, String release) {
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    public static KernelStatus current() {
        return read(Path.of("/sys"), Path.of("/proc/sys/kernel/osrelease"));
    }

    static KernelStatus read(Path sys, Path osRelease) {
        boolean btf = Files.exists(sys.resolve("kernel/btf/vmlinux"));
        Path scx = sys.resolve("kernel/sched_ext");
        String state = "absent";
        String ops = "";
        if (Files.isDirectory(scx)) {
            state = readTrim(scx.resolve("state"), "unknown");
            ops = readTrim(scx.resolve("root/ops"), "");
        }
        return new KernelStatus(btf, state, ops, readTrim(osRelease, "unknown"));
    }

    private static String readTrim(Path p, String fallback) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return fallback;
        }
    }

    /**
     * The scheduler in words: the sched_ext scheduler's ops name while one is enabled, else the
     * kernel's own fair class, {@code default (EEVDF)} from 6.6 on and {@code default (CFS)}
     * before, or the transitional state ({@code enabling scx_lavd}).
     */
    public String schedulerLabel() {
        return schedulerLabel(schedExtState, schedExtOps, release);
    }

    /** {@link #schedulerLabel()} of a state read elsewhere (a recording's header). */
    public static String schedulerLabel(String state, String ops, String release) {
        return switch (state) {
            case "enabled" -> ops.isEmpty() ? "sched_ext (unnamed)" : ops;
            case "absent", "disabled" -> "default (" + (eevdf(release) ? "EEVDF" : "CFS") + ")";
            default -> state + (ops.isEmpty() ? "" : " " + ops);
        };
    }

    /** EEVDF replaced CFS in 6.6; an unparsable release is assumed recent. */
    static boolean eevdf(String release) {
        Matcher m = RELEASE.matcher(release);
        if (!m.find()) {
            return true;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 6 || (major == 6 && minor >= 6);
    }
}
