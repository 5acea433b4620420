package org.gamercompanion.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One game's profile (DESIGN.md section 6, docs/PROFILES.md): how to recognise the game, the
 * scheduler tunables to push while it runs, and what to record. Immutable; every value is inside
 * the range of its {@link ProfileField}. Keys this version does not know are kept in {@link
 * #unknown} and written back unchanged.
 *
 * <pre>{@code
 * Profile p = Profile.named("Bar Game").withMatch(new Profile.Match(List.of("bargame"), 0, ""));
 * store.save(p);
 * }</pre>
 *
 * @param unknown keys this version does not interpret, as a nested map mirroring the document: the
 *     root's unknown keys and tables, and under {@code "match"}, {@code "scheduler"} and {@code
 *     "monitor"} a map of that table's unknown keys. Values are String, Long, Double, Boolean,
 *     java.time values, List and Map.
 */
public record Profile(
        String name,
        Match match,
        Scheduler scheduler,
        Monitor monitor,
        Map<String, Object> unknown) {
    /** Recorded kinds, in the order the JSON uses. */
    public static final List<String> KINDS =
            List.of("input_to_run", "wakeup_to_run", "preempt_to_run");

    /**
     * @param exe basenames of /proc/PID/exe, or a {@code .exe} that wine/proton runs (compared
     *     case-insensitively for .exe names)
     * @param steamAppId Steam AppID, 0 for none
     * @param cmdlineRegex a Java regex searched in the command line (arguments joined by spaces),
     *     "" for none
     */
    public record Match(List<String> exe, long steamAppId, String cmdlineRegex) {
        public Match {
            exe = List.copyOf(exe);
            Objects.requireNonNull(cmdlineRegex);
        }

        public static Match none() {
            return new Match(List.of(), 0, "");
        }

        public boolean isEmpty() {
            return exe.isEmpty() && steamAppId == 0 && cmdlineRegex.isEmpty();
        }
    }

    /** Scheduler tunables in the units of docs/PROTOCOL.md (µs; 0/1 for the flag). */
    public record Scheduler(
            boolean enabled,
            long boostWindowUs,
            long gameSliceUs,
            long otherSliceUs,
            boolean preemptOnInput) {
        public static Scheduler defaults() {
            return new Scheduler(
                    false,
                    ProfileField.BOOST_WINDOW_US.defaultValue(),
                    ProfileField.GAME_SLICE_US.defaultValue(),
                    ProfileField.OTHER_SLICE_US.defaultValue(),
                    true);
        }
    }

    /**
     * @param kinds which latency kinds to show and record (a subset of {@link #KINDS})
     * @param recordSession write an .hlog session file while the game runs
     */
    public record Monitor(List<String> kinds, boolean recordSession) {
        public Monitor {
            kinds = List.copyOf(kinds);
        }

        public static Monitor defaults() {
            return new Monitor(KINDS, false);
        }
    }

    public Profile {
        Objects.requireNonNull(name);
        Objects.requireNonNull(match);
        Objects.requireNonNull(scheduler);
        Objects.requireNonNull(monitor);
        unknown = deepCopy(unknown);
    }

    /** A profile with this name, no match rules and default settings. */
    public static Profile named(String name) {
        return new Profile(name, Match.none(), Scheduler.defaults(), Monitor.defaults(), Map.of());
    }

    public Profile withName(String newName) {
        return new Profile(newName, match, scheduler, monitor, unknown);
    }

    public Profile withMatch(Match m) {
        return new Profile(name, m, scheduler, monitor, unknown);
    }

    public Profile withScheduler(Scheduler s) {
        return new Profile(name, match, s, monitor, unknown);
    }

    public Profile withMonitor(Monitor m) {
        return new Profile(name, match, scheduler, m, unknown);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach(
                (k, v) ->
                        out.put(
                                k,
                                v instanceof Map<?, ?> sub
                                        ? deepCopy((Map<String, Object>) sub)
                                        : v));
        return Collections.unmodifiableMap(out);
    }
}
