package org.gamercompanion.view;

/**
 * Time the FX thread spent drawing our canvases, for the GUI benchmark's frame accounting. FX
 * thread only (no synchronisation).
 */
public final class DrawStats {
    private static long draws;
    private static long totalNs;
    private static long maxNs;

    private DrawStats() {}

    static void record(long ns) {
        draws++;
        totalNs += ns;
        maxNs = Math.max(maxNs, ns);
    }

    public static long draws() {
        return draws;
    }

    /** Sum of all draw times since start. */
    public static long totalNs() {
        return totalNs;
    }

    public static long maxNs() {
        return maxNs;
    }
}
