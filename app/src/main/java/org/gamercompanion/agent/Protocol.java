package org.gamercompanion.agent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gamercompanion.ring.EventLayout;

/**
 * The app side of the control protocol's grammar (docs/PROTOCOL.md): builds command lines and
 * classifies what the agent sends. Pure functions, no I/O.
 */
public final class Protocol {
    /** The protocol version this app speaks. */
    public static final int VERSION = 1;

    /** Longest packet either side may send, including an optional trailing newline. */
    public static final int MAX_LINE_BYTES = 512;

    /** Number of sample rings (GC_RING_COUNT in gamer_events.h, checked by EventLayoutTest). */
    public static final int RING_COUNT = EventLayout.RING_COUNT;

    /** The highest tgid the agent accepts (the kernel's PID_MAX_LIMIT on 64-bit). */
    public static final long MAX_TGID = 4_194_304L;

    private Protocol() {}

    /** Lines the agent sends without being asked. */
    public sealed interface AsyncLine permits Exec, Exited, Sched, ExecDropped, Other {}

    /** {@code EXEC <pid> <ppid> <comm> <path>}, with comm and path unescaped. */
    public record Exec(long pid, long ppid, String comm, String path) implements AsyncLine {}

    /** {@code EXITED <tgid>}: a watched process exited and is no longer watched. */
    public record Exited(long tgid) implements AsyncLine {}

    /**
     * {@code SCHED <state> <ops> [<exit kind> <reason> <msg>]}: the agent's scheduler changed state
     * without being asked (an exit reported by the kernel, or a restart). Reason and message are
     * unescaped; {@code -} (nothing) becomes "". Without exit info, kind, reason and msg are "".
     */
    public record Sched(String state, String ops, String exitKind, String reason, String msg)
            implements AsyncLine {
        public boolean hasExit() {
            return !exitKind.isEmpty();
        }
    }

    /**
     * {@code DROPPED EXEC <n>}: the agent dropped n EXEC lines (n >= 1) since its previous DROPPED
     * line, because the app did not read fast enough; the line stands where they would have been.
     */
    public record ExecDropped(long count) implements AsyncLine {}

    /** An asynchronous line this version does not interpret. */
    public record Other(String line) implements AsyncLine {}

    public static String hello() {
        return "HELLO " + VERSION;
    }

    public static String watch(long tgid) {
        return "WATCH " + checkTgid(tgid);
    }

    public static String unwatch(long tgid) {
        return "UNWATCH " + checkTgid(tgid);
    }

    public static String unwatchAll() {
        return "UNWATCH ALL";
    }

    /** {@code SET key=value}; the agent validates key and range. */
    public static String set(String key, long value) {
        if (!key.matches("[a-z_]{1,32}") || value < 0) {
            throw new IllegalArgumentException("bad SET pair: " + key + "=" + value);
        }
        return "SET " + key + "=" + value;
    }

    /** {@code SCHED ON} or {@code SCHED OFF}: attach or detach the sched_ext scheduler "gamer". */
    public static String sched(boolean on) {
        return on ? "SCHED ON" : "SCHED OFF";
    }

    private static long checkTgid(long tgid) {
        if (tgid < 1 || tgid > MAX_TGID) {
            throw new IllegalArgumentException(
                    "tgid must be 1.." + MAX_TGID + " (was " + tgid + ")");
        }
        return tgid;
    }

    /** True for lines that answer a command ({@code OK ...} or {@code ERR ...}). */
    static boolean isReply(String line) {
        return line.equals("OK") || line.startsWith("OK ") || line.startsWith("ERR ");
    }

    /**
     * Parses a reply line.
     *
     * @throws IllegalArgumentException if the line is not a reply
     */
    public static Reply parseReply(String line) {
        if (line.equals("OK")) {
            return new Reply(true, "", List.of());
        }
        if (line.startsWith("OK ")) {
            return new Reply(true, "", split(line.substring(3)));
        }
        if (line.startsWith("ERR ")) {
            String rest = line.substring(4);
            int sp = rest.indexOf(' ');
            String code = sp < 0 ? rest : rest.substring(0, sp);
            String text = sp < 0 ? "" : rest.substring(sp + 1);
            return new Reply(false, code, text.isEmpty() ? List.of() : List.of(text));
        }
        throw new IllegalArgumentException("not a reply line: " + line);
    }

    /**
     * Parses an asynchronous line; unknown verbs come back as {@link Other}, malformed known ones
     * too.
     */
    static AsyncLine parseAsync(String line) {
        List<String> t = split(line);
        try {
            if (t.size() == 5 && t.get(0).equals("EXEC")) {
                return new Exec(
                        Long.parseLong(t.get(1)),
                        Long.parseLong(t.get(2)),
                        unescape(t.get(3)),
                        unescape(t.get(4)));
            }
            if (t.size() == 2 && t.get(0).equals("EXITED")) {
                return new Exited(Long.parseLong(t.get(1)));
            }
            if (t.size() == 3
                    && t.get(0).equals("DROPPED")
                    && t.get(1).equals("EXEC")
                    && t.get(2).matches("[1-9][0-9]{0,18}")) {
                return new ExecDropped(Long.parseLong(t.get(2)));
            }
            if ((t.size() == 3 || t.size() == 6) && t.get(0).equals("SCHED")) {
                if (t.size() == 3) {
                    return new Sched(t.get(1), t.get(2), "", "", "");
                }
                return new Sched(t.get(1), t.get(2), t.get(3), dash(t.get(4)), dash(t.get(5)));
            }
        } catch (IllegalArgumentException e) {
            return new Other(line);
        }
        return new Other(line);
    }

    private static String dash(String token) {
        return token.equals("-") ? "" : unescape(token);
    }

    /**
     * Reverses the agent's escaping: {@code \xHH} is the byte HH; the bytes are decoded as UTF-8.
     */
    public static String unescape(String s) {
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                out[n++] = (byte) Integer.parseInt(s.substring(i + 2, i + 4), 16);
                i += 3;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(Arrays.copyOf(out, n), StandardCharsets.UTF_8);
    }

    /**
     * A status value as people read it: the agent writes spaces as {@code _} inside its {@code
     * key=value} tokens, and {@code state:detail} gets a space after the colon, so {@code
     * unavailable:fentry_refused_(EPERM)} reads {@code unavailable: fentry refused (EPERM)}.
     */
    public static String readable(String value) {
        String v = value.replace('_', ' ');
        int colon = v.indexOf(':');
        return colon < 0 || v.startsWith(": ", colon)
                ? v
                : v.substring(0, colon + 1) + " " + v.substring(colon + 1);
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.split(" ")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
