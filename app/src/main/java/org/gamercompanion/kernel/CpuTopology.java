package org.gamercompanion.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which CPUs this machine has, and which of them each ring serves (ring k serves CPUs k, k+16, ...).
 */
public final class CpuTopology {
    private final List<Integer> cpus;

    private CpuTopology(List<Integer> cpus) {
        this.cpus = List.copyOf(cpus);
    }

    /** The possible CPUs from /sys (what BPF's smp_processor_id can return), else the JVM's count. */
    public static CpuTopology current() {
        try {
            return new CpuTopology(parseCpuList(Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim()));
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

    /** Parses the kernel's CPU list format, e.g. {@code 0-3,8,10-11}. */
    public static List<Integer> parseCpuList(String s) {
        List<Integer> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String part : s.split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                out.add(Integer.parseInt(part));
            } else {
                int lo = Integer.parseInt(part.substring(0, dash));
                int hi = Integer.parseInt(part.substring(dash + 1));
                if (hi < lo) {
                    throw new IllegalArgumentException("bad CPU range " + part);
                }
                for (int c = lo; c <= hi; c++) {
                    out.add(c);
                }
            }
        }
        return out;
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
