package org.gamercompanion.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolTest {
    @Test
    void okReplyExposesKeyValueFields() {
        Reply r =
                Protocol.parseReply(
                        "OK HELLO 1 rings=16 ring_bytes=524288 cpus=2 input_hook=unavailable:fentry_refused");
        assertThat(r.ok()).isTrue();
        assertThat(r.words()).startsWith("HELLO", "1");
        assertThat(r.fields())
                .containsEntry("rings", "16")
                .containsEntry("ring_bytes", "524288")
                .containsEntry("input_hook", "unavailable:fentry_refused");
    }

    @Test
    void errReplyCarriesCodeAndText() {
        Reply r = Protocol.parseReply("ERR RANGE tgid must be 1..4194304");
        assertThat(r.ok()).isFalse();
        assertThat(r.code()).isEqualTo("RANGE");
        assertThat(r.words()).containsExactly("tgid must be 1..4194304");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EXEC 1 2 x y", "OKAY", "", "ERROR x"})
    void linesThatAreNotRepliesAreRejected(String line) {
        assertThat(Protocol.isReply(line)).isFalse();
        assertThatThrownBy(() -> Protocol.parseReply(line))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void execLineIsUnescaped() {
        Protocol.AsyncLine a =
                Protocol.parseAsync("EXEC 4242 1 Game\\x20Main /opt/my\\x20game/bin\\x5cx.exe");
        assertThat(a).isEqualTo(new Protocol.Exec(4242, 1, "Game Main", "/opt/my game/bin\\x.exe"));
    }

    @Test
    void execUnescapesUtf8Bytes() {
        Protocol.AsyncLine a = Protocol.parseAsync("EXEC 7 1 sp\\xc3\\xa9l /x");
        assertThat(((Protocol.Exec) a).comm()).isEqualTo("spél");
    }

    @Test
    void exitedLineIsParsed() {
        assertThat(Protocol.parseAsync("EXITED 99")).isEqualTo(new Protocol.Exited(99));
    }

    @Test
    void droppedExecLineCarriesItsCount() {
        assertThat(Protocol.parseAsync("DROPPED EXEC 1")).isEqualTo(new Protocol.ExecDropped(1));
        assertThat(Protocol.parseAsync("DROPPED EXEC 9223372036854775807"))
                .isEqualTo(new Protocol.ExecDropped(Long.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "EXEC x 1 a b",
                "EXITED",
                "SCHED enabled",
                "SCHED disabled gamer sysrq x",
                "EXITED 1 2",
                "DROPPED EXEC 0",
                "DROPPED EXEC -1",
                "DROPPED EXEC +1",
                "DROPPED EXEC 01",
                "DROPPED EXEC",
                "DROPPED EXEC 1 2",
                "DROPPED EXITED 1",
                "DROPPED EXEC 9223372036854775808"
            })
    void malformedOrUnknownAsyncLinesAreKeptAsOther(String line) {
        assertThat(Protocol.parseAsync(line)).isEqualTo(new Protocol.Other(line));
    }

    @Test
    void schedLineWithoutExitInfo() {
        Protocol.AsyncLine a = Protocol.parseAsync("SCHED enabled gamer");
        assertThat(a).isEqualTo(new Protocol.Sched("enabled", "gamer", "", "", ""));
        assertThat(((Protocol.Sched) a).hasExit()).isFalse();
    }

    @Test
    void schedLineWithExitInfoIsUnescaped() {
        Protocol.AsyncLine a =
                Protocol.parseAsync("SCHED disabled gamer sysrq disabled\\x20by\\x20sysrq-S -");
        assertThat(a)
                .isEqualTo(
                        new Protocol.Sched(
                                "disabled", "gamer", "sysrq", "disabled by sysrq-S", ""));
        assertThat(((Protocol.Sched) a).hasExit()).isTrue();
    }

    @Test
    void schedCommands() {
        assertThat(Protocol.sched(true)).isEqualTo("SCHED ON");
        assertThat(Protocol.sched(false)).isEqualTo("SCHED OFF");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 4_194_305L})
    void outOfRangeTgidsAreRefusedBeforeSending(long tgid) {
        assertThatThrownBy(() -> Protocol.watch(tgid))
                .hasMessageContaining("tgid must be 1..4194304");
    }

    @Test
    void commandsAreFormattedAsTheAgentExpects() {
        assertThat(Protocol.hello()).isEqualTo("HELLO 1");
        assertThat(Protocol.watch(1234)).isEqualTo("WATCH 1234");
        assertThat(Protocol.unwatch(1234)).isEqualTo("UNWATCH 1234");
        assertThat(Protocol.set("wakeup_bytes", 4096)).isEqualTo("SET wakeup_bytes=4096");
    }

    @Test
    void statusValuesReadAsPeopleWriteThem() {
        assertThat(Protocol.readable("unavailable:fentry_refused_(EPERM);_kprobe:_ENOENT"))
                .isEqualTo("unavailable: fentry refused (EPERM); kprobe: ENOENT");
        assertThat(Protocol.readable("attached:fentry")).isEqualTo("attached: fentry");
        assertThat(Protocol.readable("attached")).isEqualTo("attached");
    }
}
