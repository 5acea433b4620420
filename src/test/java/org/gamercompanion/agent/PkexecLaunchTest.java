package org.gamercompanion.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.PrivilegedLaunchFixtures.InstalledAgent;
import org.gamercompanion.agent.PrivilegedLaunchFixtures.PolkitAuthority;
import org.gamercompanion.agent.PrivilegedLaunchFixtures.Probe;
import org.gamercompanion.agent.PrivilegedLaunchFixtures.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unprivileged app starting the agent through pkexec (docs/PRIVILEGES.md), as far as one root
 * machine without a desktop allows: a throwaway user runs the app's launch code ({@link
 * PkexecProbe}); polkitd runs on a system bus the test starts; a polkit rule stands in for the
 * administrator's password, which nobody can type here.
 */
class PkexecLaunchTest {
    /**
     * What the window says while a start is under way: through pkexec it waits for polkit's dialog.
     */
    private static final String AUTHORISING = "WAIT waiting for authorisation (polkit)...";

    private static final String STARTING = "WAIT starting...";

    private static TestUser user;
    private static Path classpathDir;

    @BeforeAll
    static void createUser() throws IOException {
        PrivilegedLaunchFixtures.assumeRoot("pkexec launch test");
        PrivilegedLaunchFixtures.assumePolkitTools();
        user = TestUser.create();
        // The probe runs as the test user: it must be able to enter this directory.
        classpathDir =
                Files.createTempDirectory(
                        "gc-pktest-cp",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterAll
    static void removeUser() throws IOException {
        if (user != null) {
            user.close();
        }
        if (classpathDir != null) {
            PrivilegedLaunchFixtures.deleteTree(classpathDir);
        }
    }

    @Test
    void withoutTheInstalledAgentAnUnprivilegedStartSaysItNeedsThePackageOrRoot() throws Exception {
        assumeTrue(
                !Files.exists(PrivilegedLaunchFixtures.INSTALLED_AGENT),
                PrivilegedLaunchFixtures.INSTALLED_AGENT
                        + " is installed here: the source-checkout case cannot be shown");
        try (Probe probe = probe("controller")) {
            // Nothing to authorise: the launch fails at once, so the window never says it waits for
            // polkit.
            assertFailedTwice(
                    probe, STARTING, "the privileged launch needs the installed package or root");
        }
    }

    @Test
    void withoutAPolkitAuthorityTheRefusalIsReportedAndTheAppCanRetry() throws Exception {
        assumeTrue(
                !PolkitAuthority.systemBusRuns(),
                "a system D-Bus runs here, so polkit may well answer");
        try (InstalledAgent installed = InstalledAgent.install();
                Probe probe = probe("controller")) {
            String detail =
                    assertFailedTwice(probe, AUTHORISING, "not authorised: the polkit service");
            assertThat(detail)
                    .as("pkexec's own words are kept for the tooltip")
                    .contains("Error getting authority");
        }
    }

    @Test
    void polkitRefusesAUserWithoutAnActiveLocalSessionWithoutAPrompt() throws Exception {
        try (InstalledAgent installed = InstalledAgent.install();
                PolkitAuthority polkit = PolkitAuthority.start(null);
                Probe probe = probe("controller")) {
            // allow_any=no: the test user has no session at all, so polkit says no without asking.
            String detail =
                    assertFailedTwice(
                            probe,
                            AUTHORISING,
                            "not authorised: polkit refused " + AgentLauncher.POLKIT_ACTION);
            assertThat(detail).contains("Not authorized");
        }
    }

    @Test
    void
            grantedThroughPolkitTheAgentRunsAsRootAndServesOnlyTheUserWhoAskedAndEndsWithTheConnection()
                    throws Exception {
        try (InstalledAgent installed = InstalledAgent.install();
                PolkitAuthority polkit = PolkitAuthority.start(user.name);
                Probe probe = probe("raw")) {
            String[] listening = probe.expect("LISTENING ").split(" ");
            String name = listening[1];
            long pid = Long.parseLong(listening[2]);

            // pkexec execs the agent in place: the pid the app started is the root agent.
            assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")))
                    .isEqualTo(PrivilegedLaunchFixtures.INSTALLED_AGENT);
            assertThat(statusField(pid, "Uid:"))
                    .as("real, effective, saved, fs uid")
                    .isEqualTo("0 0 0 0");
            assertThat(
                            Files.readString(Path.of("/proc", Long.toString(pid), "environ"))
                                    .split("\0"))
                    .contains("PKEXEC_UID=" + user.uid);

            // Root is another uid here: the agent must turn it away and keep waiting for the user.
            assertThat(PrivilegedLaunchFixtures.rootIsTurnedAway(name))
                    .as("a root client's HELLO is answered")
                    .isTrue();
            assertThat(ProcessHandle.of(pid))
                    .as("agent still running after the refusal")
                    .isPresent();

            probe.send("CONNECT");
            assertThat(probe.expect("HELLO ")).contains("rings=16");
            assertThat(probe.expect("STATUS ")).isEqualTo("STATUS ok");
            probe.send("CLOSE");
            String exited = probe.expect("EXITED ", "NOT_EXITED");
            assertThat(exited)
                    .as("the agent exits within 1 s (bound 2 s) of its connection closing")
                    .startsWith("EXITED 0 ");
            assertThat(probe.stderr())
                    .contains("rejected a connection from uid 0 (allowed: " + user.uid + ")");
        }
    }

    @Test
    void grantedThroughPolkitTheDashboardStartsAndStopsTheAgent() throws Exception {
        try (InstalledAgent installed = InstalledAgent.install();
                PolkitAuthority polkit = PolkitAuthority.start(user.name);
                Probe probe = probe("controller")) {
            assertThat(probe.expect("WAIT ")).isEqualTo(AUTHORISING);
            String status = probe.expect("STATUS ");
            assertThat(status).as(probe.stderr()).startsWith("STATUS RUNNING ");
            long pid = Long.parseLong(status.split(" ")[2]);
            probe.expect("DETAIL ");
            ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
            assertThat(statusField(pid, "Uid:")).isEqualTo("0 0 0 0");
            probe.send("CLOSE");
            assertThat(probe.expect("STOPPED", "NOT_STOPPED")).isEqualTo("STOPPED");
            assertThat(agent.onExit().completeOnTimeout(null, 2, TimeUnit.SECONDS).join())
                    .as("the root agent is gone once the app stopped it (closing the connection)")
                    .isNotNull();
        }
    }

    /** The policy as polkitd sees it, when polkitd runs here. */
    @Test
    void pkactionKnowsTheAction() throws Exception {
        try (PolkitAuthority polkit = PolkitAuthority.start(null)) {
            PrivilegedLaunchFixtures.Result r = polkit.pkaction();
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out())
                    .contains(AgentLauncher.POLKIT_ACTION + ":")
                    .containsPattern("implicit any:\\s+no\\n")
                    .containsPattern("implicit inactive:\\s+no\\n")
                    .containsPattern("implicit active:\\s+auth_admin_keep\\n")
                    .contains(
                            "org.freedesktop.policykit.exec.path -> "
                                    + PrivilegedLaunchFixtures.INSTALLED_AGENT);
        }
    }

    /**
     * Two settled FAILED statuses (the start and its retry), both naming {@code reason}; returns
     * the detail.
     */
    private static String assertFailedTwice(Probe probe, String wait, String reason)
            throws Exception {
        assertThat(probe.expect("WAIT ")).isEqualTo(wait);
        String first = probe.expect("STATUS ");
        String detail = probe.expect("DETAIL ");
        assertThat(first)
                .as(probe.stderr())
                .startsWith("STATUS FAILED 0 could not start: " + reason);
        assertThat(probe.expect("WAIT ")).isEqualTo(wait);
        assertThat(probe.expect("STATUS "))
                .as("the retry, with the window still usable")
                .startsWith("STATUS FAILED 0 could not start: " + reason);
        assertThat(probe.exitCode()).as("the app ended normally").isZero();
        return detail;
    }

    /** {@link PkexecProbe} in {@code mode}, run as the test user. */
    private static Probe probe(String mode) throws IOException {
        List<String> java =
                PrivilegedLaunchFixtures.javaCommand(
                        classpathDir.resolve(mode + System.nanoTime()),
                        PkexecProbe.class.getName(),
                        List.of(mode));
        return Probe.start(user.asUser(java), user.home);
    }

    static String statusField(long pid, String field) throws IOException {
        Optional<String> line =
                Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                        .filter(l -> l.startsWith(field))
                        .findFirst();
        return line.orElseThrow().substring(field.length()).strip().replaceAll("\\s+", " ");
    }
}
