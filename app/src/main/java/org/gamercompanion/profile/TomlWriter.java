package org.gamercompanion.profile;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** TOML values as text (tomlj is used read-only). Nested tables become inline tables. */
final class TomlWriter {
    private TomlWriter() {}

    static void keyValue(StringBuilder b, String key, Object value) {
        b.append(key(key)).append(" = ").append(value(value)).append('\n');
    }

    static void rest(StringBuilder b, Map<String, Object> entries) {
        if (entries != null) {
            entries.forEach((k, v) -> keyValue(b, k, v));
        }
    }

    static String key(String k) {
        return k.matches("[A-Za-z0-9_-]+") ? k : string(k);
    }

    @SuppressWarnings("unchecked")
    static String value(Object v) {
        if (v instanceof String s) {
            return string(s);
        }
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "nan";
            }
            if (d.isInfinite()) {
                return d > 0 ? "inf" : "-inf";
            }
            return Double.toString(d).replace('E', 'e');
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(value(l.get(i)));
            }
            return b.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                b.append(first ? " " : ", ")
                        .append(key(e.getKey()))
                        .append(" = ")
                        .append(value(e.getValue()));
                first = false;
            }
            return b.append(first ? "}" : " }").toString();
        }
        // java.time values: their ISO toString is TOML's date/time syntax.
        return v.toString();
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
