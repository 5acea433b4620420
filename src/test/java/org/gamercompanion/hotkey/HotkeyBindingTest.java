package org.gamercompanion.hotkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kwhat.jnativehook.NativeInputEvent;
import com.github.kwhat.jnativehook.keyboard.NativeKeyEvent;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing, printing and matching of hotkey combinations, and when hotkeys are unavailable. */
class HotkeyBindingTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Ctrl+Shift+F10|Ctrl+Shift+F10", "ctrl+shift+f10|Ctrl+Shift+F10",
                        "Control - Shift - F11|Ctrl+Shift+F11",
                "Super+M|Super+M", "alt+shift+pgup|Alt+Shift+PageUp",
                        "Ctrl+Alt+Shift+F10|Ctrl+Alt+Shift+F10",
                "Ctrl+Alt+F13|Ctrl+Alt+F13", "ctrl+alt+esc|Ctrl+Alt+Escape"
            })
    void parsesToTheCanonicalForm(String text, String canonical) {
        assertThat(HotkeyBinding.parse(text).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|empty key combination",
                "F10|needs Ctrl, Alt or Super",
                "Shift+A|needs Ctrl, Alt or Super",
                "Ctrl+F99|unknown key \"F99\"",
                "Ctrl+Shift|no key after the modifiers",
                "Ctrl+F10+Alt|the key must come last",
                "Ctrl++F10|empty part",
                "Ctrl+Alt+F10|switches to virtual terminal 10"
            })
    void rejectsWhatCannotWorkAndSaysWhy(String text, String why) {
        assertThatThrownBy(() -> HotkeyBinding.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @Test
    void defaultsAreTheDocumentedOnesAndParseBack() {
        assertThat(HotkeyBinding.DEFAULT_TOGGLE_SCHEDULER.toString()).isEqualTo("Ctrl+Shift+F10");
        assertThat(HotkeyBinding.DEFAULT_MARK_MOMENT.toString()).isEqualTo("Ctrl+Shift+F11");
        assertThat(HotkeyBinding.DEFAULT_TOGGLE_SCHEDULER.keyCode())
                .isEqualTo(NativeKeyEvent.VC_F10);
    }

    @Test
    void matchesExactlyItsModifiersWhicheverSideIsHeldAndIgnoresLocks() {
        HotkeyBinding b = HotkeyBinding.parse("Ctrl+Shift+F10");
        int ctrlShift = NativeInputEvent.CTRL_L_MASK | NativeInputEvent.SHIFT_R_MASK;
        assertThat(b.matches(NativeKeyEvent.VC_F10, ctrlShift)).isTrue();
        assertThat(b.matches(NativeKeyEvent.VC_F10, ctrlShift | NativeInputEvent.NUM_LOCK_MASK))
                .isTrue();
        assertThat(b.matches(NativeKeyEvent.VC_F10, ctrlShift | NativeInputEvent.ALT_L_MASK))
                .isFalse();
        assertThat(b.matches(NativeKeyEvent.VC_F10, NativeInputEvent.CTRL_R_MASK)).isFalse();
        assertThat(b.matches(NativeKeyEvent.VC_F11, ctrlShift)).isFalse();
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 8).mapToObj(i -> 0x5eedL + i);
    }

    /**
     * Property: every combination of modifiers (with Ctrl, Alt or Super) and key prints to text
     * that parses back.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void everyValidBindingSurvivesPrintAndParse(long seed) {
        Random r = new Random(seed);
        var keys = HotkeyBinding.keyNames();
        for (int i = 0; i < 200; i++) {
            boolean ctrl = r.nextBoolean();
            boolean alt = r.nextBoolean();
            boolean meta = !ctrl && !alt || r.nextBoolean();
            HotkeyBinding b =
                    new HotkeyBinding(
                            ctrl, alt, r.nextBoolean(), meta, keys.get(r.nextInt(keys.size())));
            String text = r.nextBoolean() ? b.toString() : b.toString().toLowerCase(Locale.ROOT);
            try {
                assertThat(HotkeyBinding.parse(text)).isEqualTo(b);
            } catch (IllegalArgumentException e) {
                assertThat(e)
                        .hasMessageContaining(
                                "virtual terminal"); // Ctrl+Alt+F1..F12: refused on purpose
            }
        }
    }

    @Test
    void withoutAnXDisplayHotkeysSayWhyInsteadOfFailing() {
        assertThat(
                        XDisplay.unavailableReason(
                                Map.of("WAYLAND_DISPLAY", "wayland-0"), Optional::empty))
                .hasValueSatisfying(
                        why ->
                                assertThat(why)
                                        .startsWith("Wayland session without X")
                                        .contains("DISPLAY unset"));
        assertThat(XDisplay.unavailableReason(Map.of(), Optional::empty))
                .hasValueSatisfying(why -> assertThat(why).startsWith("no X display"));
        assertThat(
                        XDisplay.unavailableReason(
                                Map.of("DISPLAY", ":42"), () -> Optional.of("XOpenDisplay failed")))
                .hasValueSatisfying(why -> assertThat(why).contains("cannot open X display :42"));
        assertThat(
                        XDisplay.unavailableReason(
                                Map.of("DISPLAY", ":0", "WAYLAND_DISPLAY", "wayland-0"),
                                Optional::empty))
                .isEmpty();
    }

    @Test
    void theRealProbeFailsCleanlyOnADisplayThatDoesNotExist() {
        // No X server listens on display 59999: XOpenDisplay returns NULL, which must read as
        // "unavailable".
        assertThat(XDisplay.openError(":59999")).hasValue("XOpenDisplay failed");
    }
}
