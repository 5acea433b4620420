package org.gamercompanion.cli;

/** Text from files (names, paths, notes) made safe for a terminal: control characters never reach it raw. */
final class Terminal {
    private Terminal() {}

    /** Writes every control character (ESC, CR, ...; also DEL and C1) as a backslash, x and two hex digits. */
    static String clean(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\x{%04x}", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
