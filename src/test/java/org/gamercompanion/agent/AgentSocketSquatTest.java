package org.gamercompanion.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.sys.SeqPacketSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 3: another local user must not be able to keep the agent from starting by binding
 * its socket name first, nor talk to it. The squatter ({@code src/test/helpers/squatter.py}) runs
 * as nobody and does what the attack did: it reads every gamer-agent's command line from /proc and
 * binds any {@code @NAME} it finds before the agent gets there. The agent now lets the kernel pick
 * its name (autobind) and reports it in its LISTENING line, so there is nothing to read and nothing
 * to take first.
 */
class AgentSocketSquatTest {
    private static final int NOBODY = 65534;

    @TempDir Path tmp;

    private Process squatter;
    private PrintWriter toSquatter;
    private BufferedReader fromSquatter;

    @BeforeEach
    void startTheSquatter() throws Exception {
        assumeTrue(
                PrivilegedLaunchFixtures.isRoot() && Privileges.canLoadBpf(),
                "socket squat test skipped: needs root (to run the squatter as another uid, and the agent)");
        assertThat(NativeBinaries.agent()).isExecutable();
        String script = Files.readString(Path.of("src/test/helpers/squatter.py").toAbsolutePath());
        squatter =
                new ProcessBuilder(
                                "setpriv",
                                "--reuid=" + NOBODY,
                                "--regid=" + NOBODY,
                                "--clear-groups",
                                "--",
                                "/usr/bin/python3",
                                "-c",
                                script)
                        .directory(tmp.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        toSquatter = new PrintWriter(squatter.getOutputStream(), true, StandardCharsets.US_ASCII);
        fromSquatter =
                new BufferedReader(
                        new InputStreamReader(
                                squatter.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(fromSquatter.readLine()).isEqualTo("WATCHING");
    }

    @AfterEach
    void stopTheSquatter() throws Exception {
        if (squatter != null) {
            squatter.destroyForcibly();
            squatter.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSquatterReadingCommandLinesCannotKeepTheAgentFromStarting() throws Exception {
        for (int i = 0; i < 3; i++) {
            AgentProcess agent = AgentProcess.start(AgentProcess.Options.defaults(), l -> {});
            try {
                List<String> argv =
                        List.of(
                                Files.readString(
                                                Path.of(
                                                        "/proc",
                                                        Long.toString(agent.pid()),
                                                        "cmdline"))
                                        .split("\0"));
                assertThat(argv)
                        .as("the agent's command line")
                        .noneMatch(a -> a.startsWith("@") || a.equals("--socket"));
                agent.client().hello().closeFds();
                assertThat(agent.client().call("PING").words()).containsExactly("PONG");
            } finally {
                agent.stop();
            }
        }
        toSquatter.println("STOP");
        assertThat(fromSquatter.readLine()).isEqualTo("SQUATTED_TOTAL 0");
    }

    @Test
    void anotherUidIsTurnedAwayAtTheReportedNameAndTheRealClientStillConnects() throws Exception {
        Process agent =
                new ProcessBuilder(NativeBinaries.agent().toString())
                        .redirectError(tmp.resolve("agent.err").toFile())
                        .start();
        try {
            String first =
                    new BufferedReader(
                                    new InputStreamReader(
                                            agent.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
            assertThat(first).matches("LISTENING @[0-9a-f]{5}");
            String name = first.substring("LISTENING @".length());

            toSquatter.println("CONNECT " + name);
            assertThat(fromSquatter.readLine()).as("nobody's HELLO").isEqualTo("REJECTED");

            SeqPacketSocket socket = SeqPacketSocket.connectAbstract(name);
            AgentProcess.checkPeer(socket, agent.pid());
            try (AgentClient client = AgentClient.connect(socket, l -> {})) {
                client.hello().closeFds();
                assertThat(client.call("PING").words()).containsExactly("PONG");
            }
            assertThat(agent.waitFor(5, TimeUnit.SECONDS))
                    .as("the agent exits with its connection")
                    .isTrue();
            assertThat(Files.readString(tmp.resolve("agent.err")))
                    .contains("rejected a connection from uid " + NOBODY + " (allowed: 0)");
        } finally {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Issue 11 item 10: a connect flood from another uid wrote one stderr line per connection
     * (48,536 in the report). Now the first 10 are logged one by one and the rest in counted
     * summary lines, the last one written when listening stops; nothing is lost from the count.
     */
    @Test
    void aConnectFloodFromAnotherUidIsLoggedAtABoundedRateAndCounted() throws Exception {
        int connects = 3000;
        Process agent =
                new ProcessBuilder(NativeBinaries.agent().toString())
                        .redirectError(tmp.resolve("agent.err").toFile())
                        .start();
        try {
            String first =
                    new BufferedReader(
                                    new InputStreamReader(
                                            agent.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
            assertThat(first).matches("LISTENING @[0-9a-f]{5}");
            String name = first.substring("LISTENING @".length());
            toSquatter.println("FLOOD " + name + " " + connects);
            assertThat(fromSquatter.readLine()).isEqualTo("FLOODED " + connects + " 0");

            SeqPacketSocket socket = SeqPacketSocket.connectAbstract(name);
            try (AgentClient client = AgentClient.connect(socket, l -> {})) {
                client.hello().closeFds();
            }
            assertThat(agent.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(tmp.resolve("agent.err"));
        long oneByOne =
                lines.stream()
                        .filter(
                                l ->
                                        l.equals(
                                                "rejected a connection from uid "
                                                        + NOBODY
                                                        + " (allowed: 0)"))
                        .count();
        List<String> summaries =
                lines.stream()
                        .filter(l -> l.startsWith("rejected ") && l.contains(" more connections"))
                        .toList();
        long summed = summaries.stream().mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum();
        assertThat(oneByOne).as("rejections logged one by one").isEqualTo(10);
        assertThat(oneByOne + summed).as("every rejection counted").isEqualTo(connects);
        assertThat(summaries.getLast())
                .contains("last from uid " + NOBODY + "; " + connects + " in all");
        assertThat(lines.size())
                .as("stderr lines for %d rejected connections", connects)
                .isLessThan(connects / 10);
    }

    @Test
    void theAppRefusesAPeerThatIsNotTheAgentItStarted() throws Exception {
        SeqPacketSocket[] pair = SeqPacketSocket.pair();
        try (SeqPacketSocket other = pair[1]) {
            long self = ProcessHandle.current().pid();
            AgentProcess.checkPeer(pair[0], self);
            assertThatThrownBy(() -> AgentProcess.checkPeer(pair[0], self + 1))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("peer is pid " + self)
                    .hasMessageContaining("not the agent we started (pid " + (self + 1) + ")");
        } finally {
            pair[0].close();
        }
    }
}
