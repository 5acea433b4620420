package org.gamercompanion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Terminal}: control characters are printed as text, everything else as it is. */
class TerminalTest {
    @Test
    void controlCharactersAreNamedAndTheRestIsKept() {
        assertThat(Terminal.escape("a\u001b[2Jb\u0007\r\u0000\u007f\u009b\u0085"))
                .isEqualTo("a\\x1b[2Jb\\x07\\x0d\\x00\\x7f\\u009b\\u0085");
        assertThat(Terminal.escape("tab\there\nnext µs → ünïcödé \u00a0"))
                .isEqualTo("tab\there\nnext µs → ünïcödé \u00a0");
    }

    @Test
    void theStreamEscapesWhateverWayTheBytesArriveAndKeepsTheTargetsCharset() {
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        PrintStream s = Terminal.escaping(new PrintStream(utf8, true, StandardCharsets.UTF_8));
        s.println("x\u001by µs");
        // A C1 control and a 'µ' split across two writes: the escaping still sees whole characters.
        byte[] c1 = "\u009b\u00b5".getBytes(StandardCharsets.UTF_8);
        s.write(c1, 0, 1);
        s.write(c1, 1, c1.length - 1);
        s.flush();
        assertThat(utf8.toString(StandardCharsets.UTF_8)).isEqualTo("x\\x1by µs\n\\u009bµ");

        ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
        PrintStream l =
                Terminal.escaping(new PrintStream(latin1, true, StandardCharsets.ISO_8859_1));
        l.print("µ\u009b");
        assertThat(latin1.toByteArray())
                .isEqualTo("µ\\u009b".getBytes(StandardCharsets.ISO_8859_1));
    }
}
