package org.gamercompanion.profile;

/**
 * The numeric settings of a profile: TOML key, unit, range, default and the trade-off, in one place
 * for the parser, the editor's tooltips and docs/PROFILES.md. Ranges are those the agent accepts
 * (docs/PROTOCOL.md, SET keys), so a valid profile is never refused by the agent.
 */
public enum ProfileField {
    STEAM_APP_ID(
            "match",
            "steam_app_id",
            "",
            0,
            4_294_967_295L,
            0,
            "Steam AppID of the game (the number in its store URL); 0 for none. Matched against the"
                    + " SteamAppId environment variable and the reaper's AppId= argument."),
    BOOST_WINDOW_US(
            "scheduler",
            "boost_window_us",
            "µs",
            0,
            1_000_000,
            20_000,
            "A game thread woken at most this long after your latest input runs first. Longer: more of"
                    + " the game's work after an input is boosted, but other programs wait more. 0 turns boosting off."),
    GAME_SLICE_US(
            "scheduler",
            "game_slice_us",
            "µs",
            100,
            100_000,
            5_000,
            "Time slice of the game's threads. Shorter: other work gets the CPU back sooner (smoother"
                    + " desktop, more context switches); longer: fewer switches, higher throughput."),
    OTHER_SLICE_US(
            "scheduler",
            "other_slice_us",
            "µs",
            100,
            100_000,
            20_000,
            "Time slice of every other task. Shorter: the game waits less for background work;"
                    + " longer: background work (compiles, encoders) runs more efficiently.");

    private final String section;
    private final String key;
    private final String unit;
    private final long min;
    private final long max;
    private final long defaultValue;
    private final String tradeOff;

    ProfileField(
            String section,
            String key,
            String unit,
            long min,
            long max,
            long defaultValue,
            String tradeOff) {
        this.section = section;
        this.key = key;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.tradeOff = tradeOff;
    }

    public String section() {
        return section;
    }

    public String key() {
        return key;
    }

    /** {@code section.key}, as error messages name it. */
    public String path() {
        return section + "." + key;
    }

    public String unit() {
        return unit;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public long defaultValue() {
        return defaultValue;
    }

    String tradeOff() {
        return tradeOff;
    }

    /** The range as messages print it: {@code 0..1000000 µs}. */
    public String range() {
        return min + ".." + max + (unit.isEmpty() ? "" : " " + unit);
    }

    /** Tooltip text: unit, range, default and trade-off. */
    public String help() {
        return key
                + ": "
                + range()
                + ", default "
                + defaultValue
                + (unit.isEmpty() ? "" : " " + unit)
                + ".\n"
                + tradeOff;
    }

    /** Null if {@code text} is a valid value, else what is wrong and the fix (no file or line). */
    public String check(String text) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return key + " must be a whole number, " + range() + " (was \"" + text + "\")";
        }
        return checkValue(v);
    }

    /** Null if {@code v} is in range, else the message. */
    public String checkValue(long v) {
        return v < min || v > max ? key + " must be " + range() + " (was " + v + ")" : null;
    }
}
