package org.gamercompanion.realkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.gamercompanion.agent.AgentProcess;
import org.gamercompanion.agent.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed or hostile line gets an ERR with the right code, and the agent keeps serving. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileControlLinesTest {
    private AgentProcess agent;

    @BeforeAll
    void start() throws Exception {
        RealKernel.assumeBpfAndAgent();
        agent = AgentProcess.start(AgentProcess.Options.defaults(), l -> {});
        agent.client().hello().closeFds();
    }

    @AfterAll
    void stop() {
        if (agent != null) {
            agent.stop();
        }
    }

    static Stream<Arguments> hostileLines() {
        byte[] tooLong = new byte[600];
        Arrays.fill(tooLong, (byte) 'A');
        byte[] longWatch = ("WATCH " + "1".repeat(600)).getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                Arguments.of("too long", tooLong, "TOOLONG"),
                Arguments.of("too long but valid prefix", longWatch, "TOOLONG"),
                Arguments.of("unknown verb", ascii("FROBNICATE 1"), "UNKNOWN"),
                Arguments.of("lower-case verb", ascii("watch 1"), "UNKNOWN"),
                Arguments.of("tgid zero", ascii("WATCH 0"), "RANGE"),
                Arguments.of("tgid above pid_max", ascii("WATCH 4194305"), "RANGE"),
                Arguments.of("tgid of 19 digits", ascii("WATCH 9999999999999999999"), "RANGE"),
                Arguments.of(
                        "tgid of more than 19 digits",
                        ascii("WATCH 99999999999999999999999"),
                        "SYNTAX"),
                Arguments.of("leading zero", ascii("WATCH 01"), "SYNTAX"),
                Arguments.of("negative tgid", ascii("WATCH -5"), "SYNTAX"),
                Arguments.of("plus sign", ascii("WATCH +5"), "SYNTAX"),
                Arguments.of("hex tgid", ascii("WATCH 0x10"), "SYNTAX"),
                Arguments.of("missing argument", ascii("WATCH"), "SYNTAX"),
                Arguments.of("extra argument", ascii("WATCH 1 2"), "SYNTAX"),
                Arguments.of("double space", ascii("WATCH  1"), "SYNTAX"),
                Arguments.of("unknown SET key", ascii("SET turbo=1"), "UNKNOWN"),
                Arguments.of("SET out of range", ascii("SET wakeup_bytes=99999999999"), "RANGE"),
                Arguments.of("SET without value", ascii("SET wakeup_bytes="), "SYNTAX"),
                Arguments.of("SET without pairs", ascii("SET"), "SYNTAX"),
                Arguments.of("second HELLO", ascii("HELLO 1"), "STATE"),
                Arguments.of("NUL bytes", new byte[] {'P', 0, 'N', 'G'}, "SYNTAX"),
                Arguments.of(
                        "high bytes", new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80}, "SYNTAX"),
                Arguments.of("control characters", ascii("PING\r"), "SYNTAX"),
                Arguments.of("empty packet", new byte[0], "SYNTAX"),
                Arguments.of("bench without --bench", ascii("BENCH FILL ALL 10"), "UNKNOWN"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileLines")
    void isRefusedWithTheRightCodeAndTheAgentKeepsServing(String what, byte[] packet, String code)
            throws Exception {
        Reply r = agent.client().callBytes(packet);
        assertThat(r.ok()).as("%s answered %s", what, r.text()).isFalse();
        assertThat(r.code()).as("%s answered %s", what, r.text()).isEqualTo(code);
        assertThat(agent.client().call("PING").words()).containsExactly("PONG");
        assertThat(agent.handle().isAlive()).isTrue();
    }

    @Test
    void aFailedSetChangesNothing() throws Exception {
        String before = agent.client().status().get("wakeup_bytes");
        Reply r = agent.client().callRaw("SET wakeup_bytes=1024 wakeup_bytes=99999999999");
        assertThat(r.ok()).isFalse();
        assertThat(agent.client().status().get("wakeup_bytes")).isEqualTo(before);
    }

    @Test
    void watchingAProcessThatDoesNotExistIsNoent() throws Exception {
        Reply r = agent.client().callRaw("WATCH 4194300");
        assertThat(r.code()).isEqualTo("NOENT");
    }

    @Test
    void unwatchingSomethingNotWatchedIsNoent() throws Exception {
        assertThat(agent.client().callRaw("UNWATCH 1").code()).isEqualTo("NOENT");
    }

    @Test
    void aValidSetIsAppliedAndReported() throws Exception {
        String before = agent.client().status().get("wakeup_bytes");
        agent.client().call("SET wakeup_bytes=8192");
        assertThat(agent.client().status()).containsEntry("wakeup_bytes", "8192");
        agent.client().call("SET wakeup_bytes=" + before);
    }
}
