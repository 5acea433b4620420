package org.gamercompanion.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What the command line prints is safe for a terminal. Text from files (a profile's name, a file
 * name, a recording's tags) and from other processes may carry control characters: a raw ESC in a
 * profile's name reached the terminal as an escape sequence (move the cursor, clear the screen,
 * retitle the window, write the clipboard: issue 11 item 10), a carriage return could hide what
 * came before it on the line.
 *
 * <p>{@link #install()} puts {@link #escape escaping} streams in place of {@code System.out} and
 * {@code System.err}, so every line any class prints passes through one rule, wherever the text
 * came from; printing them escaped names the byte instead of acting on it. Where the CLI writes a
 * control character on purpose it says so: {@link #raw()} (ab's progress line, picocli's colours).
 *
 * <pre>{@code
 * try (Terminal.Installed t = Terminal.install()) {
 *     System.out.println(profile.name());   // "Evil\x1b[2JGame", never the escape itself
 * }
 * }</pre>
 */
public final class Terminal {
    /**
     * Where text meant to act on the terminal goes; the real stderr while {@link #install()} is in
     * place.
     */
    private static volatile PrintStream raw = System.err;

    private Terminal() {}

    /**
     * {@code s} with every control character written as text: C0 controls other than tab and
     * newline, and DEL, as {@code \x1b}; C1 controls (U+0080..U+009F, which some terminals act on
     * like ESC [) as {@code \u009b}.
     */
    public static String escape(CharSequence s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                b.append(
                        c < 0x80
                                ? String.format("\\x%02x", (int) c)
                                : String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s.toString() : b.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 && c != '\t' && c != '\n' || c >= 0x7f && c <= 0x9f;
    }

    /** The stderr that is not escaped: only for control characters the CLI writes on purpose. */
    public static PrintStream raw() {
        return raw;
    }

    /**
     * Replaces {@code System.out} and {@code System.err} with escaping streams until {@link
     * Installed#close()}.
     */
    public static Installed install() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        raw = err;
        System.setOut(escaping(out));
        System.setErr(escaping(err));
        return new Installed(out, err);
    }

    /** Puts the streams {@link #install()} replaced back (after flushing what was printed). */
    public record Installed(PrintStream out, PrintStream err) implements AutoCloseable {
        @Override
        public void close() {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
            raw = err;
        }
    }

    /** A stream printing into {@code target} (in its charset) with {@link #escape} applied. */
    static PrintStream escaping(PrintStream target) {
        return new PrintStream(
                new Escaping(target, target.charset()), true, StandardCharsets.UTF_8);
    }

    /**
     * Decodes the UTF-8 the {@link PrintStream} above writes (keeping a sequence split across two
     * writes for the next one), escapes, and writes to the target in its own charset. Works on
     * characters, not bytes, so that a C1 control is recognised whatever the target's charset.
     */
    private static final class Escaping extends OutputStream {
        private final OutputStream target;
        private final Charset charset;
        private final CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE);

        /** The bytes of an incomplete UTF-8 sequence at the end of the last write (at most 3). */
        private final ByteBuffer carry = ByteBuffer.allocate(4);

        Escaping(OutputStream target, Charset charset) {
            this.target = target;
            this.charset = charset;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer in;
            if (carry.position() > 0) {
                carry.flip();
                in =
                        ByteBuffer.allocate(carry.remaining() + len)
                                .put(carry)
                                .put(b, off, len)
                                .flip();
                carry.clear();
            } else {
                in = ByteBuffer.wrap(b, off, len);
            }
            // UTF-8 never decodes to more chars than it has bytes.
            CharBuffer chars = CharBuffer.allocate(in.remaining());
            decoder.decode(in, chars, false);
            carry.put(in);
            target.write(escape(chars.flip()).getBytes(charset));
        }

        @Override
        public synchronized void flush() throws IOException {
            target.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            flush();
            target.close();
        }
    }
}
