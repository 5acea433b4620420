package org.gamercompanion.realkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.AgentProcess;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.agent.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 10, the agent's parts: WATCH of a process that has exited, and commands before
 * HELLO.
 */
class WatchAndPreHelloTest {
    @BeforeEach
    void needsBpf() throws Exception {
        RealKernel.assumeBpfAndAgent();
    }

    /**
     * A zombie (exited, not reaped) would never get EXITED and would hold a watch slot for good.
     */
    @Test
    void watchingAZombieIsNoentAndSaysItHasExited() throws Exception {
        // The child exits at once and its parent never waits for it: a zombie until the parent
        // ends.
        Process parent =
                new ProcessBuilder(
                                "python3",
                                "-c",
                                "import os, sys\n"
                                        + "pid = os.fork()\n"
                                        + "if pid == 0:\n    os._exit(0)\n"
                                        + "print(pid, flush=True)\n"
                                        + "sys.stdin.read()\n")
                        .start();
        LinkedBlockingQueue<Protocol.AsyncLine> async = new LinkedBlockingQueue<>();
        AgentProcess agent = AgentProcess.start(AgentProcess.Options.defaults(), async::add);
        try {
            long zombie =
                    Long.parseLong(
                            new BufferedReader(
                                            new InputStreamReader(
                                                    parent.getInputStream(),
                                                    StandardCharsets.US_ASCII))
                                    .readLine());
            SlowReaderBackPressureTest.awaitState(zombie, 'Z');
            agent.client().hello().closeFds();
            Reply r = agent.client().callRaw("WATCH " + zombie);
            assertThat(r.code()).as(r.text()).isEqualTo("NOENT");
            assertThat(r.text()).contains("has exited");
            assertThat(agent.client().status()).containsEntry("watched", "0");
        } finally {
            agent.stop();
            parent.destroyForcibly();
        }
    }

    /**
     * The other side of the zombie check: a process whose main thread exited but others run is
     * alive.
     */
    @Test
    void aProcessWhoseLeaderThreadExitedIsWatchedAndItsExitIsReported() throws Exception {
        Process p =
                new ProcessBuilder(
                                "python3",
                                "-c",
                                "import ctypes, threading, time, sys\n"
                                        + "threading.Thread(target=sys.stdin.read).start()\n"
                                        + "ctypes.CDLL(None).pthread_exit(None)\n")
                        .start();
        LinkedBlockingQueue<Protocol.AsyncLine> async = new LinkedBlockingQueue<>();
        AgentProcess agent = AgentProcess.start(AgentProcess.Options.defaults(), async::add);
        try {
            SlowReaderBackPressureTest.awaitState(p.pid(), 'Z');
            agent.client().hello().closeFds();
            assertThat(agent.client().callRaw("WATCH " + p.pid()).text())
                    .isEqualTo("OK WATCH " + p.pid());
            p.getOutputStream().close(); // the reading thread returns: the last thread exits
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Protocol.AsyncLine line;
            do {
                line = async.poll(30, TimeUnit.SECONDS);
            } while (line != null && !(line instanceof Protocol.Exited));
            assertThat(line).isEqualTo(new Protocol.Exited(p.pid()));
            assertThat(agent.client().status()).containsEntry("watched", "0");
        } finally {
            agent.stop();
            p.destroyForcibly();
        }
    }

    /**
     * Before HELLO a command is validated like any other: a malformed one gets its own error code,
     * and only a well-formed command other than HELLO gets STATE (docs/PROTOCOL.md).
     */
    @Test
    void beforeHelloMalformedCommandsKeepTheirCodeAndWellFormedOnesAreState() throws Exception {
        AgentProcess agent = AgentProcess.start(AgentProcess.Options.defaults(), l -> {});
        try {
            assertThat(agent.client().callRaw("WATCH 0").code()).isEqualTo("RANGE");
            assertThat(agent.client().callRaw("WATCH x").code()).isEqualTo("SYNTAX");
            assertThat(agent.client().callRaw("FROBNICATE").code()).isEqualTo("UNKNOWN");
            assertThat(agent.client().callRaw("HELLO 2").code()).isEqualTo("VERSION");
            assertThat(agent.client().callRaw("PING").code()).isEqualTo("STATE");
            assertThat(agent.client().callRaw("WATCH 1").code()).isEqualTo("STATE");
            agent.client().hello().closeFds();
            assertThat(agent.client().call("PING").words()).containsExactly("PONG");
        } finally {
            agent.stop();
        }
    }
}
