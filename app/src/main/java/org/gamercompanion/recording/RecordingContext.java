package org.gamercompanion.recording;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.gamercompanion.kernel.KernelStatus;
import org.gamercompanion.recorder.Kind;

/**
 * What a recording measured, as its header comments state it (docs/RECORDINGS.md, format 2): the
 * machine and kernel, the recorded kinds, the input hook, the game and profile, the scheduler that
 * ran in each interval, and the end counters.
 *
 * <p>Each statement is one comment line, {@code #gamer-companion record=<what> key=value ...},
 * where values are percent-encoded UTF-8 (space, {@code %}, {@code =} and control characters become
 * {@code %XX}), so a line splits at spaces and every value comes back exactly. HdrHistogram's
 * readers skip {@code #} lines other than StartTime and BaseTime, so the file stays an interval log
 * its tools read. The statements:
 *
 * <ul>
 *   <li>{@code record=context format=2 ...}: once, first;
 *   <li>{@code record=sched t=<s> state=<sysfs state> ops=<name> label=<words>}: the scheduler,
 *       written before the first interval and again before the first interval that ended under a
 *       changed one ({@code t}: seconds after the log's BaseTime, the clock of the intervals);
 *   <li>{@code record=game t=<s> profile=... exe=... tgid=...}: a game the recording follows;
 *   <li>{@code record=round t=<s> round=<n> arm=<A|B|C> ...}: an A/B round starts;
 *   <li>{@code record=end t=<s> duration_s=... lost_total=...}: the counters at the end.
 * </ul>
 *
 * <p>Format 1 (before 2026-12) wrote {@code #gamer-companion key=value ...} lines with spaces
 * turned into {@code _}; {@link Reader} reads those too, as the context and end of the recording.
 */
public final class RecordingContext {
    /** The comment prefix of every statement (after the {@code #}). */
    public static final String PREFIX = "gamer-companion ";

    public static final int FORMAT = 2;

    /** One scheduler state, from {@code tS} on (seconds after the log's base time). */
    public record Sched(double tS, String state, String ops, String label) {}

    /** A game (or the self-test) the recording follows, from {@code tS} on. */
    public record Game(double tS, String profile, String exe, long tgid) {
        /** {@code cs2 (pid 4242, profile Counter-Strike 2)}. */
        public String describe() {
            StringBuilder b = new StringBuilder(exe.isEmpty() ? "?" : exe);
            b.append(" (pid ").append(tgid);
            if (!profile.isEmpty()) {
                b.append(", profile ").append(profile);
            }
            return b.append(')').toString();
        }
    }

    private final int format;
    private final Map<String, String> context;
    private final List<Sched> scheduler;
    private final List<Game> games;
    private final List<Map<String, String>> rounds;
    private final Map<String, String> end;
    private final Map<String, Long> lines;

    private RecordingContext(
            int format,
            Map<String, String> context,
            List<Sched> scheduler,
            List<Game> games,
            List<Map<String, String>> rounds,
            Map<String, String> end,
            Map<String, Long> lines) {
        this.format = format;
        this.context = Collections.unmodifiableMap(context);
        this.scheduler = List.copyOf(scheduler);
        this.games = List.copyOf(games);
        this.rounds = List.copyOf(rounds);
        this.end = Collections.unmodifiableMap(end);
        this.lines = Map.copyOf(lines);
    }

    /** The line of the file that stated {@code key} (context or end), 0 when unknown. */
    public long lineOf(String key) {
        return lines.getOrDefault(key, 0L);
    }

    /** 2, 1 for the older {@code key=value} lines, 0 when the file had no statement of ours. */
    public int format() {
        return format;
    }

    /** The {@code record=context} keys in file order ({@code kernel}, {@code cpu_model}, ...). */
    public Map<String, String> context() {
        return context;
    }

    /** A context value, or {@code fallback}. */
    public String get(String key, String fallback) {
        return context.getOrDefault(key, fallback);
    }

    /** Every scheduler state in file order; the first is the one the recording began under. */
    public List<Sched> scheduler() {
        return scheduler;
    }

    public List<Game> games() {
        return games;
    }

    /** The A/B rounds ({@code round}, {@code arm}, {@code t}, ...), in file order. */
    public List<Map<String, String>> rounds() {
        return rounds;
    }

