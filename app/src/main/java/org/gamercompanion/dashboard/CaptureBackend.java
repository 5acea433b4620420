package org.gamercompanion.dashboard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.gamercompanion.ab.AbPlan;
import org.gamercompanion.ab.AbRunner;
import org.gamercompanion.ab.Prompter;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.snapshot.Snapshot;

/**
 * What the dashboard needs from the data path: start an agent and its capture, sample it, watch
 * processes, run the self-test workload. {@link LiveCaptureBackend} is the real one (gamer-agent,
 * 16 rings, recorders); model tests use a fake.
 *
 * <p>Every method blocks and is called from the dashboard's capture thread only, never the FX
 * thread.
 */
public interface CaptureBackend {
    /**
     * Starts the agent and the capture.
     *
     * @param watchedExited called (on any thread) with a tgid when a watched process exited
     * @throws AgentException with a message a player can act on (what is missing, what failed)
     */
    Session start(LongConsumer watchedExited) throws AgentException;

    /**
     * Whether {@link #start} will first wait for the player's authorisation (pkexec and polkit's
     * password dialog), so the window can say so instead of "starting". Known before the start.
     */
    default boolean startAsksForAuthorisation() {
        return false;
    }

    /** One running agent with its capture. */
    interface Session {
        /** The agent's HELLO fields (input_hook, cpus, ring_bytes, ...). */
        Map<String, String> hello();

        long agentPid();

        /** Completes when the agent process has exited, for whatever reason. */
        CompletableFuture<?> agentExit();

        /** The last lines the agent wrote to stderr (empty when none). */
        String agentStderrTail();

        /** Takes the next snapshot and closes the recording interval (.hlog, session files). */
        Snapshot sample();

        /**
         * A snapshot with the newest samples that leaves the recording interval open: the window's
         * display-rate update between two {@link #sample}s.
         */
        Snapshot sampleLive();

        void watch(long tgid) throws AgentException;

        void unwatch(long tgid) throws AgentException;

        /**
         * {@code SCHED ON|OFF}; the agent's reply, {@code ERR} included (sched_ext absent, another
         * scheduler).
         */
        default Reply sched(boolean on) throws AgentException {
            throw new AgentException("this backend has no scheduler");
        }

        /** The agent's {@code STATUS} fields (sched, sched_owner, ...). */
        default Map<String, String> status() throws AgentException {
            return Map.of();
        }

        /**
         * Writes a mark line into every session file being recorded; the files marked (empty: none
         * records).
         */
        default List<Path> mark(String note) {
            return List.of();
        }

        /**
         * Pushes a profile's tunables and its scheduler choice to the agent now (the tray's profile
         * menu); returns one line for the player on what happened.
         */
        default String applyProfile(Profile profile) throws AgentException {
            throw new AgentException("this backend cannot apply profiles");
        }

        /**
         * An A/B test over this session (the runner samples it while it runs). {@code gameRunning}
         * ends the test when the game exits.
         */
        default AbRunner abTest(
                AbPlan plan,
                Path outDir,
                Prompter prompter,
                BooleanSupplier gameRunning,
                AbRunner.Listener listener)
                throws AgentException {
            throw new AgentException("this backend cannot run A/B tests");
        }

        /**
         * Starts a new session of samples: the cumulative numbers start empty at the next sample (a
         * new target, or the player's Reset).
         */
        default void resetSession() {}

        /**
         * Records the session from now on into a new .hlog named after {@code target} (pid {@code
         * pid}, 0 for none); a recording already running is closed first.
         *
         * @return the file, complete once {@link #stopRecording} closes it
         */
        default Path startRecording(String target, long pid) throws IOException {
            throw new IOException("this backend cannot record");
        }

        /** Closes the running recording; the file it wrote, or empty when none ran. */
        default Optional<Path> stopRecording() {
            return Optional.empty();
        }

        /** Starts the self-test workload, watches it and lets it run. */
        Workload startSelftest() throws AgentException;

        /**
         * Stops the agent and releases the capture (rings, threads).
         *
         * @return the agent's exit code, -1 if it had to be killed
         */
        int close();
    }

    /** The self-test helper process of a session. */
    interface Workload {
        long pid();

        /** Stops watching it and ends it. */
        void close();
    }
}
