package org.gamercompanion.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Two questions to the X server through libX11 (FFM), each on a connection opened and closed at
 * once: does a display open (global hotkeys need one), and does a tray host own the system-tray
 * selection (asked before AWT is touched: loading AWT's toolkit just to learn that there is no tray
 * costs the window 25-40 MiB of RSS, docs/PERFORMANCE.md "GUI").
 */
public final class X11 {
    private static final Linker LINKER = Linker.nativeLinker();

    private X11() {}

    /**
     * {@code XOpenDisplay(name)}, closed again; null means DISPLAY. Empty when it opened, else why
     * not.
     */
    public static Optional<String> openError(String name) {
        try (Arena arena = Arena.ofConfined()) {
            Lib x = new Lib(arena);
            MemorySegment d = x.open(name);
            if (d.equals(MemorySegment.NULL)) {
                return Optional.of("XOpenDisplay failed");
            }
            x.close(d);
            return Optional.empty();
        } catch (Throwable e) {
            // No libX11 (a Wayland-only system) counts as "no X display".
            return Optional.of(e.toString());
        }
    }

    /**
     * True when some client owns {@code _NET_SYSTEM_TRAY_S<screen>} on display {@code name} (null:
     * DISPLAY): the freedesktop system-tray protocol's sign that a tray host runs. False without a
     * display or libX11.
     */
    public static boolean trayHostPresent(String name) {
        try (Arena arena = Arena.ofConfined()) {
            Lib x = new Lib(arena);
            MemorySegment d = x.open(name);
            if (d.equals(MemorySegment.NULL)) {
                return false;
            }
            try {
                int screen = (int) x.defaultScreen.invokeExact(d);
                long atom =
                        (long)
                                x.internAtom.invokeExact(
                                        d, arena.allocateFrom("_NET_SYSTEM_TRAY_S" + screen), 0);
                return atom != 0 && (long) x.getSelectionOwner.invokeExact(d, atom) != 0;
            } finally {
                x.close(d);
            }
        } catch (Throwable e) {
            return false;
        }
    }

    /** The handful of libX11 calls used here, looked up in {@code arena}'s lifetime. */
    private static final class Lib {
        final MethodHandle openDisplay;
        final MethodHandle closeDisplay;
        final MethodHandle defaultScreen;
        final MethodHandle internAtom;
        final MethodHandle getSelectionOwner;
        private final Arena arena;

        Lib(Arena arena) {
            this.arena = arena;
            SymbolLookup lib = SymbolLookup.libraryLookup("libX11.so.6", arena);
            openDisplay =
                    LINKER.downcallHandle(
                            lib.findOrThrow("XOpenDisplay"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            closeDisplay =
                    LINKER.downcallHandle(
                            lib.findOrThrow("XCloseDisplay"),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            defaultScreen =
                    LINKER.downcallHandle(
                            lib.findOrThrow("XDefaultScreen"),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            // Atom and Window are unsigned long (64-bit here); Bool is an int.
            internAtom =
                    LINKER.downcallHandle(
                            lib.findOrThrow("XInternAtom"),
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_LONG,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.JAVA_INT));
            getSelectionOwner =
                    LINKER.downcallHandle(
                            lib.findOrThrow("XGetSelectionOwner"),
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_LONG,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.JAVA_LONG));
        }

        MemorySegment open(String name) throws Throwable {
            MemorySegment displayName =
                    name == null ? MemorySegment.NULL : arena.allocateFrom(name);
            return (MemorySegment) openDisplay.invokeExact(displayName);
        }

        void close(MemorySegment d) throws Throwable {
            int ignored = (int) closeDisplay.invokeExact(d);
        }
    }
}