    /** The {@code record=end} keys; empty when the recording never ended cleanly. */
    public Map<String, String> end() {
        return end;
    }

    /** Whether the scheduler changed during the recording (two different labels). */
    public boolean schedulerChanged() {
        return scheduler.stream().map(Sched::label).distinct().count() > 1;
    }

    /**
     * The scheduler in words: {@code gamer}; {@code default (EEVDF), then gamer at 12.0 s} when it
     * changed; {@code unknown} when the file does not say.
     */
    public String schedulerLabel() {
        if (scheduler.isEmpty()) {
            return "unknown";
        }
        StringBuilder b = new StringBuilder(scheduler.get(0).label());
        String last = scheduler.get(0).label();
        for (Sched s : scheduler.subList(1, scheduler.size())) {
            if (!s.label().equals(last)) {
                b.append(String.format(Locale.US, ", then %s at %.1f s", s.label(), s.tS()));
                last = s.label();
            }
        }
        return b.toString();
    }

    /** The scheduler that ran at {@code tS}, if the file says. */
    Optional<Sched> schedulerAt(double tS) {
        Sched at = null;
        for (Sched s : scheduler) {
            if (s.tS() <= tS || at == null) {
                at = s;
            }
        }
        return Optional.ofNullable(at);
    }

    /**
     * The kinds the recording was asked to record ({@code kinds}); every kind when the file does
     * not say (format 1 recorded all of them, except session files, which said nothing).
     */
    public List<Kind> kinds() {
        String k = context.get("kinds");
        if (k == null || k.isEmpty()) {
            return List.of(Kind.values());
        }
        List<Kind> out = new ArrayList<>();
        for (String id : k.split(",")) {
            try {
                out.add(Kind.ofId(id));
            } catch (IllegalArgumentException e) {
                // a kind of a later version: not ours to read
            }
        }
        return out;
    }

    // ---- writing

    /**
     * The values of a {@code record=game} statement for process {@code pid}: its executable's file
     * name (not its path: paths carry user names, and profiles match by name anyway), tgid,
     * profile.
     */
    public static Map<String, String> game(String profile, long pid) {
        Map<String, String> g = new LinkedHashMap<>();
        g.put("profile", profile == null ? "" : profile);
        String exe = ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("?");
        g.put("exe", exe.substring(exe.lastIndexOf('/') + 1));
        g.put("tgid", Long.toString(pid));
        return g;
    }

