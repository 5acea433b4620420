package org.gamercompanion.profile;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads and writes the profile TOML format of docs/PROFILES.md. Reading is strict about known keys
 * (type and range, with file, line and field in the message) and lenient about unknown ones (kept,
 * reported as warnings). Writing emits the known keys in a fixed order followed by the unknown
 * ones, so {@code parse(write(p))} equals {@code p}.
 */
public final class ProfileToml {
    /** Larger files are refused unread: a profile is a few hundred bytes. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    public static final int MAX_NAME_CHARS = 64;
    public static final int MAX_EXE_NAMES = 32;
    public static final int MAX_EXE_CHARS = 255;
    public static final int MAX_REGEX_CHARS = 1000;

    private static final Map<String, Set<String>> KNOWN =
            Map.of(
                    "", Set.of("name", "match", "scheduler", "monitor"),
                    "match", Set.of("exe", "steam_app_id", "cmdline_regex"),
                    "scheduler",
                            Set.of(
                                    "enabled",
                                    "boost_window_us",
                                    "game_slice_us",
                                    "other_slice_us",
                                    "preempt_on_input"),
                    "monitor", Set.of("kinds", "record_session"));

    private ProfileToml() {}

    /** A parsed profile and the warnings about it (unknown keys). */
    public record Parsed(Profile profile, List<String> warnings) {}

