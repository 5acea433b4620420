package org.gamercompanion.ab;

import java.util.ArrayList;
import java.util.List;
import org.gamercompanion.recorder.Kind;

/**
 * What an A/B test runs: two or three arms, how many rounds in all, how long each round records,
 * how long after each switch is thrown away, and the kind the verdict is about.
 *
 * <p>Order: blocks of all arms that alternate forwards and backwards (ABBA ABBA..., ABC CBA ...),
 * so that a drift over the test (a game level getting busier, the machine warming up) falls on
 * every arm alike. A round count that is a multiple of twice the arms cancels a linear drift
 * exactly; any other count still interleaves.
 *
 * @param arms the schedulers, A first
 * @param rounds rounds in all (at least one per arm)
 * @param roundSeconds recorded seconds per round
 * @param settleSeconds seconds after each switch that are not recorded (the new scheduler's queues
 *     and caches fill)
 */
public record AbPlan(
        List<SchedulerChoice> arms,
        int rounds,
        double roundSeconds,
        double settleSeconds,
        Kind kind) {
    public static final String LABELS = "ABC";

    public AbPlan {
        arms = List.copyOf(arms);
        if (arms.size() < 2 || arms.size() > LABELS.length()) {
            throw new IllegalArgumentException(
                    "an A/B test has 2 or 3 schedulers (was " + arms.size() + ")");
        }
        if (rounds < arms.size() || rounds > 1000) {
            throw new IllegalArgumentException(
                    "--rounds must be "
                            + arms.size()
                            + "..1000: at least one per scheduler (was "
                            + rounds
                            + ")");
        }
        if (!(roundSeconds >= 1 && roundSeconds <= 3600)) {
            throw new IllegalArgumentException(
                    "--seconds must be 1..3600 per round (was " + roundSeconds + ")");
        }
        if (!(settleSeconds >= 0 && settleSeconds <= 600)) {
            throw new IllegalArgumentException(
                    "--settle must be 0..600 s (was " + settleSeconds + ")");
        }
    }

    /** The arm index of every round, in order: 0 1 1 0 0 1 1 0 ... */
    public List<Integer> order() {
        List<Integer> out = new ArrayList<>();
        int n = arms.size();
        for (int block = 0; out.size() < rounds; block++) {
            for (int i = 0; i < n && out.size() < rounds; i++) {
                out.add(block % 2 == 0 ? i : n - 1 - i);
            }
        }
        return out;
    }

    /** {@code A}, {@code B}, {@code C}. */
    public static String label(int arm) {
        return String.valueOf(LABELS.charAt(arm));
    }

    /** Whether the order cancels a linear drift (every arm's mean round position equal). */
    public boolean balanced() {
        return rounds % (2 * arms.size()) == 0;
    }

    /** The whole test's length, switches not counted. */
    public double seconds() {
        return rounds * (roundSeconds + settleSeconds);
    }
}
