package org.gamercompanion.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which CPUs this machine has, and which of them each ring serves (ring k serves CPUs k, k+16,
 * ...).
 */
public final class CpuTopology {
    private final List<Integer> cpus;

    private CpuTopology(List<Integer> cpus) {
        this.cpus = List.copyOf(cpus);
    }

    /**
     * The possible CPUs from /sys (what BPF's smp_processor_id can return), else the JVM's count.
     */
    public static CpuTopology current() {
        try {
            return new CpuTopology(
                    parseCpuList(
                            Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim()));
        } catch (IOException | IllegalArgumentException e) {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                l.add(i);
            }
            return new CpuTopology(l);
        }
    }

    /** A topology of CPUs 0..n-1 (tests, replays). */
    public static CpuTopology ofCount(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return new CpuTopology(l);
    }

    /** A topology from a CPU list such as {@code 0-3,8} or {@code 0,1} (recordings). */
    public static CpuTopology ofList(String cpuList) {
        return new CpuTopology(parseCpuList(cpuList.trim()));
    }

    /** The highest CPU number Linux can have (NR_CPUS is at most 8192). */
    public static final int MAX_CPU = 8191;

    /**
     * Parses the kernel's CPU list format, e.g. {@code 0-3,8,10-11}.
     *
     * @throws IllegalArgumentException with the part that is wrong: not a number, a range that runs
     *     backwards, or a CPU above {@link #MAX_CPU} (a list from a file can say anything; {@code
     *     0-2147483647} must not become two billion entries)
     */
    static List<Integer> parseCpuList(String s) {
        List<Integer> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String part : s.split(",")) {
            int dash = part.indexOf('-');
            int lo = cpu(dash < 0 ? part : part.substring(0, dash), part);
            int hi = dash < 0 ? lo : cpu(part.substring(dash + 1), part);
            if (hi < lo) {
                throw new IllegalArgumentException("bad CPU range " + part + " (runs backwards)");
            }
            if (out.size() + (hi - lo + 1) > MAX_CPU + 1) {
                throw new IllegalArgumentException(
                        "more than " + (MAX_CPU + 1) + " CPUs in the list");
            }
            for (int c = lo; c <= hi; c++) {
                out.add(c);
            }
        }
        return out;
    }

    private static int cpu(String v, String part) {
        int c;
        try {
            c = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad CPU number '" + v + "' in " + part);
        }
        if (c < 0 || c > MAX_CPU) {
            throw new IllegalArgumentException(
                    "CPU " + v + " is out of range (0.." + MAX_CPU + ")");
        }
        return c;
    }

    public List<Integer> cpus() {
        return cpus;
    }

    /** The CPUs of this machine whose events land in {@code ring} (empty: no CPU maps to it). */
    public List<Integer> cpusOfRing(int ring, int ringCount) {
        List<Integer> out = new ArrayList<>();
        for (int c : cpus) {
            if (c % ringCount == ring) {
                out.add(c);
            }
        }
        return out;
    }
}