    /**
     * Parses one profile file.
     *
     * @param fileName used in messages ({@code profile NAME line N: ...})
     * @throws ProfileException with file, line and field, if the bytes are not a valid profile
     */
    public static Parsed parse(String fileName, byte[] bytes) throws ProfileException {
        String where = "profile " + fileName;
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ProfileException(
                    where
                            + ": file is "
                            + bytes.length
                            + " bytes, over the "
                            + MAX_FILE_BYTES
                            + "-byte limit for a profile; is it the right file?");
        }
        String text = decodeUtf8(where, bytes);
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            throw new ProfileException(
                    where
                            + " line "
                            + e.position().line()
                            + ": "
                            + cleanTomljMessage(e.getMessage())
                            + " (TOML syntax; the file was not changed)");
        }
        Reader r = new Reader(where, toml);
        List<String> warnings = new ArrayList<>();
        Map<String, Object> unknown = new LinkedHashMap<>();
        String name = r.requiredString("name");
        if (name.isBlank()
                || name.length() > MAX_NAME_CHARS
                || name.chars().anyMatch(Character::isISOControl)) {
            throw r.error(
                    "name",
                    "name must be 1.."
                            + MAX_NAME_CHARS
                            + " printable characters (was \""
                            + name
                            + "\")");
        }
        name = name.strip();
        TomlTable match = r.table("match");
        TomlTable sched = r.table("scheduler");
        TomlTable mon = r.table("monitor");
        collectUnknown(r, toml, "", unknown, warnings);

        List<String> exe = r.stringList("match.exe", match, "exe");
        if (exe.size() > MAX_EXE_NAMES) {
            throw r.error(
                    "match.exe",
                    "match.exe has " + exe.size() + " names, at most " + MAX_EXE_NAMES);
        }
        for (String e : exe) {
            if (e.isEmpty() || e.length() > MAX_EXE_CHARS || e.contains("/") || e.contains("\\")) {
                throw r.error(
                        "match.exe",
                        "match.exe entries must be file names without a directory, 1.."
                                + MAX_EXE_CHARS
                                + " characters (was \""
                                + e
                                + "\"); write \"cs2\", not \"/usr/bin/cs2\"");
            }
        }
        long appId = r.number("match.steam_app_id", match, ProfileField.STEAM_APP_ID);
        String regex = r.string("match.cmdline_regex", match, "cmdline_regex", "");
        if (regex.length() > MAX_REGEX_CHARS) {
            throw r.error(
                    "match.cmdline_regex",
                    "match.cmdline_regex is "
                            + regex.length()
                            + " characters, at most "
                            + MAX_REGEX_CHARS);
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw r.error(
                    "match.cmdline_regex",
                    "match.cmdline_regex is not a valid regular expression: "
                            + e.getDescription()
                            + " near index "
                            + e.getIndex());
        }
        Profile.Scheduler s =
                new Profile.Scheduler(
                        r.bool("scheduler.enabled", sched, "enabled", false),
                        r.number("scheduler.boost_window_us", sched, ProfileField.BOOST_WINDOW_US),
                        r.number("scheduler.game_slice_us", sched, ProfileField.GAME_SLICE_US),
                        r.number("scheduler.other_slice_us", sched, ProfileField.OTHER_SLICE_US),
                        r.bool("scheduler.preempt_on_input", sched, "preempt_on_input", true));
        List<String> kinds =
                mon == null || !mon.contains("kinds")
                        ? Profile.KINDS
                        : r.stringList("monitor.kinds", mon, "kinds");
        for (String k : kinds) {
            if (!Profile.KINDS.contains(k)) {
                throw r.error(
                        "monitor.kinds",
                        "monitor.kinds: unknown kind \"" + k + "\"; use any of " + Profile.KINDS);
            }
        }
        if (Set.copyOf(kinds).size() != kinds.size()) {
            throw r.error("monitor.kinds", "monitor.kinds lists a kind twice: " + kinds);
        }
        boolean recordSession = r.bool("monitor.record_session", mon, "record_session", false);
        Profile p =
                new Profile(
                        name,
                        new Profile.Match(exe, appId, regex),
                        s,
                        new Profile.Monitor(kinds, recordSession),
                        unknown);
        return new Parsed(p, warnings);
    }

    private static void collectUnknown(
            Reader r,
            TomlTable root,
            String section,
            Map<String, Object> unknown,
            List<String> warnings) {
        TomlTable t = section.isEmpty() ? root : root.getTable(section);
        if (t == null) {
            return;
        }
        Map<String, Object> here = section.isEmpty() ? unknown : new LinkedHashMap<>();
        for (String key : t.keySet()) {
            if (section.isEmpty() && KNOWN.containsKey(key) && !key.isEmpty()) {
                collectUnknown(r, root, key, unknown, warnings);
                continue;
            }
            if (KNOWN.get(section).contains(key)) {
                continue;
            }
            List<String> path = section.isEmpty() ? List.of(key) : List.of(section, key);
            TomlPosition pos = root.inputPositionOf(path);
            String dotted = String.join(".", path);
            warnings.add(
                    r.where
                            + (pos == null ? "" : " line " + pos.line())
                            + ": unknown key "
                            + dotted
                            + " (kept as it is; known keys"
                            + (section.isEmpty() ? "" : " in [" + section + "]")
                            + ": "
                            + KNOWN.get(section).stream().sorted().toList()
                            + ")");
            here.put(key, plain(t.get(List.of(key))));
        }
        if (!section.isEmpty() && !here.isEmpty()) {
            unknown.put(section, here);
        }
    }

    /** tomlj values as plain Java: TomlTable -> Map, TomlArray -> List. */
    private static Object plain(Object v) {
        if (v instanceof TomlTable t) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : t.keySet()) {
                m.put(k, plain(t.get(List.of(k))));
            }
            return m;
        }
        if (v instanceof TomlArray a) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                l.add(plain(a.get(i)));
            }
            return List.copyOf(l);
        }
        return v;
    }

    private static String cleanTomljMessage(String m) {
        return m == null ? "syntax error" : m.replaceAll("\\s+", " ").strip();
    }

    private static String decodeUtf8(String where, byte[] bytes) throws ProfileException {
        CharsetDecoder d =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            String s = d.decode(in).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            int bad = in.position();
            int line = 1;
            for (int i = 0; i < bad && i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ProfileException(
                    String.format(
                            Locale.ROOT,
                            "%s line %d: not valid UTF-8 (byte 0x%02x at offset %d); save the file as UTF-8",
                            where,
                            line,
                            bytes[Math.min(bad, bytes.length - 1)] & 0xff,
                            bad));
        }
    }

    /** Typed access with messages that name file, line and field. */
    private static final class Reader {
        final String where;
        final TomlTable root;

        Reader(String where, TomlTable root) {
            this.where = where;
            this.root = root;
        }

        ProfileException error(String dottedKey, String message) {
            TomlPosition pos = root.inputPositionOf(List.of(dottedKey.split("\\.")));
            return new ProfileException(
                    where + (pos == null ? "" : " line " + pos.line()) + ": " + message);
        }

        String requiredString(String key) throws ProfileException {
            Object v = root.get(List.of(key));
            if (v == null) {
                throw new ProfileException(
                        where + " line 1: name is missing; add a line like name = \"My Game\"");
            }
            if (!(v instanceof String s)) {
                throw error(key, key + " must be a string (was " + describe(v) + ")");
            }
            return s;
        }

        TomlTable table(String key) throws ProfileException {
            Object v = root.get(List.of(key));
            if (v == null) {
                return null;
            }
            if (!(v instanceof TomlTable t)) {
                throw error(key, key + " must be a table [" + key + "] (was " + describe(v) + ")");
            }
            return t;
        }

        String string(String dotted, TomlTable t, String key, String dflt) throws ProfileException {
            Object v = t == null ? null : t.get(List.of(key));
            if (v == null) {
                return dflt;
            }
            if (!(v instanceof String s)) {
                throw error(dotted, dotted + " must be a string (was " + describe(v) + ")");
            }
            return s;
        }

        List<String> stringList(String dotted, TomlTable t, String key) throws ProfileException {
            Object v = t == null ? null : t.get(List.of(key));
            if (v == null) {
                return List.of();
            }
            if (v instanceof String s) {
                return List.of(s);
            }
            if (!(v instanceof TomlArray a)) {
                throw error(
                        dotted,
                        dotted
                                + " must be a list of strings like [\"game\"] (was "
                                + describe(v)
                                + ")");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                if (!(a.get(i) instanceof String s)) {
                    throw error(
                            dotted,
                            dotted
                                    + " must be a list of strings (entry "
                                    + (i + 1)
                                    + " is "
                                    + describe(a.get(i))
                                    + ")");
                }
                out.add(s);
            }
            return out;
        }

        long number(String dotted, TomlTable t, ProfileField f) throws ProfileException {
            Object v = t == null ? null : t.get(List.of(f.key()));
            if (v == null) {
                return f.defaultValue();
            }
            if (!(v instanceof Long n)) {
                throw error(
                        dotted,
                        dotted
                                + " must be a whole number, "
                                + f.range()
                                + " (was "
                                + describe(v)
                                + ")");
            }
            if (n < f.min() || n > f.max()) {
                throw error(dotted, dotted + " must be " + f.range() + " (was " + n + ")");
            }
            return n;
        }

        boolean bool(String dotted, TomlTable t, String key, boolean dflt) throws ProfileException {
            Object v = t == null ? null : t.get(List.of(key));
            if (v == null) {
                return dflt;
            }
            if (!(v instanceof Boolean b)) {
                throw error(dotted, dotted + " must be true or false (was " + describe(v) + ")");
            }
            return b;
        }

        private static String describe(Object v) {
            if (v instanceof String s) {
                return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
            }
            if (v instanceof TomlTable) {
                return "a table";
            }
            if (v instanceof TomlArray) {
                return "a list";
            }
            if (v instanceof TemporalAccessor) {
                return "the date/time " + v;
            }
            return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
        }
    }

    /** The TOML text of a profile: known keys in a fixed order, then the unknown ones unchanged. */
    @SuppressWarnings("unchecked")
    public static String write(Profile p) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> unknown = p.unknown();
        b.append("name = ").append(TomlWriter.value(p.name())).append('\n');
        List<Map.Entry<String, Object>> rootTables = new ArrayList<>();
        for (Map.Entry<String, Object> e : unknown.entrySet()) {
            if (KNOWN.containsKey(e.getKey())) {
                continue;
            }
            if (e.getValue() instanceof Map) {
                rootTables.add(e);
            } else {
                TomlWriter.keyValue(b, e.getKey(), e.getValue());
            }
        }
        Profile.Match m = p.match();
        b.append("\n[match]\n");
        TomlWriter.keyValue(b, "exe", m.exe());
        TomlWriter.keyValue(b, "steam_app_id", m.steamAppId());
        TomlWriter.keyValue(b, "cmdline_regex", m.cmdlineRegex());
        TomlWriter.rest(b, (Map<String, Object>) unknown.get("match"));
        Profile.Scheduler s = p.scheduler();
        b.append("\n[scheduler]\n");
        TomlWriter.keyValue(b, "enabled", s.enabled());
        TomlWriter.keyValue(b, "boost_window_us", s.boostWindowUs());
        TomlWriter.keyValue(b, "game_slice_us", s.gameSliceUs());
        TomlWriter.keyValue(b, "other_slice_us", s.otherSliceUs());
        TomlWriter.keyValue(b, "preempt_on_input", s.preemptOnInput());
        TomlWriter.rest(b, (Map<String, Object>) unknown.get("scheduler"));
        b.append("\n[monitor]\n");
        TomlWriter.keyValue(b, "kinds", p.monitor().kinds());
        TomlWriter.keyValue(b, "record_session", p.monitor().recordSession());
        TomlWriter.rest(b, (Map<String, Object>) unknown.get("monitor"));
        for (Map.Entry<String, Object> e : rootTables) {
            b.append("\n[").append(TomlWriter.key(e.getKey())).append("]\n");
            TomlWriter.rest(b, (Map<String, Object>) e.getValue());
        }
        return b.toString();
    }
}
