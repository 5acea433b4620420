package org.gamercompanion.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code gamer-agent} is started (docs/PRIVILEGES.md): directly when this process may load BPF
 * itself, otherwise through {@code pkexec} and the polkit action {@value #POLKIT_ACTION}.
 *
 * <p>pkexec picks the action by the program's path, and the action names the installed agent
 * ({@code /usr/lib/gamer-companion/agent/gamer-agent}), so only the installed agent can be started
 * that way: a source checkout needs root (or the three capabilities) instead. pkexec execs the
 * agent in place (same pid) with {@code PKEXEC_UID} set to our uid, and the agent accepts only that
 * uid's connection (SO_PEERCRED).
 *
 * <pre>{@code
 * AgentLauncher launcher = AgentLauncher.forThisProcess();     // throws with what is missing
 * Process p = launcher.processBuilder(List.of()).start();
 * // "LISTENING @name": connect to name; no such line and p exited:
 * // launcher.failure(p.exitValue(), stderrLines) says why
 * }</pre>
 */
final class AgentLauncher {
    static final String POLKIT_ACTION = "org.gamercompanion.agent.start";

    /** pkexec: the authentication dialog was dismissed (cancelled by the user). */
    static final int PKEXEC_DISMISSED = 126;

    /** pkexec: not authorised, or no authority or authentication agent to ask. */
    static final int PKEXEC_NOT_AUTHORIZED = 127;

    /**
     * A directly started agent prints LISTENING after loading BPF: seconds, even on a slow machine.
     */
    private static final long DIRECT_LISTEN_TIMEOUT_MS = 20_000;

    /**
     * Through pkexec the wait includes the password dialog. polkit itself never times it out; we
     * do, so a forgotten dialog cannot hold the app's start forever.
     */
    private static final long PKEXEC_LISTEN_TIMEOUT_MS = 180_000;

    enum Mode {
        /** This process runs the agent itself (root or CAP_BPF + CAP_PERFMON + CAP_SYS_ADMIN). */
        DIRECT,
        /** pkexec runs the installed agent as root after polkit's authorisation. */
        PKEXEC
    }

    private final Mode mode;
    private final Path agent;
    private final Path pkexec;

    private AgentLauncher(Mode mode, Path agent, Path pkexec) {
        this.mode = mode;
        this.agent = agent;
        this.pkexec = pkexec;
    }

    /** The launcher for this process's privileges and this machine's installation. */
    static AgentLauncher forThisProcess() throws AgentException {
        if (Privileges.canLoadBpf()) {
            return new AgentLauncher(Mode.DIRECT, NativeBinaries.agent(), null);
        }
        return throughPkexec(
                Path.of(NativeBinaries.INSTALLED_DIR, "gamer-agent"), findOnPath("pkexec"));
    }

    /**
     * The pkexec launcher for {@code installedAgent}, or why there is none.
     *
     * @param pkexec the pkexec binary, null if it is not installed
     */
    static AgentLauncher throughPkexec(Path installedAgent, Path pkexec) throws AgentException {
        if (!Files.isExecutable(installedAgent)) {
            throw new AgentException(
                    "cannot start gamer-agent: the privileged launch needs the installed"
                            + " package or root ("
                            + installedAgent
                            + " is missing, and this process may not load BPF)\n"
                            + "  pkexec (polkit action "
                            + POLKIT_ACTION
                            + ") starts only the installed agent: install"
                            + " the gamer-companion package, or run as root (sudo ./companion)\n  "
                            + Privileges.missingReason());
        }
        if (pkexec == null) {
            throw new AgentException(
                    "cannot start gamer-agent: pkexec is not installed; it asks polkit for the"
                            + " permission to start the agent (Debian/Ubuntu: apt install pkexec; Fedora/Arch: polkit),"
                            + " or run as root");
        }
        return new AgentLauncher(Mode.PKEXEC, installedAgent, pkexec);
    }

    Mode mode() {
        return mode;
    }

    /** The agent binary that will run. */
    Path agent() {
        return agent;
    }

    /** How long to wait for the agent's LISTENING line. */
    long listenTimeoutMillis() {
        return mode == Mode.PKEXEC ? PKEXEC_LISTEN_TIMEOUT_MS : DIRECT_LISTEN_TIMEOUT_MS;
    }

    /**
     * Whether this process can signal the running agent: not a root agent started through pkexec
     * (the kernel refuses signals to a process whose uids are all root). Closing the connection
     * still ends it.
     */
    boolean canSignalAgent() {
        return mode == Mode.DIRECT;
    }

    /** The command line: the agent and {@code agentArgs}, behind pkexec in {@link Mode#PKEXEC}. */
    List<String> command(List<String> agentArgs) {
        List<String> cmd = new ArrayList<>();
        if (mode == Mode.PKEXEC) {
            cmd.add(pkexec.toString());
        }
        cmd.add(agent.toString());
        cmd.addAll(agentArgs);
        return cmd;
    }

    ProcessBuilder processBuilder(List<String> agentArgs) {
        ProcessBuilder pb = new ProcessBuilder(command(agentArgs));
        // The agent trusts PKEXEC_UID as the uid allowed to connect. A direct launch from an app
        // that
        // itself runs under pkexec (as root) would pass the original user's uid on and lock the app
        // out; pkexec sets the variable itself, so no launch should inherit one.
        pb.environment().remove("PKEXEC_UID");
        return pb;
    }

    /**
     * Why the agent did not start, when its process exited before printing LISTENING; null when the
     * exit code is not pkexec's (the agent's own failure: its stderr says why).
     *
     * @param exitCode the exit code of the process started by {@link #processBuilder}
     * @param stderr what it wrote to stderr (pkexec's own message comes first)
     */
    String failure(int exitCode, List<String> stderr) {
        if (mode != Mode.PKEXEC) {
            return null;
        }
        String said = pkexecMessage(stderr);
        return switch (exitCode) {
            case PKEXEC_DISMISSED -> "authorisation cancelled; Start agent asks again";
            case PKEXEC_NOT_AUTHORIZED ->
                    "not authorised: "
                            + notAuthorisedReason(said)
                            + (said.isEmpty() ? "" : " (pkexec: " + said + ")");
            default -> null;
        };
    }

    private static String notAuthorisedReason(String said) {
        if (said.contains("Not authorized")) {
            return "polkit refused "
                    + POLKIT_ACTION
                    + " (only an administrator, from the active local"
                    + " session, may start the agent)";
        }
        if (said.contains("authentication agent")) {
            return "no polkit authentication agent is running to ask for the password (start the"
                    + " desktop's polkit agent, or start Gamer Companion from a terminal)";
        }
        if (said.contains("authority")) {
            return "the polkit service (polkitd on the system D-Bus) is not reachable";
        }
        return "pkexec refused to start the agent";
    }

    /** pkexec's first error line, without its generic prefix. */
    private static String pkexecMessage(List<String> stderr) {
        for (String line : stderr) {
            String s = line.strip();
            if (!s.isEmpty()) {
                return s.replaceFirst("^Error executing command as another user: ", "");
            }
        }
        return "";
    }

    private static Path findOnPath(String program) {
        String path = System.getenv("PATH");
        List<String> dirs =
                new ArrayList<>(List.of((path == null ? "" : path).split(File.pathSeparator)));
        // Started from a desktop entry, PATH can be minimal; pkexec is /usr/bin/pkexec everywhere.
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
