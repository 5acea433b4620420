package org.gamercompanion.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch decision and pkexec's exit codes. Real refusals are in {@link PkexecLaunchTest}; 126
 * (dialog dismissed) needs a person at a polkit dialog, so its mapping is checked here.
 */
class AgentLauncherTest {
    @TempDir Path tmp;

    @Test
    void aSourceCheckoutWithoutTheInstalledAgentNeedsThePackageOrRoot() {
        assertThatThrownBy(
                        () ->
                                AgentLauncher.throughPkexec(
                                        tmp.resolve("gamer-agent"), executable("pkexec")))
                .isInstanceOf(AgentException.class)
                .hasMessageStartingWith(
                        "cannot start gamer-agent: the privileged launch needs the installed package or root")
                .hasMessageContaining(tmp.resolve("gamer-agent").toString());
    }

    @Test
    void missingPkexecIsNamedWithThePackageToInstall() throws Exception {
        assertThatThrownBy(() -> AgentLauncher.throughPkexec(executable("gamer-agent"), null))
                .hasMessageContaining("pkexec is not installed")
                .hasMessageContaining("apt install pkexec");
    }

    @Test
    void pkexecRunsTheInstalledAgentByItsExactPath() throws Exception {
        Path agent = executable("gamer-agent");
        Path pkexec = executable("pkexec");
        AgentLauncher l = AgentLauncher.throughPkexec(agent, pkexec);
        assertThat(l.mode()).isEqualTo(AgentLauncher.Mode.PKEXEC);
        assertThat(l.command(List.of("--ring-kib", "512")))
                .containsExactly(pkexec.toString(), agent.toString(), "--ring-kib", "512");
        assertThat(l.canSignalAgent()).as("a root agent cannot be signalled by the app").isFalse();
        assertThat(l.listenTimeoutMillis())
                .as("bounded, and long enough to type a password")
                .isBetween(60_000L, 600_000L);
    }

    @Test
    void dismissedDialogIsAuthorisationCancelled() throws Exception {
        assertThat(
                        pkexec().failure(
                                        126,
                                        List.of(
                                                "Error executing command as another user: Request dismissed")))
                .startsWith("authorisation cancelled");
    }

    @Test
    void refusalIsNotAuthorisedWithPolkitsReason() throws Exception {
        assertThat(
                        pkexec().failure(
                                        127,
                                        List.of(
                                                "Error executing command as another user: Not authorized",
                                                "",
                                                "This incident has been reported.")))
                .startsWith("not authorised: polkit refused " + AgentLauncher.POLKIT_ACTION)
                .endsWith("(pkexec: Not authorized)");
        assertThat(
                        pkexec().failure(
                                        127,
                                        List.of(
                                                "Error getting authority: Error initializing authority: Could not"
                                                        + " connect: Connection refused")))
                .startsWith("not authorised: the polkit service");
        assertThat(
                        pkexec().failure(
                                        127,
                                        List.of(
                                                "Error executing command as another user: No authentication agent found.")))
                .startsWith("not authorised: no polkit authentication agent");
        assertThat(pkexec().failure(127, List.of()))
                .isEqualTo("not authorised: pkexec refused to start the agent");
    }

    @Test
    void theAgentsOwnExitCodesAreNotMistakenForPkexecs() throws Exception {
        assertThat(pkexec().failure(1, List.of("failed to load BPF"))).isNull();
        assertThat(
                        pkexec().failure(
                                        64,
                                        List.of(
                                                "gamer-agent: --ring-kib must be a power of two in 64..65536 (was 3)")))
                .isNull();
    }

    private AgentLauncher pkexec() throws Exception {
        return AgentLauncher.throughPkexec(executable("gamer-agent"), executable("pkexec"));
    }

    private Path executable(String name) throws Exception {
        Path p = tmp.resolve(name);
        if (!Files.exists(p)) {
            Files.writeString(p, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return p;
    }
}
