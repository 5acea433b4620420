package org.gamercompanion.dashboard;

import org.gamercompanion.agent.AgentProcess;

/**
 * What the status bar says about the agent.
 *
 * @param phase where the agent's lifecycle is
 * @param text one line for the status bar, e.g. {@code died (signal 9)}
 * @param detail more (the agent's stderr tail, what is missing), for a tooltip; may be empty
 * @param pid the agent's pid while it runs, else 0
 */
public record AgentStatus(Phase phase, String text, String detail, long pid) {
    /** The agent's lifecycle. */
    public enum Phase {
        STOPPED,
        STARTING,
        RUNNING,
        STOPPING,
        /** It died on its own (crash, kill): {@link AgentStatus#text} carries the exit reason. */
        EXITED,
        /** It could not be started: {@link AgentStatus#text} says what is missing. */
        FAILED
    }

    public static final AgentStatus STOPPED = new AgentStatus(Phase.STOPPED, "stopped", "", 0);

    public static AgentStatus starting() {
        return new AgentStatus(Phase.STARTING, "starting\u2026", "", 0);
    }

    /**
     * Starting through pkexec: polkit's password dialog is up, and the start waits for the player's
     * answer (bounded, docs/PRIVILEGES.md) rather than for the agent.
     */
    static AgentStatus authorising() {
        return new AgentStatus(
                Phase.STARTING,
                "waiting for authorisation (polkit)\u2026",
                "pkexec asks polkit for the permission to start the agent: answer the password dialog;"
                        + " cancelling it leaves the window without live data, and Start agent asks again",
                0);
    }

    public static AgentStatus running(long pid) {
        return new AgentStatus(Phase.RUNNING, "running (pid " + pid + ")", "", pid);
    }

    public static AgentStatus stopping() {
        return new AgentStatus(Phase.STOPPING, "stopping\u2026", "", 0);
    }

    public static AgentStatus failed(String message) {
        String reason = firstLine(message).replaceFirst("^cannot start gamer-agent: ", "");
        return new AgentStatus(Phase.FAILED, "could not start: " + reason, message, 0);
    }

    /**
     * The agent exited on its own.
     *
     * @param exitCode as {@link Process#exitValue}: 128 + N means killed by signal N; -1 unknown
     * @param stderrTail the agent's last stderr lines (may be empty)
     */
    public static AgentStatus exited(int exitCode, String stderrTail) {
        // The same words as record's: "the agent died (signal 9)", said here of "agent".
        String reason = AgentProcess.describeExit(exitCode).replaceFirst("^the agent ", "");
        String tail = stderrTail == null ? "" : stderrTail.strip();
        String last = lastLine(tail);
        return new AgentStatus(Phase.EXITED, reason + (last.isEmpty() ? "" : ": " + last), tail, 0);
    }

    boolean isActive() {
        return phase == Phase.STARTING || phase == Phase.RUNNING || phase == Phase.STOPPING;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String lastLine(String s) {
        if (s.isEmpty()) {
            return "";
        }
        String[] lines = s.split("\n");
        String last = lines[lines.length - 1].strip();
        return last.equals("agent stderr:") ? "" : last;
    }
}
