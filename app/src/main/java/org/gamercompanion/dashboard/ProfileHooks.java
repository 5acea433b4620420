package org.gamercompanion.dashboard;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.gamercompanion.agent.AgentClient;
import org.gamercompanion.detect.GameDetector;
import org.gamercompanion.detect.ProfileApplier;
import org.gamercompanion.detect.ProfileMatcher;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.wrapper.WrapperServer;
import org.gamercompanion.wrapper.WrapperSocket;

/** Profile detection and the launch wrapper's socket for one agent session of the window (issue 4). */
final class ProfileHooks {
    private ProfileHooks() {}

    /** A detector over the user's profiles; {@link #start} once the agent runs, {@link #close} with the session. */
    static final class Detection implements AutoCloseable {
        private final GameDetector detector;
        private final ProfileStore store;
        private WrapperServer server;
        private Consumer<String> activeProfile = s -> {};
        private Consumer<List<DashboardModel.ProfileWatch>> profileWatched = w -> {};

        Detection(GameDetector detector, ProfileStore store) {
            this.detector = detector;
            this.store = store;
        }

        GameDetector detector() {
            return detector;
        }

        /** @param sessions also gets the processes watched by profile (the session files of {@code record_session}) */
        void start(AgentClient agent, Consumer<String> activeProfile,
                Consumer<List<DashboardModel.ProfileWatch>> profileWatched, Consumer<List<ProfileMatcher.Hit>> sessions) {
            this.activeProfile = activeProfile;
            this.profileWatched = profileWatched;
            detector.start(new ProfileApplier(agent, line -> System.err.println("gamer-companion: " + line),
                    hit -> activeProfile.accept(hit.map(h -> h.profile().name() + " (pid " + h.process().pid() + ")").orElse("")),
                    hits -> {
                        sessions.accept(hits);
                        profileWatched.accept(hits.stream()
                                .map(h -> new DashboardModel.ProfileWatch(h.profile().name(), h.process().pid())).toList());
                    }));
            server = WrapperServer.serveDetector(WrapperSocket.defaultPath(), store, detector, System.err::println);
        }

        /** Also clears what the window shows: without the agent nothing is watched or applied. */
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
            detector.close();
            activeProfile.accept("");
            profileWatched.accept(List.of());
        }
    }

    /**
     * Applies a profile chosen by hand (the tray's profile menu) the way {@link ProfileApplier} applies
     * a detected one: its tunables with one {@code SET}, then {@code SCHED ON} when it enables the
     * scheduler and ours is not running yet, {@code SCHED OFF} when it does not and ours runs. A
     * game detected later applies its own profile over this one.
     *
     * @return one line for the window, with the agent's refusal where there was one
     */
    static String apply(AgentClient agent, Profile profile) throws org.gamercompanion.agent.AgentException {
        Profile.Scheduler s = profile.scheduler();
        agent.call("SET boost_window_us=" + s.boostWindowUs() + " game_slice_us=" + s.gameSliceUs() + " other_slice_us="
                + s.otherSliceUs() + " preempt_on_input=" + (s.preemptOnInput() ? 1 : 0));
        boolean ours = "agent".equals(agent.status().get("sched_owner"));
        if (s.enabled() == ours) {
            return "profile " + profile.name() + " applied (scheduler " + (ours ? "on" : "off") + ")";
        }
        org.gamercompanion.agent.Reply r = agent.callRaw(org.gamercompanion.agent.Protocol.sched(s.enabled()));
        return "profile " + profile.name() + " applied"
                + (r.ok() ? " (scheduler " + (s.enabled() ? "on" : "off") + ")"
                        : "; scheduler not " + (s.enabled() ? "started" : "stopped") + ": " + String.join(" ", r.words()));
    }

    static Detection detection() {
        ProfileStore store = ProfileStore.open(ProfileStore.defaultDir());
        List<Profile> profiles = List.of();
        try {
            ProfileStore.Listing l = store.list();
            l.broken().forEach(b -> System.err.println("gamer-companion: profile skipped: " + b.error()));
            profiles = l.profiles().stream().map(ProfileStore.Entry::profile).toList();
        } catch (IOException e) {
            System.err.println("gamer-companion: cannot read " + store.dir() + ": " + e.getMessage());
        }
        return new Detection(GameDetector.create(ProfileMatcher.of(profiles)), store);
    }
}
