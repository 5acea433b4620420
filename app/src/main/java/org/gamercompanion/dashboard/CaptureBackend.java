package org.gamercompanion.dashboard;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.snapshot.Snapshot;

/**
 * What the dashboard needs from the data path: start an agent and its capture, sample it, watch
 * processes, run the self-test workload. {@link LiveCaptureBackend} is the real one (gamer-agent,
 * 16 rings, recorders); model tests use a fake.
 *
 * <p>Every method blocks and is called from the dashboard's capture thread only, never the FX thread.
 */
public interface CaptureBackend {
    /**
     * Starts the agent and the capture.
     *
     * @param watchedExited called (on any thread) with a tgid when a watched process exited
     * @throws AgentException with a message a player can act on (what is missing, what failed)
     */
    Session start(LongConsumer watchedExited) throws AgentException;

    /** Starts the self-test workload, paused until {@link Workload#go}. */
    Workload startSelftest() throws AgentException;

    /** One running agent with its capture. */
    interface Session {
        /** The agent's HELLO fields (input_hook, cpus, ring_bytes, ...). */
        Map<String, String> hello();

        long agentPid();

        /** Completes when the agent process has exited, for whatever reason. */
        CompletableFuture<?> agentExit();

        /** The last lines the agent wrote to stderr (empty when none). */
        String agentStderrTail();

        /** Takes the next snapshot. */
        Snapshot sample();

        void watch(long tgid) throws AgentException;

        void unwatch(long tgid) throws AgentException;

        /**
         * Stops the agent and releases the capture (rings, threads).
         *
         * @return the agent's exit code, -1 if it had to be killed
         */
        int close();
    }

    /** The self-test helper process. */
    interface Workload {
        long pid();

        void go() throws AgentException;

        void close();
    }
}
