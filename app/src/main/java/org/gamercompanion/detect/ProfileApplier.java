package org.gamercompanion.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.gamercompanion.agent.AgentClient;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.profile.Profile;

/**
 * Applies profiles as {@link GameDetector} finds their games: {@code WATCH} the tgid, push the
 * profile's tunables with {@code SET}, and {@code SCHED ON} when the profile enables the scheduler.
 * When the last process of the active profile exits, the tunables the agent had before are pushed
 * back, and a scheduler this class started is stopped (one that ran before is left alone).
 *
 * <p>The active profile is the one whose process started most recently and still runs. Call only
 * from the detector's thread (it does), never from the agent's control reader.
 */
public final class ProfileApplier implements GameDetector.Listener {
    static final String[] TUNABLES = {
        "boost_window_us", "game_slice_us", "other_slice_us", "preempt_on_input"
    };

    private final AgentClient agent;
    private final Consumer<String> log;
    private final Consumer<Optional<ProfileMatcher.Hit>> activeListener;
    private final Consumer<List<ProfileMatcher.Hit>> watchedListener;
    private final Map<Long, ProfileMatcher.Hit> running = new LinkedHashMap<>();
    private Map<String, String> baseline;
    private Profile applied;
    private boolean schedStartedByUs;

    /**
     * @param log one line per action and per refusal (e.g. {@code SCHED ON} where sched_ext is
     *     absent)
     * @param activeListener told the active profile whenever it changes (the dashboard shows it)
     */
    public ProfileApplier(
            AgentClient agent,
            Consumer<String> log,
            Consumer<Optional<ProfileMatcher.Hit>> activeListener) {
        this(agent, log, activeListener, watched -> {});
    }

    /**
     * @param watchedListener told every process watched because a profile matched, oldest first,
     *     whenever one is added or exits (the dashboard's "Watching:" line)
     */
    public ProfileApplier(
            AgentClient agent,
            Consumer<String> log,
            Consumer<Optional<ProfileMatcher.Hit>> activeListener,
            Consumer<List<ProfileMatcher.Hit>> watchedListener) {
        this.agent = agent;
        this.log = log;
        this.activeListener = activeListener;
        this.watchedListener = watchedListener;
    }

    @Override
    public void started(ProfileMatcher.Hit hit) {
        long pid = hit.process().pid();
        try {
            agent.watch(pid);
        } catch (AgentException e) {
            log.accept(
                    "profile "
                            + hit.profile().name()
                            + ": cannot watch "
                            + pid
                            + ": "
                            + e.getMessage());
            return;
        }
        running.remove(pid);
        running.put(pid, hit);
        log.accept(
                "profile "
                        + hit.profile().name()
                        + ": watching "
                        + pid
                        + " ("
                        + describe(hit)
                        + ", by "
                        + hit.rule().name().toLowerCase()
                        + ")");
        watchedListener.accept(List.copyOf(running.values()));
        reconcile();
    }

    @Override
    public void exited(ProfileMatcher.Hit hit) {
        if (running.remove(hit.process().pid()) != null) {
            try {
                agent.callRaw(
                        Protocol.unwatch(hit.process().pid())); // ERR NOENT after EXITED is fine
            } catch (AgentException e) {
                log.accept(
                        "profile "
                                + hit.profile().name()
                                + ": unwatch "
                                + hit.process().pid()
                                + ": "
                                + e.getMessage());
            }
            watchedListener.accept(List.copyOf(running.values()));
            reconcile();
        }
    }

    /** The active profile's hit, if any. */
    public Optional<ProfileMatcher.Hit> active() {
        ProfileMatcher.Hit last = null;
        for (ProfileMatcher.Hit h : running.values()) {
            last = h;
        }
        return Optional.ofNullable(last);
    }

    private void reconcile() {
        Optional<ProfileMatcher.Hit> now = active();
        Profile want = now.map(ProfileMatcher.Hit::profile).orElse(null);
        if (Objects.equals(want, applied)) {
            return;
        }
        try {
            if (baseline == null) {
                baseline = new LinkedHashMap<>();
                Map<String, String> st = agent.status();
                for (String k : TUNABLES) {
                    if (st.containsKey(k)) {
                        baseline.put(k, st.get(k));
                    }
                }
            }
            if (want != null) {
                Profile.Scheduler s = want.scheduler();
                set(tunablesLine(s), want.name());
                if (s.enabled()
                        && !schedStartedByUs
                        && !"agent".equals(agent.status().get("sched_owner"))) {
                    // Started here, so stopped here when the game ends; one started before (record
                    // --scheduler on, the window's switch) is left running.
                    Reply r = agent.callRaw(Protocol.sched(true));
                    if (r.ok()) {
                        schedStartedByUs = true;
                    } else {
                        log.accept(
                                "profile "
                                        + want.name()
                                        + ": scheduler not started ("
                                        + r.code()
                                        + " "
                                        + String.join(" ", r.words())
                                        + "); monitoring only");
                    }
                } else if (!s.enabled() && schedStartedByUs) {
                    stopSched();
                }
            } else {
                if (!baseline.isEmpty()) {
                    StringBuilder b = new StringBuilder("SET");
                    baseline.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
                    set(b.toString(), "(none)");
                }
                if (schedStartedByUs) {
                    stopSched();
                }
            }
        } catch (AgentException e) {
            log.accept(
                    "profile " + (want == null ? "revert" : want.name()) + ": " + e.getMessage());
        }
        applied = want;
        activeListener.accept(now);
    }

    private void set(String line, String profile) throws AgentException {
        Reply r = agent.callRaw(line);
        if (!r.ok()) {
            log.accept(
                    "profile "
                            + profile
                            + ": agent refused '"
                            + line
                            + "': "
                            + r.code()
                            + " "
                            + String.join(" ", r.words()));
        }
    }

    private void stopSched() throws AgentException {
        agent.callRaw(Protocol.sched(false));
        schedStartedByUs = false;
    }

    /**
     * The one {@code SET} line that pushes a profile's scheduler tunables (µs, as the protocol
     * takes them).
     */
    public static String tunablesLine(Profile.Scheduler s) {
        return "SET boost_window_us="
                + s.boostWindowUs()
                + " game_slice_us="
                + s.gameSliceUs()
                + " other_slice_us="
                + s.otherSliceUs()
                + " preempt_on_input="
                + (s.preemptOnInput() ? 1 : 0);
    }

    static String describe(ProfileMatcher.Hit hit) {
        ProcessIdentity p = hit.process();
        return p.exe().isEmpty() ? p.comm() : p.exe();
    }
}
