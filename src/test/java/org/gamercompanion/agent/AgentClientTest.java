package org.gamercompanion.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gamercompanion.sys.SeqPacketSocket;
import org.junit.jupiter.api.Test;

/** The client's handling of asynchronous lines, against a scripted agent on a socketpair. */
class AgentClientTest {
    @Test
    void droppedExecLinesAreSummedAndStillReachTheListener() throws Exception {
        SeqPacketSocket[] pair = SeqPacketSocket.pair();
        List<Protocol.AsyncLine> seen = new CopyOnWriteArrayList<>();
        try (SeqPacketSocket agent = pair[1];
                AgentClient client = AgentClient.connect(pair[0], seen::add)) {
            assertThat(client.execDropped()).isZero();
            agent.send("DROPPED EXEC 5");
            agent.send("EXEC 10 1 true /bin/true");
            agent.send("DROPPED EXEC 7");
            agent.send("OK PONG");
            assertThat(client.callRaw("PING").words()).containsExactly("PONG");
            // The reader thread handles packets in order, so the count is complete when the reply
            // is.
            assertThat(client.execDropped()).isEqualTo(12);
            assertThat(seen)
                    .containsExactly(
                            new Protocol.ExecDropped(5),
                            new Protocol.Exec(10, 1, "true", "/bin/true"),
                            new Protocol.ExecDropped(7));
        }
    }
}
