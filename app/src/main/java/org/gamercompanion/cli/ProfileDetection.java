package org.gamercompanion.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.profile.ProfileStore;

/**
 * What {@code record --profiles} adds to a recording's report: the profile store and the matches.
 */
final class ProfileDetection {
    private ProfileDetection() {}

    static ProfileStore store(Path dirOrNull) {
        return ProfileStore.open(dirOrNull != null ? dirOrNull : ProfileStore.defaultDir());
    }

    /**
     * Lists each (profile, pid) once in the report's {@code matched_profiles}, with the game's own
     * exe.
     */
    static void addMatches(LatencyReport report, List<ProfileMatcher.Hit> matches) {
        Set<String> seen = new HashSet<>();
        for (ProfileMatcher.Hit h : matches) {
            String exe = h.process().exe().isEmpty() ? h.process().comm() : h.process().exe();
            if (h.rule() == ProfileMatcher.Rule.WINE_EXE) {
                // The game's .exe, not wine64-preloader.
                exe =
                        h.process().windowsExes().stream()
                                .filter(
                                        w ->
                                                h.profile().match().exe().stream()
                                                        .anyMatch(w::equalsIgnoreCase))
                                .findFirst()
                                .orElse(exe);
            }
            if (seen.add(h.profile().name() + "\0" + h.process().pid())) {
                report.addMatchedProfile(h.profile().name(), h.process().pid(), exe);
            }
        }
    }
}
