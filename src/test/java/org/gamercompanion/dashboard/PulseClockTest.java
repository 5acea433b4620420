package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Live ticks land {@link PulseClock#PULSE_LEAD_NS} before the next pulse (times are given). */
class PulseClockTest {
    private static final long MS = 1_000_000;

    @Test
    void withoutPulsesTicksRunAtTheDisplayPeriod() {
        assertThat(new PulseClock().delayToNextTickNs(123 * MS))
                .isEqualTo(PulseClock.DISPLAY_PERIOD_NS);
    }

    @Test
    void aTickLandsTheLeadBeforeTheNextPulseOfTheMeasuredPeriod() {
        PulseClock c = new PulseClock();
        // Quantum's 16 ms pulses, long enough for the average to settle on them.
        for (long t = 1000 * MS; t <= 1640 * MS; t += 16 * MS) {
            c.pulsed(t);
        }
        long delay = c.delayToNextTickNs(1641 * MS);
        long tick = 1641 * MS + delay;
        // The next pulse half a period away or more: 1656 ms (15 ms from now), so the tick at
        // ~1652.
        assertThat(tick).isBetween(1651 * MS, 1653 * MS);
    }

    @Test
    void aTickTooCloseToTheNextPulseAimsAtTheOneAfter() {
        PulseClock c = new PulseClock();
        for (long t = 1000 * MS; t <= 1640 * MS; t += 16 * MS) {
            c.pulsed(t);
        }
        // At 1651 ms the next pulse (1656) is 5 ms away, less than half a period: aim at 1672.
        long tick = 1651 * MS + c.delayToNextTickNs(1651 * MS);
        assertThat(tick).isBetween(1667 * MS, 1669 * MS);
    }

    @Test
    void pulsesThatStoppedLongAgoAreIgnored() {
        PulseClock c = new PulseClock();
        c.pulsed(1000 * MS);
        c.pulsed(1016 * MS);
        assertThat(c.delayToNextTickNs(2000 * MS)).isEqualTo(PulseClock.DISPLAY_PERIOD_NS);
    }
}
