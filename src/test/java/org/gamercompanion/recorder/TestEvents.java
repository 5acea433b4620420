package org.gamercompanion.recorder;

/**
 * Latency events built by hand, for tests of {@link EventPipeline.Listener}s outside this package.
 */
public final class TestEvents {
    private TestEvents() {}

    /**
     * An event of {@code kind} from process {@code tgid} on {@code ring}, {@code latencyNs} long.
     */
    public static LatencyEvent of(Kind kind, int tgid, int ring, long latencyNs) {
        LatencyEvent e = new LatencyEvent();
        e.startNs = 1_000_000;
        e.endNs = e.startNs + latencyNs;
        e.pid = tgid;
        e.tgid = tgid;
        e.cpu = ring;
        e.ring = ring;
        e.kind = kind.wireId();
        return e;
    }
}
