package org.gamercompanion.dashboard;

/**
 * When the window's JavaFX pulses run, so that a live snapshot can land just before the next one
 * (docs/PERFORMANCE.md, "Event to pixel"): a tick at a random phase of the pulse waits half a frame
 * on average for it.
 *
 * <p>Threads: the FX thread reports pulses ({@link #pulsed}); the sampler thread asks for the next
 * tick's delay. Two volatile fields, written by one thread: a reader sees a pulse time and a period
 * that may be one pulse apart, which moves one tick by at most a period's drift.
 */
final class PulseClock {
    /**
     * The nominal display period: 60 Hz, JavaFX's pulse rate unless {@code javafx.animation.pulse}
     * says otherwise; also the tick period while no pulse runs.
     */
    static final long DISPLAY_PERIOD_NS = 1_000_000_000L / 60;

    /**
     * How long before the next pulse a live tick runs: the fold and the snapshot take under a
     * millisecond, then the hand-off to the FX thread must land before the pulse.
     */
    static final long PULSE_LEAD_NS = 4_000_000;

    private volatile long lastPulseNs;
    private volatile long periodNs = DISPLAY_PERIOD_NS;

    /** The window ran a pulse at {@code nowNs} ({@link System#nanoTime}; FX thread). */
    void pulsed(long nowNs) {
        long previous = lastPulseNs;
        long gap = nowNs - previous;
        if (previous != 0 && gap > 0 && gap < 2 * DISPLAY_PERIOD_NS) {
            // Quantum's pulse timer, not the nominal rate (16 ms here, not 16.7: 62.5 Hz).
            periodNs = (7 * periodNs + gap) / 8;
        }
        lastPulseNs = nowNs;
    }

    /**
     * The delay from {@code nowNs} to the next live tick: {@link #PULSE_LEAD_NS} before the first
     * expected pulse at least half a period from now, counting whole periods from the last pulse;
     * one display period when no pulse ran lately (nothing changed on screen, or no window).
     */
    long delayToNextTickNs(long nowNs) {
        long pulse = lastPulseNs;
        long period = periodNs;
        if (pulse == 0 || nowNs - pulse > 4 * period) {
            return DISPLAY_PERIOD_NS;
        }
        long target = pulse + period - PULSE_LEAD_NS;
        while (target - nowNs < period / 2) {
            target += period;
        }
        return target - nowNs;
    }
}
