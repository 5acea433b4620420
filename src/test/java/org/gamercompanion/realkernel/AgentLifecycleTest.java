package org.gamercompanion.realkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.AgentProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent lives exactly as long as its control connection (DESIGN.md section 1). */
class AgentLifecycleTest {
    @BeforeEach
    void needsBpf() throws Exception {
        RealKernel.assumeBpfAndAgent();
    }

    @Test
    void closingTheConnectionDetachesEverythingAndExitsWithinOneSecond() throws Exception {
        AgentProcess agent = AgentProcess.start(AgentProcess.Options.defaults(), l -> {});
        agent.client().hello().closeFds();
        ProcessHandle h = agent.handle();
        Set<Long> progs = RealKernel.bpfProgramIdsOf(h.pid());
        assertThat(progs).as("programs the agent holds").isNotEmpty();
        assertThat(RealKernel.loadedProgramIds()).containsAll(progs);

        long closedAt = System.nanoTime();
        agent.client().close();
        boolean exited =
                h.onExit().completeOnTimeout(null, 1, TimeUnit.SECONDS).get() != null
                        && !h.isAlive();
        assertThat(exited).as("agent exited within 1 s of the connection closing").isTrue();
        assertThat(RealKernel.awaitProgramsGone(progs, closedAt + 1_000_000_000L))
                .as("programs still loaded 1 s after the connection closed")
                .isEmpty();
        assertThat(agent.stop()).as("exit code").isZero();
    }

    @Test
    void killedAgentLeavesNoProgramAttached() throws Exception {
        AgentProcess agent = AgentProcess.start(AgentProcess.Options.defaults(), l -> {});
        agent.client().hello().closeFds();
        ProcessHandle h = agent.handle();
        Set<Long> progs = RealKernel.bpfProgramIdsOf(h.pid());
        assertThat(progs).isNotEmpty();

        long killedAt = System.nanoTime();
        assertThat(h.destroyForcibly()).as("SIGKILL sent").isTrue();
        assertThat(h.onExit().completeOnTimeout(null, 1, TimeUnit.SECONDS).get()).isNotNull();
        // The kernel releases fd-based links and programs when the process's fds are closed at
        // exit.
        assertThat(RealKernel.awaitProgramsGone(progs, killedAt + 1_000_000_000L))
                .as("programs still loaded 1 s after SIGKILL")
                .isEmpty();
        agent.stop();
    }

    @Test
    void quitIsAnsweredAndTheAgentExits() throws Exception {
        AgentProcess agent = AgentProcess.start(AgentProcess.Options.defaults(), l -> {});
        agent.client().hello().closeFds();
        assertThat(agent.client().call("QUIT").words()).containsExactly("BYE");
        assertThat(agent.handle().onExit().completeOnTimeout(null, 1, TimeUnit.SECONDS).get())
                .isNotNull();
        agent.stop();
    }
}
