package org.gamercompanion.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.PrivilegedLaunchFixtures.Probe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's side of "only the invoking user may connect" (docs/PRIVILEGES.md), without polkit:
 * the test, as root, hands the agent the environment pkexec would (PKEXEC_UID), which is all the
 * agent sees of pkexec. The real pkexec path is {@link PkexecLaunchTest}.
 */
class AgentPeerCredentialsTest {
    /** nobody: a uid that is not ours, for an agent that must then turn us away. */
    private static final int OTHER_UID = 65534;

    @BeforeEach
    void needsRootAndTheAgent() throws AgentException {
        assumeTrue(
                PrivilegedLaunchFixtures.isRoot() && Privileges.canLoadBpf(),
                "agent credential test skipped: needs root (PKEXEC_UID is honoured only for a root agent)");
        assertThat(NativeBinaries.agent()).isExecutable();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "abc",
                "-1",
                "+5",
                "01000",
                "1000 ",
                " 1000",
                "0x10",
                "4294967295",
                "99999999999999999999",
                "1000\u00a0"
            })
    void aMalformedPkexecUidStopsTheAgentBeforeItLoadsAnything(String value) throws Exception {
        Agent a = Agent.start(Map.of("PKEXEC_UID", value));
        assertThat(a.firstLine()).isEqualTo("FAILED parse PKEXEC_UID: EINVAL");
        assertThat(a.exitCode()).isEqualTo(1);
    }

    @Test
    void anAgentStartedForAnotherUidTurnsRootAwayAndKeepsWaiting() throws Exception {
        Agent a = Agent.start(Map.of("PKEXEC_UID", Integer.toString(OTHER_UID)));
        try {
            String first = a.firstLine();
            assertThat(first).matches("LISTENING @[0-9a-f]{5}");
            String name = first.substring("LISTENING @".length());
            assertThat(PrivilegedLaunchFixtures.rootIsTurnedAway(name))
                    .as("root's HELLO went unanswered")
                    .isTrue();
            assertThat(a.process.isAlive())
                    .as("the agent still waits for uid " + OTHER_UID)
                    .isTrue();
        } finally {
            a.process.destroy();
            a.process.waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(a.stderr.get(5, TimeUnit.SECONDS))
                .contains("rejected a connection from uid 0 (allowed: " + OTHER_UID + ")");
    }

    @Test
    void pkexecUidIsIgnoredUnlessPkexecMadeTheAgentRoot() throws Exception {
        // As nobody the agent cannot load BPF, but it decides on PKEXEC_UID before that.
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "setpriv",
                                "--reuid=" + OTHER_UID,
                                "--regid=" + OTHER_UID,
                                "--clear-groups",
                                "--"));
        Agent a = Agent.start(cmd, Map.of("PKEXEC_UID", "0"));
        assertThat(a.exitCode()).isNotZero();
        assertThat(a.stderr.get(5, TimeUnit.SECONDS))
                .contains(
                        "PKEXEC_UID ignored: not started as root by pkexec (real uid "
                                + OTHER_UID
                                + ")")
                .doesNotContain("parse PKEXEC_UID");
    }

    /**
     * An app that itself runs as root under pkexec has PKEXEC_UID in its environment; the agent it
     * starts directly must still take the app's connection, so the variable is not passed on.
     */
    @Test
    void aRootAppStartedThroughPkexecStillReachesTheAgentItStartsDirectly(@TempDir Path tmp)
            throws Exception {
        List<String> java =
                PrivilegedLaunchFixtures.javaCommand(
                        tmp.resolve("cp"), PkexecProbe.class.getName(), List.of("raw"));
        Files.createDirectories(tmp.resolve("home"));
        try (Probe probe =
                Probe.start(
                        java,
                        tmp.resolve("home"),
                        Map.of("PKEXEC_UID", Integer.toString(OTHER_UID)))) {
            probe.expect("LISTENING ");
            probe.send("CONNECT");
            assertThat(probe.expect("HELLO ")).contains("rings=16");
            assertThat(probe.expect("STATUS ")).isEqualTo("STATUS ok");
            probe.send("CLOSE");
            assertThat(probe.expect("EXITED ", "NOT_EXITED"))
                    .as("exit within 1 s (bound 2 s) of the close")
                    .startsWith("EXITED 0 ");
        }
    }

    /** The built agent started directly; stdout's first line and all of stderr. */
    private record Agent(Process process, CompletableFuture<String> stderr) {
        static Agent start(Map<String, String> env) throws IOException, AgentException {
            return start(List.of(), env);
        }

        static Agent start(List<String> prefix, Map<String, String> env)
                throws IOException, AgentException {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.add(NativeBinaries.agent().toString());
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            // stderr into a file, read once the agent has exited: a thread reading the pipe while
            // the JDK drains it at process exit can get "Stream closed" and lose the text (seen in
            // CI).
            Path errFile = Files.createTempFile("agent-credtest-", ".err");
            errFile.toFile().deleteOnExit();
            pb.redirectError(errFile.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> err =
                    p.onExit()
                            .thenApply(
                                    done -> {
                                        try {
                                            return Files.readString(errFile);
                                        } catch (IOException e) {
                                            return e.toString();
                                        }
                                    });
            return new Agent(p, err);
        }

        String firstLine() throws IOException {
            return new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }

        int exitCode() throws InterruptedException {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("agent exited").isTrue();
            return process.exitValue();
        }
    }
}
