package org.gamercompanion.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.ProtocolException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeqPacketSocketTest {
    private SeqPacketSocket app;
    private SeqPacketSocket agent;

    @BeforeEach
    void connect() throws Exception {
        SeqPacketSocket[] pair = SeqPacketSocket.pair();
        app = pair[0];
        agent = pair[1];
    }

    @AfterEach
    void close() {
        app.close();
        agent.close();
    }

    @Test
    void lineRoundTripsAsOnePacketWithoutTheTrailingNewline() throws Exception {
        app.send("HELLO 1");
        agent.send("OK HELLO 1 rings=16\n");

        assertThat(agent.receive(5_000))
                .satisfies(
                        p -> {
                            assertThat(p.line()).isEqualTo("HELLO 1");
                            assertThat(p.fds()).isEmpty();
                        });
        assertThat(app.receive(5_000).line()).isEqualTo("OK HELLO 1 rings=16");
    }

    @Test
    void packetsKeepTheirBoundaries() throws Exception {
        app.send("PING");
        app.send("STATUS");
        app.sendBytes(new byte[0]);

        assertThat(agent.receive(5_000).line()).isEqualTo("PING");
        assertThat(agent.receive(5_000).line()).isEqualTo("STATUS");
        assertThat(agent.receive(5_000).line()).isEmpty();
    }

    @Test
    void rawBytesArriveUnchanged() throws Exception {
        byte[] hostile = {'S', 'E', 'T', ' ', (byte) 0xff, 0, '\r'};
        app.sendBytes(hostile);

        SeqPacketSocket.Packet p = agent.receive(5_000);

        assertThat(p.line().length()).isEqualTo(hostile.length);
        assertThat(p.line()).startsWith("SET ");
    }

    @Test
    void fdsPassedWithScmRightsAreWorkingDuplicates() throws Exception {
        try (EventFd original = EventFd.create()) {
            agent.sendWithFds("FDS 2", new int[] {original.fd(), original.fd()});

            SeqPacketSocket.Packet p = app.receive(5_000);

            assertThat(p.line()).isEqualTo("FDS 2");
            assertThat(p.fds()).hasSize(2).doesNotContain(original.fd());
            assertThat(p.fds()[0]).isNotEqualTo(p.fds()[1]);
            original.signal(5);
            for (int fd : p.fds()) {
                assertThat(Fds.isOpen(fd)).isTrue();
            }
            // Both received fds name the same kernel counter as the original.
            try (Epoll epoll = Epoll.create();
                    var arena = Arena.ofConfined()) {
                epoll.add(p.fds()[0], Epoll.EPOLLIN, 7);
                Epoll.Events ready = Epoll.Events.allocate(1, arena);
                assertThat(epoll.wait(ready, 5_000)).isEqualTo(1);
                assertThat(ready.data(0)).isEqualTo(7);
            }
            assertThat(original.drain()).isEqualTo(5);
            Arrays.stream(p.fds()).forEach(Fds::close);
        }
    }

    @Test
    void seventeenFdsLikeTheAgentsHelloArriveInOrder() throws Exception {
        EventFd[] sent = new EventFd[17];
        try {
            int[] fds = new int[sent.length];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = EventFd.create();
                sent[i].signal(i + 1);
                fds[i] = sent[i].fd();
            }
            agent.sendWithFds("FDS 17", fds);

            SeqPacketSocket.Packet p = app.receive(5_000);

            assertThat(p.fds()).hasSize(17);
            for (int i = 0; i < 17; i++) {
                assertThat(sent[i].drain()).as("counter %d", i).isEqualTo(i + 1);
            }
            Arrays.stream(p.fds()).forEach(Fds::close);
        } finally {
            Arrays.stream(sent).filter(e -> e != null).forEach(EventFd::close);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 50})
    void receiveReturnsNullWhenTheTimeoutPassesFirst(long timeoutMillis) throws Exception {
        assertThat(app.receive(timeoutMillis)).isNull();
    }

    @Test
    void hugeTimeoutWaitsForThePacketInsteadOfOverflowing() throws Exception {
        CompletableFuture<SeqPacketSocket.Packet> received =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return app.receive(Long.MAX_VALUE);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        while (!received.isDone() && !isBlockedInReceive()) {
            Thread.onSpinWait();
        }
        agent.send("OK PONG");

        assertThat(received.get(30, TimeUnit.SECONDS))
                .isNotNull()
                .extracting(SeqPacketSocket.Packet::line)
                .isEqualTo("OK PONG");
    }

    @Test
    void receiveThrowsEofWhenThePeerCloses() throws Exception {
        agent.send("EXITED 42");
        agent.close();

        assertThat(app.receive(5_000).line()).isEqualTo("EXITED 42");
        assertThatThrownBy(() -> app.receive(5_000))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("peer closed");
    }

    @Test
    void closeWakesABlockedReceiverWithEof() throws Exception {
        CompletableFuture<Throwable> outcome =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                app.receive(-1);
                                return null;
                            } catch (Throwable t) {
                                return t;
                            }
                        });
        // Wait until the receiver is inside poll (no packet will ever come), then close under it.
        while (!outcome.isDone() && !isBlockedInReceive()) {
            Thread.onSpinWait();
        }
        app.close();

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> app.receive(0)).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void packetOverTheProtocolsFiveHundredTwelveBytesStillArrivesWholeForTheCallerToReject()
            throws Exception {
        String tooLong = "EXEC " + "x".repeat(600);
        agent.send(tooLong);

        assertThat(app.receive(5_000).line()).isEqualTo(tooLong);
    }

    @Test
    void packetLargerThanTheReceiveBufferIsReportedAsTruncatedAndTheConnectionGoesOn()
            throws Exception {
        byte[] huge = new byte[SeqPacketSocket.RECEIVE_BUFFER_BYTES + 100];
        Arrays.fill(huge, (byte) 'x');
        agent.sendBytes(huge);
        agent.send("OK PONG");

        assertThatThrownBy(() -> app.receive(5_000))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("MSG_TRUNC")
                .hasMessageContaining(huge.length + " bytes");
        assertThat(app.receive(5_000).line()).isEqualTo("OK PONG");
    }

    @Test
    void tooManyFdsAreReportedAsControlTruncationAndNoneLeak() throws Exception {
        try (EventFd carried = EventFd.create()) {
            int[] fds = new int[SeqPacketSocket.MAX_RECEIVED_FDS + 8];
            Arrays.fill(fds, carried.fd());
            long openBefore = openFdCount();
            agent.sendWithFds("FDS", fds);

            assertThatThrownBy(() -> app.receive(5_000))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("MSG_CTRUNC");
            assertThat(openFdCount()).isEqualTo(openBefore);
        }
    }

    @Test
    void connectingToAnAbstractNameNobodyListensOnNamesTheCallAndErrno() {
        assertThatThrownBy(
                        () ->
                                SeqPacketSocket.connectAbstract(
                                        "gamer-companion.test.nobody." + System.nanoTime()))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("connect(@gamer-companion.test.nobody.")
                .hasMessageContaining("ECONNREFUSED")
                .satisfies(
                        e ->
                                assertThat(((ErrnoException) e).errno())
                                        .isEqualTo(Errno.ECONNREFUSED));
    }

    @Test
    void abstractNameLongerThanSunPathIsRejected() {
        assertThatThrownBy(() -> SeqPacketSocket.connectAbstract("x".repeat(108)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..107");
    }

    @Test
    void sendAfterThePeerClosedIsEpipeNotASignal() {
        agent.close();

        assertThatThrownBy(() -> app.send("PING"))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("EPIPE");
    }

    @Test
    void lineIsUsAscii() throws Exception {
        app.sendBytes("OK é".getBytes(StandardCharsets.UTF_8));

        assertThat(agent.receive(5_000).line()).startsWith("OK ").hasSize(5);
    }

    private static long openFdCount() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static boolean isBlockedInReceive() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.RUNNABLE)
                .anyMatch(
                        e ->
                                Arrays.stream(e.getValue())
                                        .anyMatch(f -> f.getMethodName().equals("awaitReadable")));
    }
}