    /**
     * A statement line without its leading {@code #}: {@code gamer-companion record=<what> k=v
     * ...}.
     */
    public static String line(String what, Map<String, String> values) {
        StringBuilder b = new StringBuilder(PREFIX).append("record=").append(what);
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().matches("[a-z0-9_]+") || e.getKey().equals("record")) {
                throw new IllegalArgumentException(
                        "bad recording context key '" + e.getKey() + "'");
            }
            b.append(' ').append(e.getKey()).append('=').append(encode(e.getValue()));
        }
        return b.toString();
    }

    /** Percent-encodes everything but letters, digits and {@code . _ ~ : / , + @ ( ) [ ] -}. */
    static String encode(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (byte x : v.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "._~:/,+@()[]-".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /** Reverses {@link #encode}; a malformed escape is kept as it is. */
    static String decode(String v) {
        if (v.indexOf('%') < 0) {
            return v;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            int hi = i + 2 < v.length() ? Character.digit(v.charAt(i + 1), 16) : -1;
            int lo = i + 2 < v.length() ? Character.digit(v.charAt(i + 2), 16) : -1;
            if (c == '%' && hi >= 0 && lo >= 0) {
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(raw, 0, raw.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- reading

    /**
     * Collects the statements of one file from its comment lines ({@link
     * HlogScanner.Visitor#comment}).
     *
     * <pre>{@code
     * RecordingContext.Reader ctx = new RecordingContext.Reader();
     * HlogScanner.scan(file, 16, false, new HlogScanner.Visitor() {
     *     public void comment(long line, String text) { ctx.accept(line, text); }
     *     public void interval(HlogScanner.Interval h) { ... }
     * });
     * RecordingContext c = ctx.result();
     * }</pre>
     */
    public static final class Reader {
        private int format;
        private final Map<String, String> context = new LinkedHashMap<>();
        private final List<Sched> scheduler = new ArrayList<>();
        private final List<Game> games = new ArrayList<>();
        private final List<Map<String, String>> rounds = new ArrayList<>();
        private final Map<String, String> end = new LinkedHashMap<>();
        private final Map<String, Long> lines = new LinkedHashMap<>();
        private long line;

        /** One comment line, without its {@code #}; lines that are not ours are ignored. */
        public void accept(String text) {
            accept(0, text);
        }

        /**
         * {@link #accept(String)} of line {@code lineNo} (1-based), remembered for error messages.
         */
        public void accept(long lineNo, String text) {
            line = lineNo;
            if (!text.startsWith(PREFIX)) {
                return;
            }
            Map<String, String> kv = new LinkedHashMap<>();
            for (String token : text.substring(PREFIX.length()).split(" ")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    kv.put(token.substring(0, eq), decode(token.substring(eq + 1)));
                }
            }
            String what = kv.remove("record");
            if (what == null) {
                acceptFormat1(kv);
                return;
            }
            switch (what) {
                case "context" -> {
                    format = Math.max(format, parseInt(kv.remove("format"), FORMAT));
                    context.putAll(kv);
                    kv.keySet().forEach(k -> lines.put(k, line));
                }
                case "sched" -> {
                    String state = kv.getOrDefault("state", "unknown");
                    String ops = kv.getOrDefault("ops", "");
                    scheduler.add(
                            new Sched(
                                    parseDouble(kv.get("t")),
                                    state,
                                    ops,
                                    kv.getOrDefault(
                                            "label",
                                            KernelStatus.schedulerLabel(
                                                    state,
                                                    ops,
                                                    context.getOrDefault("kernel", "")))));
                }
                case "game" ->
                        games.add(
                                new Game(
                                        parseDouble(kv.get("t")),
                                        kv.getOrDefault("profile", ""),
                                        kv.getOrDefault("exe", ""),
                                        parseLong(kv.get("tgid"))));
                case "round" -> rounds.add(Map.copyOf(kv));
                case "end" -> {
                    end.putAll(kv);
                    kv.keySet().forEach(k -> lines.put(k, line));
                }
                default -> {
                    // a statement of a later version: skipped, the rest of the file still reads
                }
            }
        }

        /**
         * Format 1: the first line is the context (with {@code sched_state}/{@code sched_ops} at
         * the start), a later one the end counters ({@code duration_s}, {@code lost_total}, ...),
         * A/B files had {@code ab_round} and {@code sched_changed} lines.
         */
        private void acceptFormat1(Map<String, String> kv) {
            format = Math.max(format, 1);
            if (kv.containsKey("ab_round")) {
                Map<String, String> r = new LinkedHashMap<>();
                r.put("round", kv.get("ab_round"));
                r.put("arm", kv.getOrDefault("ab_arm", ""));
                rounds.add(r);
                return;
            }
            if (kv.containsKey("sched_changed")) {
                scheduler.add(
                        new Sched(
                                Double.NaN,
                                kv.getOrDefault("sched_state", "unknown"),
                                kv.getOrDefault("sched_ops", ""),
                                KernelStatus.schedulerLabel(
                                        kv.getOrDefault("sched_state", "unknown"),
                                        kv.getOrDefault("sched_ops", ""),
                                        context.getOrDefault("kernel", ""))));
                return;
            }
            if (context.isEmpty() && !kv.containsKey("duration_s")) {
                String state = kv.remove("sched_state");
                String ops = kv.remove("sched_ops");
                context.putAll(kv);
                kv.keySet().forEach(k -> lines.put(k, line));
                if (state != null) {
                    scheduler.add(
                            new Sched(
                                    0,
                                    state,
                                    ops == null ? "" : ops,
                                    KernelStatus.schedulerLabel(
                                            state,
                                            ops == null ? "" : ops,
                                            context.getOrDefault("kernel", ""))));
                }
            } else {
                end.putAll(kv);
                kv.keySet().forEach(k -> lines.put(k, line));
            }
        }

        public RecordingContext result() {
            return new RecordingContext(
                    format,
                    new LinkedHashMap<>(context),
                    scheduler,
                    games,
                    rounds,
                    new LinkedHashMap<>(end),
                    lines);
        }
    }

    private static int parseInt(String v, int fallback) {
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(String v) {
        try {
            return v == null ? -1 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double parseDouble(String v) {
        try {
            return v == null ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
