package org.gamercompanion.profileeditor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileField;
import org.gamercompanion.profile.ProfileToml;

/**
 * The editor's form as plain text values, with the checks the editor runs as you type. The same
 * limits as {@link ProfileToml}, so whatever passes here saves and loads again. No JavaFX.
 */
record ProfileForm(
        String name,
        String exe,
        String steamAppId,
        String cmdlineRegex,
        boolean schedulerEnabled,
        String boostWindowUs,
        String gameSliceUs,
        String otherSliceUs,
        boolean preemptOnInput,
        List<String> kinds,
        boolean recordSession) {
    /** Form field ids, also the JavaFX node ids of the editor's inputs. */
    public static final String NAME = "name";

    public static final String EXE = "exe";
    public static final String STEAM_APP_ID = "steamAppId";
    public static final String CMDLINE_REGEX = "cmdlineRegex";
    public static final String BOOST_WINDOW_US = "boostWindowUs";
    public static final String GAME_SLICE_US = "gameSliceUs";
    public static final String OTHER_SLICE_US = "otherSliceUs";

    public static ProfileForm of(Profile p) {
        Profile.Scheduler s = p.scheduler();
        return new ProfileForm(
                p.name(),
                String.join(", ", p.match().exe()),
                Long.toString(p.match().steamAppId()),
                p.match().cmdlineRegex(),
                s.enabled(),
                Long.toString(s.boostWindowUs()),
                Long.toString(s.gameSliceUs()),
                Long.toString(s.otherSliceUs()),
                s.preemptOnInput(),
                p.monitor().kinds(),
                p.monitor().recordSession());
    }

    /**
     * What is wrong, per field id (empty when the form is valid).
     *
     * @param otherNames names of the other profiles (a name must be unique, ignoring case)
     */
    public Map<String, String> errors(List<String> otherNames) {
        Map<String, String> e = new LinkedHashMap<>();
        String n = name.strip();
        if (n.isEmpty()) {
            e.put(NAME, "name is required");
        } else if (n.length() > ProfileToml.MAX_NAME_CHARS
                || n.chars().anyMatch(Character::isISOControl)) {
            e.put(NAME, "name must be 1.." + ProfileToml.MAX_NAME_CHARS + " printable characters");
        } else if (otherNames.stream().anyMatch(o -> o.equalsIgnoreCase(n))) {
            e.put(NAME, "another profile is named \"" + n + "\"");
        }
        List<String> exes = exeList();
        if (exes.size() > ProfileToml.MAX_EXE_NAMES) {
            e.put(EXE, "at most " + ProfileToml.MAX_EXE_NAMES + " names");
        }
        for (String x : exes) {
            if (x.contains("/") || x.contains("\\") || x.length() > ProfileToml.MAX_EXE_CHARS) {
                e.put(
                        EXE,
                        "\"" + x + "\": a file name without a directory (cs2, not /usr/bin/cs2)");
            }
        }
        check(e, STEAM_APP_ID, ProfileField.STEAM_APP_ID, steamAppId.isBlank() ? "0" : steamAppId);
        if (cmdlineRegex.length() > ProfileToml.MAX_REGEX_CHARS) {
            e.put(CMDLINE_REGEX, "at most " + ProfileToml.MAX_REGEX_CHARS + " characters");
        } else {
            try {
                Pattern.compile(cmdlineRegex);
            } catch (PatternSyntaxException ex) {
                e.put(CMDLINE_REGEX, "not a valid regular expression: " + ex.getDescription());
            }
        }
        check(e, BOOST_WINDOW_US, ProfileField.BOOST_WINDOW_US, boostWindowUs);
        check(e, GAME_SLICE_US, ProfileField.GAME_SLICE_US, gameSliceUs);
        check(e, OTHER_SLICE_US, ProfileField.OTHER_SLICE_US, otherSliceUs);
        return e;
    }

    private static void check(Map<String, String> e, String id, ProfileField f, String text) {
        String err = f.check(text);
        if (err != null) {
            e.put(id, err);
        }
    }

    List<String> exeList() {
        List<String> out = new ArrayList<>();
        for (String x : exe.split(",")) {
            if (!x.isBlank()) {
                out.add(x.strip());
            }
        }
        return out;
    }

    /**
     * The profile this form describes; {@code base}'s unknown keys are kept as they are.
     *
     * @throws IllegalStateException if the form has errors
     */
    Profile toProfile(Profile base, List<String> otherNames) {
        if (!errors(otherNames).isEmpty()) {
            throw new IllegalStateException("form has errors: " + errors(otherNames));
        }
        return new Profile(
                name.strip(),
                new Profile.Match(
                        exeList(),
                        steamAppId.isBlank() ? 0 : Long.parseLong(steamAppId.strip()),
                        cmdlineRegex),
                new Profile.Scheduler(
                        schedulerEnabled,
                        Long.parseLong(boostWindowUs.strip()),
                        Long.parseLong(gameSliceUs.strip()),
                        Long.parseLong(otherSliceUs.strip()),
                        preemptOnInput),
                new Profile.Monitor(kinds, recordSession),
                base.unknown());
    }
}
