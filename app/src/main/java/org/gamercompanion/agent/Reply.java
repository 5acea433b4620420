package org.gamercompanion.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed reply line of the control protocol (docs/PROTOCOL.md): {@code OK <words...>} or {@code
 * ERR <CODE> <text>}.
 *
 * @param ok true for {@code OK}
 * @param code the error code for {@code ERR}, empty for {@code OK}
 * @param words the tokens after {@code OK}, or the text after the code for {@code ERR}
 */
public record Reply(boolean ok, String code, List<String> words) {

    public Reply {
        words = List.copyOf(words);
    }

    /**
     * The {@code key=value} tokens of an {@code OK} reply, in order; tokens without '=' are
     * skipped.
     */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                fields.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        return fields;
    }

    /** The reply as it came, for messages. */
    public String text() {
        return (ok ? "OK " : "ERR " + code + " ") + String.join(" ", words);
    }
}
