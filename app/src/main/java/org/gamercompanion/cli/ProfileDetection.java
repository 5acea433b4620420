package org.gamercompanion.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gamercompanion.detect.GameDetector;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.wrapper.WrapperServer;

/** What {@code record --profiles} adds to a recording: detection over the profile store. */
final class ProfileDetection {
    private ProfileDetection() {}

    static ProfileStore store(Path dirOrNull) {
        return ProfileStore.open(dirOrNull != null ? dirOrNull : ProfileStore.defaultDir());
    }

    /** A detector over the store's valid profiles; broken files are reported on stderr and skipped. */
    static GameDetector detector(ProfileStore store) throws IOException {
        ProfileStore.Listing l = store.list();
        l.broken().forEach(b -> System.err.println("gamer-companion: skipped: " + b.error()));
        List<Profile> profiles = l.profiles().stream().map(ProfileStore.Entry::profile).toList();
        if (profiles.isEmpty()) {
            System.err.println("gamer-companion: --profiles: no profiles in " + store.dir()
                    + "; create one with 'profile add NAME --exe GAME'");
        }
        return GameDetector.create(ProfileMatcher.of(profiles));
    }

    /**
     * Serves the launch wrapper's socket for the length of a recording, so {@code run} reaches this
     * process; null (with a note) when another Gamer Companion already serves it.
     */
    static WrapperServer serveWrapper(Path socket, ProfileStore store, GameDetector detector) {
        return WrapperServer.serveDetector(socket, store, detector, System.err::println);
    }

    static void addMatches(LatencyReport report, GameDetector detector) {
        Set<String> seen = new HashSet<>();
        for (ProfileMatcher.Hit h : detector.everMatched()) {
            String exe = h.process().exe().isEmpty() ? h.process().comm() : h.process().exe();
            if (h.rule() == ProfileMatcher.Rule.WINE_EXE) {
                // The game's .exe, not wine64-preloader.
                exe = h.process().windowsExes().stream()
                        .filter(w -> h.profile().match().exe().stream().anyMatch(w::equalsIgnoreCase))
                        .findFirst().orElse(exe);
            }
            if (seen.add(h.profile().name() + "\0" + h.process().pid())) {
                report.addMatchedProfile(h.profile().name(), h.process().pid(), exe);
            }
        }
    }
}
