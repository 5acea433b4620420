package org.gamercompanion.agent;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may load BPF itself (root, or CAP_BPF + CAP_PERFMON + CAP_SYS_ADMIN). */
public final class Privileges {
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private Privileges() {}

    /** The effective capability set of this process, from /proc/self/status. */
    static BigInteger effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return BigInteger.ZERO;
        }
        return BigInteger.ZERO;
    }

    /** True if the agent can be started directly, without pkexec. */
    public static boolean canLoadBpf() {
        BigInteger caps = effectiveCapabilities();
        return caps.testBit(CAP_BPF) && caps.testBit(CAP_PERFMON) && caps.testBit(CAP_SYS_ADMIN);
    }

    /** What is missing, for messages. */
    public static String missingReason() {
        return "loading BPF needs root or CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN (this process has CapEff="
                + effectiveCapabilities().toString(16)
                + "); run as root, or install the package whose polkit"
                + " action starts the agent for you";
    }
}
