package org.gamercompanion.hotkey;

import com.github.kwhat.jnativehook.NativeInputEvent;
import com.github.kwhat.jnativehook.keyboard.NativeKeyEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A global key combination such as {@code Ctrl+Shift+F10}: modifiers and one key, as written in the
 * settings file and shown in the UI. Parsing is case-insensitive and accepts {@code -} or {@code +}
 * between parts; {@link #toString} gives the canonical form.
 *
 * <pre>{@code
 * HotkeyBinding b = HotkeyBinding.parse("ctrl+shift+f10");   // Ctrl+Shift+F10
 * boolean hit = b.matches(event.getKeyCode(), event.getModifiers());
 * }</pre>
 *
 * @param ctrl Ctrl (left or right) held
 * @param alt Alt (left or right) held
 * @param shift Shift held
 * @param meta Super (the Windows key) held
 * @param key the key's name as listed in {@link #keyNames}
 */
public record HotkeyBinding(boolean ctrl, boolean alt, boolean shift, boolean meta, String key) {
    /** First: the constants below are checked against it while the class initialises. */
    private static final Map<String, Integer> KEYS = keys();

    /**
     * Ctrl+Shift, not Ctrl+Alt: X servers take Ctrl+Alt+F1..F12 for switching virtual terminals
     * (XKB) before any client sees them, see {@link #parse}.
     */
    public static final HotkeyBinding DEFAULT_TOGGLE_SCHEDULER =
            new HotkeyBinding(true, false, true, false, "F10");

    public static final HotkeyBinding DEFAULT_MARK_MOMENT =
            new HotkeyBinding(true, false, true, false, "F11");

    public HotkeyBinding {
        if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException("unknown key " + key);
        }
    }

    /**
     * Parses {@code Ctrl+Shift+F10}. A binding needs Ctrl, Alt or Super: a bare key or Shift+key
     * would fire while the player types or plays. Ctrl+Alt+F1..F12 without Shift is refused: the X
     * server switches virtual terminals on it and no program ever sees the key (tried under Xvfb:
     * JNativeHook gets Ctrl and Alt, never the F key).
     *
     * @throws IllegalArgumentException with a message that says what is wrong and what is allowed
     */
    public static HotkeyBinding parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty key combination; write e.g. Ctrl+Shift+F10");
        }
        boolean ctrl = false;
        boolean alt = false;
        boolean shift = false;
        boolean meta = false;
        String key = null;
        for (String part : t.split("\\s*[+-]\\s*", -1)) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (key != null) {
                throw new IllegalArgumentException(
                        "\"" + text + "\": the key must come last (after " + key + ")");
            }
            switch (p) {
                case "ctrl", "control" -> ctrl = true;
                case "alt" -> alt = true;
                case "shift" -> shift = true;
                case "super", "meta", "win" -> meta = true;
                case "" ->
                        throw new IllegalArgumentException(
                                "\"" + text + "\": empty part; write e.g. Ctrl+Shift+F10");
                default -> {
                    key = canonicalKey(p);
                    if (key == null) {
                        throw new IllegalArgumentException(
                                "\""
                                        + text
                                        + "\": unknown key \""
                                        + part.strip()
                                        + "\"; keys are "
                                        + String.join(", ", keyNamesShort()));
                    }
                }
            }
        }
        if (key == null) {
            throw new IllegalArgumentException(
                    "\"" + text + "\": no key after the modifiers; write e.g. Ctrl+Shift+F10");
        }
        if (!ctrl && !alt && !meta) {
            throw new IllegalArgumentException(
                    "\""
                            + text
                            + "\" needs Ctrl, Alt or Super: a bare key would fire"
                            + " while you type or play");
        }
        if (ctrl && alt && !shift && !meta && key.matches("F([1-9]|1[0-2])")) {
            throw new IllegalArgumentException(
                    "\""
                            + text
                            + "\": Ctrl+Alt+"
                            + key
                            + " switches to virtual terminal "
                            + key.substring(1)
                            + " on Linux (the X server takes it first); add Shift or choose another key");
        }
        return new HotkeyBinding(ctrl, alt, shift, meta, key);
    }

    /** JNativeHook's key code of {@link #key}. */
    int keyCode() {
        return KEYS.get(key);
    }

    /**
     * True when {@code keyCode} is this key and exactly these modifiers are held (locks ignored).
     */
    public boolean matches(int keyCode, int modifiers) {
        return keyCode == keyCode()
                && ctrl == ((modifiers & NativeInputEvent.CTRL_MASK) != 0)
                && alt == ((modifiers & NativeInputEvent.ALT_MASK) != 0)
                && shift == ((modifiers & NativeInputEvent.SHIFT_MASK) != 0)
                && meta == ((modifiers & NativeInputEvent.META_MASK) != 0);
    }

    /** {@code Ctrl+Shift+F10}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (ctrl) {
            parts.add("Ctrl");
        }
        if (alt) {
            parts.add("Alt");
        }
        if (shift) {
            parts.add("Shift");
        }
        if (meta) {
            parts.add("Super");
        }
        parts.add(key);
        return String.join("+", parts);
    }

    /** Every key name a binding may use, in a stable order. */
    static List<String> keyNames() {
        return List.copyOf(KEYS.keySet());
    }

    private static List<String> keyNamesShort() {
        return List.of(
                "A-Z",
                "0-9",
                "F1-F24",
                "Space",
                "Tab",
                "Enter",
                "Escape",
                "Insert",
                "Delete",
                "Home",
                "End",
                "PageUp",
                "PageDown",
                "Pause",
                "PrintScreen",
                "ScrollLock",
                "Up",
                "Down",
                "Left",
                "Right");
    }

    private static String canonicalKey(String lower) {
        for (String name : KEYS.keySet()) {
            if (name.toLowerCase(Locale.ROOT).equals(lower)) {
                return name;
            }
        }
        return switch (lower) {
            case "esc" -> "Escape";
            case "return" -> "Enter";
            case "pgup" -> "PageUp";
            case "pgdn" -> "PageDown";
            case "ins" -> "Insert";
            case "del" -> "Delete";
            default -> null;
        };
    }

    private static Map<String, Integer> keys() {
        Map<String, Integer> m = new LinkedHashMap<>();
        int[] letters = {
            NativeKeyEvent.VC_A,
            NativeKeyEvent.VC_B,
            NativeKeyEvent.VC_C,
            NativeKeyEvent.VC_D,
            NativeKeyEvent.VC_E,
            NativeKeyEvent.VC_F,
            NativeKeyEvent.VC_G,
            NativeKeyEvent.VC_H,
            NativeKeyEvent.VC_I,
            NativeKeyEvent.VC_J,
            NativeKeyEvent.VC_K,
            NativeKeyEvent.VC_L,
            NativeKeyEvent.VC_M,
            NativeKeyEvent.VC_N,
            NativeKeyEvent.VC_O,
            NativeKeyEvent.VC_P,
            NativeKeyEvent.VC_Q,
            NativeKeyEvent.VC_R,
            NativeKeyEvent.VC_S,
            NativeKeyEvent.VC_T,
            NativeKeyEvent.VC_U,
            NativeKeyEvent.VC_V,
            NativeKeyEvent.VC_W,
            NativeKeyEvent.VC_X,
            NativeKeyEvent.VC_Y,
            NativeKeyEvent.VC_Z
        };
        for (int i = 0; i < letters.length; i++) {
            m.put(String.valueOf((char) ('A' + i)), letters[i]);
        }
        int[] digits = {
            NativeKeyEvent.VC_0,
            NativeKeyEvent.VC_1,
            NativeKeyEvent.VC_2,
            NativeKeyEvent.VC_3,
            NativeKeyEvent.VC_4,
            NativeKeyEvent.VC_5,
            NativeKeyEvent.VC_6,
            NativeKeyEvent.VC_7,
            NativeKeyEvent.VC_8,
            NativeKeyEvent.VC_9
        };
        for (int i = 0; i < digits.length; i++) {
            m.put(Integer.toString(i), digits[i]);
        }
        int[] functions = {
            NativeKeyEvent.VC_F1,
            NativeKeyEvent.VC_F2,
            NativeKeyEvent.VC_F3,
            NativeKeyEvent.VC_F4,
            NativeKeyEvent.VC_F5,
            NativeKeyEvent.VC_F6,
            NativeKeyEvent.VC_F7,
            NativeKeyEvent.VC_F8,
            NativeKeyEvent.VC_F9,
            NativeKeyEvent.VC_F10,
            NativeKeyEvent.VC_F11,
            NativeKeyEvent.VC_F12,
            NativeKeyEvent.VC_F13,
            NativeKeyEvent.VC_F14,
            NativeKeyEvent.VC_F15,
            NativeKeyEvent.VC_F16,
            NativeKeyEvent.VC_F17,
            NativeKeyEvent.VC_F18,
            NativeKeyEvent.VC_F19,
            NativeKeyEvent.VC_F20,
            NativeKeyEvent.VC_F21,
            NativeKeyEvent.VC_F22,
            NativeKeyEvent.VC_F23,
            NativeKeyEvent.VC_F24
        };
        for (int i = 0; i < functions.length; i++) {
            m.put("F" + (i + 1), functions[i]);
        }
        m.put("Space", NativeKeyEvent.VC_SPACE);
        m.put("Tab", NativeKeyEvent.VC_TAB);
        m.put("Enter", NativeKeyEvent.VC_ENTER);
        m.put("Escape", NativeKeyEvent.VC_ESCAPE);
        m.put("Insert", NativeKeyEvent.VC_INSERT);
        m.put("Delete", NativeKeyEvent.VC_DELETE);
        m.put("Home", NativeKeyEvent.VC_HOME);
        m.put("End", NativeKeyEvent.VC_END);
        m.put("PageUp", NativeKeyEvent.VC_PAGE_UP);
        m.put("PageDown", NativeKeyEvent.VC_PAGE_DOWN);
        m.put("Pause", NativeKeyEvent.VC_PAUSE);
        m.put("PrintScreen", NativeKeyEvent.VC_PRINTSCREEN);
        m.put("ScrollLock", NativeKeyEvent.VC_SCROLL_LOCK);
        m.put("Up", NativeKeyEvent.VC_UP);
        m.put("Down", NativeKeyEvent.VC_DOWN);
        m.put("Left", NativeKeyEvent.VC_LEFT);
        m.put("Right", NativeKeyEvent.VC_RIGHT);
        return Collections.unmodifiableMap(m);
    }
}
