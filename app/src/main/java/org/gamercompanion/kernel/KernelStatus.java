package org.gamercompanion.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
